using System.Buffers.Binary;
using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

// The fd_* functions.
public sealed partial class WasiContext
{
    internal int FdWrite(Caller caller, int fd, int iovs, int iovsLength, int writtenPointer)
    {
        try
        {
            var descriptor = Get(fd, Rights.FdWrite);
            var memory = GuestMemory.Of(caller);
            long total = 0;
            if (descriptor is StreamDescriptor stream)
            {
                for (uint i = 0; i < (uint)iovsLength; i++)
                {
                    var buffer = memory.IoVector(iovs, (int)i);
                    if (total + buffer.Length > int.MaxValue) break;
                    stream.Stream.Write(buffer);
                    total += buffer.Length;
                }
                stream.Stream.Flush();
            }
            else
            {
                total = Transfer(memory, ((HostDescriptor)descriptor).Fd, iovs, iovsLength, -1, write: true);
            }
            memory.WriteU32(writtenPointer, (uint)total);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdRead(Caller caller, int fd, int iovs, int iovsLength, int readPointer)
    {
        try
        {
            var descriptor = Get(fd, Rights.FdRead);
            var memory = GuestMemory.Of(caller);
            long total = 0;
            if (descriptor is StreamDescriptor stream)
            {
                for (uint i = 0; i < (uint)iovsLength; i++)
                {
                    var buffer = memory.IoVector(iovs, (int)i);
                    if (total + buffer.Length > int.MaxValue) break;
                    int read = stream.Stream.Read(buffer);
                    total += read;
                    // A short read means no more is available now; asking again could block.
                    if (read < buffer.Length) break;
                }
            }
            else
            {
                total = Transfer(memory, ((HostDescriptor)descriptor).Fd, iovs, iovsLength, -1, write: false);
            }
            memory.WriteU32(readPointer, (uint)total);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdPread(Caller caller, int fd, int iovs, int iovsLength, long offset, int readPointer) =>
        Positioned(caller, fd, iovs, iovsLength, offset, readPointer, write: false);

    internal int FdPwrite(Caller caller, int fd, int iovs, int iovsLength, long offset, int writtenPointer) =>
        Positioned(caller, fd, iovs, iovsLength, offset, writtenPointer, write: true);

    private int Positioned(Caller caller, int fd, int iovs, int iovsLength, long offset, int countPointer, bool write)
    {
        try
        {
            var host = GetHost(fd, (write ? Rights.FdWrite : Rights.FdRead) | Rights.FdSeek, Errno.Spipe);
            if (offset < 0) throw new WasiError(Errno.Inval);
            var memory = GuestMemory.Of(caller);
            long total = Transfer(memory, host.Fd, iovs, iovsLength, offset, write);
            memory.WriteU32(countPointer, (uint)total);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>Reads or writes the iovecs with the host descriptor, at <paramref name="offset"/> or
    /// (when negative) the file position. Stops at the first short transfer, as readv/writev do; an
    /// error after some bytes moved reports those bytes.</summary>
    private static unsafe long Transfer(GuestMemory memory, int fd, int iovs, int iovsLength, long offset, bool write)
    {
        long total = 0;
        for (uint i = 0; i < (uint)iovsLength; i++)
        {
            var buffer = memory.IoVector(iovs, (int)i);
            if (total + buffer.Length > int.MaxValue) break;
            nint done;
            fixed (byte* p = buffer)
            {
                do
                {
                    done = (write, offset < 0) switch
                    {
                        (true, true) => Libc.write(fd, p, buffer.Length),
                        (true, false) => Libc.pwrite(fd, p, buffer.Length, offset + total),
                        (false, true) => Libc.read(fd, p, buffer.Length),
                        (false, false) => Libc.pread(fd, p, buffer.Length, offset + total),
                    };
                }
                while (done < 0 && Libc.LastError == Libc.EINTR);
            }
            if (done < 0)
            {
                if (total > 0) break;
                throw WasiError.FromLastError();
            }
            total += done;
            if (done < buffer.Length) break;
        }
        return total;
    }

    internal int FdSeek(Caller caller, int fd, long offset, int whence, int newOffsetPointer)
    {
        try
        {
            var descriptor = Get(fd);
            // fd_tell's right suffices for a seek that leaves the offset where it is.
            descriptor.Require(whence == (int)Whence.Cur && offset == 0 && (descriptor.Base & Rights.FdTell) != 0 ? Rights.FdTell : Rights.FdSeek);
            if ((uint)whence > (uint)Whence.End) throw new WasiError(Errno.Inval);
            if (descriptor is not HostDescriptor host) throw new WasiError(Errno.Spipe);
            long position = Libc.lseek(host.Fd, offset, whence);
            if (position < 0) throw WasiError.FromLastError();
            GuestMemory.Of(caller).WriteU64(newOffsetPointer, (ulong)position);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdTell(Caller caller, int fd, int offsetPointer)
    {
        try
        {
            var descriptor = Get(fd);
            if ((descriptor.Base & (Rights.FdTell | Rights.FdSeek)) == 0) throw new WasiError(Errno.Notcapable);
            if (descriptor is not HostDescriptor host) throw new WasiError(Errno.Spipe);
            long position = Libc.lseek(host.Fd, 0, (int)Whence.Cur);
            if (position < 0) throw WasiError.FromLastError();
            GuestMemory.Of(caller).WriteU64(offsetPointer, (ulong)position);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdClose(int fd)
    {
        try
        {
            var descriptor = Get(fd);
            _descriptors[fd] = null;
            descriptor.Close();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdRenumber(int fd, int to)
    {
        try
        {
            var descriptor = Get(fd);
            var target = Get(to);
            if (fd == to) return 0;
            target.Close();
            _descriptors[to] = descriptor;
            _descriptors[fd] = null;
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdFdstatGet(Caller caller, int fd, int statPointer)
    {
        try
        {
            var descriptor = Get(fd);
            // struct fdstat { u8 filetype; u16 flags @2; u64 rights_base @8; u64 rights_inheriting @16; } (24 bytes)
            var bytes = GuestMemory.Of(caller).Slice(statPointer, 24);
            bytes.Clear();
            bytes[0] = (byte)descriptor.FileType;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], (ushort)descriptor.Flags);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], (ulong)descriptor.Base);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes[16..], (ulong)descriptor.Inheriting);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdFdstatSetFlags(int fd, int flags)
    {
        try
        {
            var descriptor = Get(fd, Rights.FdFdstatSetFlags);
            if ((flags & ~0x1F) != 0) throw new WasiError(Errno.Inval);
            var wanted = (FdFlags)flags;
            const FdFlags synchronous = FdFlags.Dsync | FdFlags.Rsync | FdFlags.Sync;
            // Linux fixes the synchronous-I/O flags at open.
            if (((wanted ^ descriptor.Flags) & synchronous) != 0) throw new WasiError(Errno.Notsup);
            if (descriptor is HostDescriptor host)
            {
                int current = Libc.fcntl(host.Fd, Libc.F_GETFL, 0);
                if (current < 0) throw WasiError.FromLastError();
                int updated = current & ~(Libc.O_APPEND | Libc.O_NONBLOCK);
                if ((wanted & FdFlags.Append) != 0) updated |= Libc.O_APPEND;
                if ((wanted & FdFlags.Nonblock) != 0) updated |= Libc.O_NONBLOCK;
                if (Libc.fcntl(host.Fd, Libc.F_SETFL, updated) < 0) throw WasiError.FromLastError();
            }
            else if ((wanted & FdFlags.Nonblock) != 0)
            {
                throw new WasiError(Errno.Notsup); // a host stream cannot be made non-blocking
            }
            descriptor.Flags = wanted;
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdFdstatSetRights(int fd, long rightsBase, long rightsInheriting)
    {
        try
        {
            var descriptor = Get(fd);
            // Rights can only be given up, never gained.
            if (((Rights)rightsBase & ~descriptor.Base) != 0 || ((Rights)rightsInheriting & ~descriptor.Inheriting) != 0)
                throw new WasiError(Errno.Notcapable);
            descriptor.Base = (Rights)rightsBase;
            descriptor.Inheriting = (Rights)rightsInheriting;
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdFilestatGet(Caller caller, int fd, int statPointer)
    {
        try
        {
            var descriptor = Get(fd, Rights.FdFilestatGet);
            var stat = descriptor is HostDescriptor host
                ? HostFiles.Stat(host.Fd)
                : new Filestat(0, 0, descriptor.FileType, 1, 0, 0, 0, 0);
            stat.Write(GuestMemory.Of(caller), statPointer);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdFilestatSetSize(int fd, long size)
    {
        try
        {
            var host = GetHost(fd, Rights.FdFilestatSetSize, Errno.Inval);
            if (size < 0) throw new WasiError(Errno.Inval);
            int result;
            do result = Libc.ftruncate(host.Fd, size);
            while (result < 0 && Libc.LastError == Libc.EINTR);
            if (result < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal unsafe int FdFilestatSetTimes(int fd, long accessTime, long modificationTime, int flags)
    {
        try
        {
            var host = GetHost(fd, Rights.FdFilestatSetTimes, Errno.Inval);
            var times = stackalloc Libc.Timespec[2];
            HostFiles.TimesFor(accessTime, modificationTime, flags, times);
            if (Libc.futimens(host.Fd, times) < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdAdvise(int fd, long offset, long length, int advice)
    {
        try
        {
            var host = GetHost(fd, Rights.FdAdvise, Errno.Spipe);
            if ((uint)advice > (uint)Advice.NoReuse || offset < 0 || length < 0) throw new WasiError(Errno.Inval);
            // POSIX numbers random and sequential the other way round.
            int posix = (Advice)advice switch { Advice.Sequential => 2, Advice.Random => 1, _ => advice };
            int error = Libc.posix_fadvise(host.Fd, offset, length, posix);
            if (error != 0) throw new WasiError(Libc.ToErrno(error));
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdAllocate(int fd, long offset, long length)
    {
        try
        {
            var host = GetHost(fd, Rights.FdAllocate, Errno.Spipe);
            if (offset < 0 || length <= 0 || offset + length < 0) throw new WasiError(Errno.Inval);
            int error = Libc.posix_fallocate(host.Fd, offset, length);
            if (error != 0) throw new WasiError(Libc.ToErrno(error));
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdSync(int fd, bool dataOnly)
    {
        try
        {
            var descriptor = Get(fd, dataOnly ? Rights.FdDatasync : Rights.FdSync);
            if (descriptor is StreamDescriptor stream)
            {
                stream.Stream.Flush();
                return 0;
            }
            var host = (HostDescriptor)descriptor;
            if ((dataOnly ? Libc.fdatasync(host.Fd) : Libc.fsync(host.Fd)) < 0) throw WasiError.FromLastError();
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdPrestatGet(Caller caller, int fd, int prestatPointer)
    {
        try
        {
            var name = PreopenName(fd);
            // struct prestat { u8 tag (0 = dir); u32 pr_name_len @4; } (8 bytes)
            var bytes = GuestMemory.Of(caller).Slice(prestatPointer, 8);
            bytes.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], (uint)name.Length);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    internal int FdPrestatDirName(Caller caller, int fd, int path, int pathLength)
    {
        try
        {
            var name = PreopenName(fd);
            if ((uint)pathLength < (uint)name.Length) throw new WasiError(Errno.Nametoolong);
            name.CopyTo(GuestMemory.Of(caller).Slice(path, name.Length));
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    /// <summary>A preopen's guest name; any other descriptor is EBADF (wasi-libc scans from 3 until EBADF).</summary>
    private byte[] PreopenName(int fd) =>
        (Get(fd) as HostDescriptor)?.PreopenName ?? throw new WasiError(Errno.Badf);

    internal int FdReaddir(Caller caller, int fd, int buffer, int bufferLength, long cookie, int usedPointer)
    {
        try
        {
            var directory = GetDirectory(fd, Rights.FdReaddir);
            var memory = GuestMemory.Of(caller);
            // A buffer over 2 GiB is used only up to 2 GiB: the listing may always stop early.
            var output = memory.Slice((uint)buffer, Math.Min((uint)bufferLength, int.MaxValue));
            if (cookie == 0 || directory.Entries is null) directory.Entries = HostFiles.ReadDirectory(directory.Fd);
            var entries = directory.Entries;
            int used = 0;
            Span<byte> header = stackalloc byte[24];
            // Entries are packed as struct dirent { u64 d_next; u64 d_ino; u32 d_namlen; u8 d_type; } (24 bytes)
            // then the name; the last one is cut off when the buffer ends, which tells the guest to come back.
            for (ulong i = (ulong)cookie; i < (ulong)entries.Count && used < output.Length; i++)
            {
                var entry = entries[(int)i];
                header.Clear();
                BinaryPrimitives.WriteUInt64LittleEndian(header, i + 1);
                BinaryPrimitives.WriteUInt64LittleEndian(header[8..], entry.Inode);
                BinaryPrimitives.WriteUInt32LittleEndian(header[16..], (uint)entry.Name.Length);
                header[20] = (byte)entry.Type;
                used += CopyPartial(header, output[used..]);
                used += CopyPartial(entry.Name, output[used..]);
            }
            memory.WriteU32(usedPointer, (uint)used);
            return 0;
        }
        catch (Exception e) { return Fail(e); }
    }

    private static int CopyPartial(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int count = Math.Min(source.Length, destination.Length);
        source[..count].CopyTo(destination);
        return count;
    }
}
