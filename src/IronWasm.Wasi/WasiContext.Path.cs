using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

// The path_* functions. Every one resolves its path with PathResolver (which never leaves the directory
// descriptor it starts from) and then makes one *at call that does not follow a final symbolic link.
public sealed partial class WasiContext
{
    private static ResolvedPath Resolve(GuestMemory memory, HostDescriptor directory, int path, int pathLength, bool follow) =>
        PathResolver.Resolve(directory.Fd, memory.Slice(path, pathLength), follow);

    internal unsafe int PathOpen(Caller caller, int fd, int lookupFlags, int path, int pathLength, int openFlags,
        long rightsBase, long rightsInheriting, int fdFlags, int openedPointer)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathOpen);
            if ((openFlags & ~0xF) != 0 || (fdFlags & ~0x1F) != 0 || (lookupFlags & ~1) != 0) throw new WasiError(Errno.Inval);
            var oflags = (OFlags)openFlags;
            var fdflags = (FdFlags)fdFlags;
            var requested = (Rights)rightsBase;
            var inheriting = (Rights)rightsInheriting;
            if ((oflags & OFlags.Creat) != 0) directory.Require(Rights.PathCreateFile);
            if ((oflags & OFlags.Trunc) != 0) directory.Require(Rights.PathFilestatSetSize);
            // A descriptor can only hand on the rights it was given to inherit.
            if ((requested & ~directory.Inheriting) != 0 || (inheriting & ~directory.Inheriting) != 0) throw new WasiError(Errno.Notcapable);
            if ((fdflags & FdFlags.Dsync) != 0 && (requested & (Rights.FdDatasync | Rights.FdSync)) == 0) throw new WasiError(Errno.Notcapable);
            if ((fdflags & (FdFlags.Rsync | FdFlags.Sync)) != 0 && (requested & Rights.FdSync) == 0) throw new WasiError(Errno.Notcapable);
            if ((oflags & (OFlags.Creat | OFlags.Directory)) == (OFlags.Creat | OFlags.Directory)) throw new WasiError(Errno.Inval);

            var memory = GuestMemory.Of(caller);
            using var resolved = Resolve(memory, directory, path, pathLength, (lookupFlags & 1) != 0);
            if (resolved.TrailingSlash && (oflags & OFlags.Creat) != 0 && !resolved.IsSelf) throw new WasiError(Errno.Isdir);

            // A directory is opened for reading whatever rights come with it (they are cut down to a
            // directory's below); asking to write anything else that is a directory is EISDIR, as in POSIX.
            bool write = (oflags & OFlags.Directory) == 0 && !resolved.TrailingSlash
                && ((requested & (Rights.FdWrite | Rights.FdAllocate | Rights.FdFilestatSetSize)) != 0 || (oflags & OFlags.Trunc) != 0);
            bool read = (requested & (Rights.FdRead | Rights.FdReaddir)) != 0;
            int flags = Libc.O_CLOEXEC | Libc.O_NOFOLLOW | (write ? (read ? Libc.O_RDWR : Libc.O_WRONLY) : Libc.O_RDONLY);
            if ((oflags & OFlags.Directory) != 0 || resolved.TrailingSlash) flags |= Libc.O_DIRECTORY;
            if ((oflags & OFlags.Creat) != 0) flags |= Libc.O_CREAT;
            if ((oflags & OFlags.Excl) != 0) flags |= Libc.O_EXCL;
            if ((oflags & OFlags.Trunc) != 0) flags |= Libc.O_TRUNC;
            if ((fdflags & FdFlags.Append) != 0) flags |= Libc.O_APPEND;
            if ((fdflags & FdFlags.Nonblock) != 0) flags |= Libc.O_NONBLOCK;
            if ((fdflags & FdFlags.Dsync) != 0) flags |= Libc.O_DSYNC;
            if ((fdflags & (FdFlags.Sync | FdFlags.Rsync)) != 0) flags |= Libc.O_SYNC;

            int hostFd;
            fixed (byte* p = resolved.Name)
            {
                do hostFd = Libc.openat(resolved.DirectoryFd, p, flags, 0x1B6 /* 0666, less the umask */);
                while (hostFd < 0 && Libc.LastError == Libc.EINTR);
            }
            if (hostFd < 0) throw WasiError.FromLastError();
            var descriptor = new HostDescriptor(hostFd);
            try
            {
                var type = HostFiles.Stat(hostFd).FileType;
                descriptor.FileType = type;
                descriptor.Base = requested & (type == FileType.Directory ? Rights.DirectoryAll : Rights.FileAll);
                descriptor.Inheriting = inheriting;
                descriptor.Flags = fdflags;
            }
            catch
            {
                descriptor.Close();
                throw;
            }
            int newFd = Add(descriptor);
            memory.WriteU32(openedPointer, (uint)newFd);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int PathFilestatGet(Caller caller, int fd, int lookupFlags, int path, int pathLength, int statPointer)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathFilestatGet);
            var memory = GuestMemory.Of(caller);
            using var resolved = Resolve(memory, directory, path, pathLength, (lookupFlags & 1) != 0);
            var stat = HostFiles.StatAt(resolved.DirectoryFd, resolved.Name);
            if (resolved.TrailingSlash && stat.FileType != FileType.Directory) throw new WasiError(Errno.Notdir);
            stat.Write(memory, statPointer);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathFilestatSetTimes(Caller caller, int fd, int lookupFlags, int path, int pathLength,
        long accessTime, long modificationTime, int fstFlags)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathFilestatSetTimes);
            var times = stackalloc Libc.Timespec[2];
            HostFiles.TimesFor(accessTime, modificationTime, fstFlags, times);
            using var resolved = Resolve(GuestMemory.Of(caller), directory, path, pathLength, (lookupFlags & 1) != 0);
            int result;
            fixed (byte* p = resolved.Name)
                result = Libc.utimensat(resolved.DirectoryFd, p, times, Libc.AT_SYMLINK_NOFOLLOW);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathCreateDirectory(Caller caller, int fd, int path, int pathLength)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathCreateDirectory);
            using var resolved = Resolve(GuestMemory.Of(caller), directory, path, pathLength, follow: false);
            int result;
            fixed (byte* p = resolved.Name)
                result = Libc.mkdirat(resolved.DirectoryFd, p, 0x1FF /* 0777, less the umask */);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathRemoveDirectory(Caller caller, int fd, int path, int pathLength)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathRemoveDirectory);
            using var resolved = Resolve(GuestMemory.Of(caller), directory, path, pathLength, follow: false);
            int result;
            fixed (byte* p = resolved.Name)
                result = Libc.unlinkat(resolved.DirectoryFd, p, Libc.AT_REMOVEDIR);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathUnlinkFile(Caller caller, int fd, int path, int pathLength)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathUnlinkFile);
            using var resolved = Resolve(GuestMemory.Of(caller), directory, path, pathLength, follow: false);
            RefuseTrailingSlashOnNonDirectory(resolved);
            int result;
            fixed (byte* p = resolved.Name)
                result = Libc.unlinkat(resolved.DirectoryFd, p, 0);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>"name/" must name a directory: a file or symbolic link there is ENOTDIR (the kernel is never
    /// handed the slash, which would make it follow a link).</summary>
    private static void RefuseTrailingSlashOnNonDirectory(ResolvedPath resolved)
    {
        if (!resolved.TrailingSlash || resolved.IsSelf) return;
        FileType type;
        try { type = HostFiles.StatAt(resolved.DirectoryFd, resolved.Name).FileType; }
        catch (WasiError) { return; } // missing: the operation itself reports it
        if (type != FileType.Directory) throw new WasiError(Errno.Notdir);
    }

    internal unsafe int PathRename(Caller caller, int fd, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength)
    {
        try
        {
            var source = GetDirectory(fd, Rights.PathRenameSource);
            var target = GetDirectory(newFd, Rights.PathRenameTarget);
            var memory = GuestMemory.Of(caller);
            using var from = Resolve(memory, source, oldPath, oldPathLength, follow: false);
            using var to = Resolve(memory, target, newPath, newPathLength, follow: false);
            RefuseTrailingSlashOnNonDirectory(from);
            if (to.TrailingSlash && !from.TrailingSlash)
            {
                var type = HostFiles.StatAt(from.DirectoryFd, from.Name).FileType;
                if (type != FileType.Directory) throw new WasiError(Errno.Notdir);
            }
            int result;
            fixed (byte* p = from.Name)
            fixed (byte* q = to.Name)
                result = Libc.renameat(from.DirectoryFd, p, to.DirectoryFd, q);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathLink(Caller caller, int oldFd, int oldFlags, int oldPath, int oldPathLength, int newFd, int newPath, int newPathLength)
    {
        try
        {
            var source = GetDirectory(oldFd, Rights.PathLinkSource);
            var target = GetDirectory(newFd, Rights.PathLinkTarget);
            if ((oldFlags & ~1) != 0) throw new WasiError(Errno.Inval);
            var memory = GuestMemory.Of(caller);
            using var from = Resolve(memory, source, oldPath, oldPathLength, (oldFlags & 1) != 0);
            using var to = Resolve(memory, target, newPath, newPathLength, follow: false);
            RefuseTrailingSlashOnNonDirectory(from);
            if (to.TrailingSlash) throw new WasiError(Errno.Noent);
            int result;
            fixed (byte* p = from.Name)
            fixed (byte* q = to.Name)
                result = Libc.linkat(from.DirectoryFd, p, to.DirectoryFd, q, 0);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int PathSymlink(Caller caller, int oldPath, int oldPathLength, int fd, int newPath, int newPathLength)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathSymlink);
            var memory = GuestMemory.Of(caller);
            var contents = memory.Slice(oldPath, oldPathLength);
            if (contents.Length == 0) throw new WasiError(Errno.Noent);
            if (contents.Contains((byte)0)) throw new WasiError(Errno.Inval);
            byte[] target = [.. contents, 0];
            using var link = Resolve(memory, directory, newPath, newPathLength, follow: false);
            // The resolver would refuse to follow a link out of the sandbox anyway, but host programs
            // sharing the directory would not: a guest may only create links that stay inside.
            if (!PathResolver.StaysBeneath(target.AsSpan(0, target.Length - 1), link.Depth)) throw new WasiError(Errno.Notcapable);
            if (link.TrailingSlash) throw new WasiError(Errno.Noent);
            int result;
            fixed (byte* p = target)
            fixed (byte* q = link.Name)
                result = Libc.symlinkat(p, link.DirectoryFd, q);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int PathReadlink(Caller caller, int fd, int path, int pathLength, int buffer, int bufferLength, int usedPointer)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.PathReadlink);
            var memory = GuestMemory.Of(caller);
            using var resolved = Resolve(memory, directory, path, pathLength, follow: false);
            // Not a link is EINVAL, as readlinkat says.
            var target = PathResolver.ReadLink(resolved.DirectoryFd, resolved.Name, out int error)
                ?? throw new WasiError(Libc.ToErrno(error));
            var output = memory.Slice((uint)buffer, Math.Min((uint)bufferLength, (uint)target.Length));
            int count = Math.Min(target.Length, output.Length);
            target.AsSpan(0, count).CopyTo(output);
            memory.WriteU32(usedPointer, (uint)count);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }
}
