namespace IronWasm.Wasi.Native;

/// <summary>WASI's file attributes (typenames.witx <c>$filestat</c>).</summary>
internal readonly record struct Filestat(ulong Device, ulong Inode, FileType FileType, ulong LinkCount, ulong Size,
    ulong AccessTime, ulong ModificationTime, ulong ChangeTime)
{
    /// <summary>Writes the 64-byte guest layout at <paramref name="address"/>.</summary>
    public void Write(GuestMemory memory, int address)
    {
        var bytes = memory.Slice(address, 64);
        bytes.Clear();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes, Device);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[8..], Inode);
        bytes[16] = (byte)FileType;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[24..], LinkCount);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[32..], Size);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[40..], AccessTime);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[48..], ModificationTime);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(bytes[56..], ChangeTime);
    }
}

/// <summary>Host file operations shared by the fd_* and path_* functions; failures throw
/// <see cref="WasiError"/> with the mapped errno.</summary>
internal static unsafe class HostFiles
{
    private static readonly byte[] Empty = [0];

    /// <summary>Attributes of the open descriptor <paramref name="fd"/>.</summary>
    public static Filestat Stat(int fd) => StatAt(fd, Empty, Libc.AT_EMPTY_PATH);

    /// <summary>Attributes of <paramref name="name"/> (NUL-terminated, no slash) in directory
    /// <paramref name="directoryFd"/>, never following a symbolic link.</summary>
    public static Filestat StatAt(int directoryFd, byte[] name, int flags = 0)
    {
        Libc.Statx buffer;
        int result;
        fixed (byte* p = name)
            result = Libc.statx(directoryFd, p, flags | Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, &buffer);
        if (result != 0) throw WasiError.FromLastError();
        return new Filestat(
            (ulong)buffer.DevMajor << 32 | buffer.DevMinor,
            buffer.Ino,
            FileTypeOfMode(buffer.Mode),
            buffer.NLink,
            buffer.Size,
            Nanoseconds(buffer.AtimeSeconds, buffer.AtimeNanoseconds),
            Nanoseconds(buffer.MtimeSeconds, buffer.MtimeNanoseconds),
            Nanoseconds(buffer.CtimeSeconds, buffer.CtimeNanoseconds));
    }

    private static ulong Nanoseconds(long seconds, uint nanoseconds) =>
        seconds < 0 ? 0 : (ulong)seconds * 1_000_000_000UL + nanoseconds;

    public static FileType FileTypeOfMode(int mode) => (mode & Libc.S_IFMT) switch
    {
        Libc.S_IFREG => FileType.RegularFile,
        Libc.S_IFDIR => FileType.Directory,
        Libc.S_IFLNK => FileType.SymbolicLink,
        Libc.S_IFCHR => FileType.CharacterDevice,
        Libc.S_IFBLK => FileType.BlockDevice,
        Libc.S_IFSOCK => FileType.SocketStream,
        _ => FileType.Unknown,
    };

    private static FileType FileTypeOfDirentType(byte type) => type switch
    {
        2 => FileType.CharacterDevice,
        4 => FileType.Directory,
        6 => FileType.BlockDevice,
        8 => FileType.RegularFile,
        10 => FileType.SymbolicLink,
        12 => FileType.SocketStream,
        _ => FileType.Unknown,
    };

    /// <summary>Every entry of the open directory <paramref name="fd"/>, "." and ".." included.</summary>
    public static List<DirectoryEntry> ReadDirectory(int fd)
    {
        int copy = Libc.dup(fd);
        if (copy < 0) throw WasiError.FromLastError();
        nint directory = Libc.fdopendir(copy);
        if (directory == 0)
        {
            var error = WasiError.FromLastError();
            Libc.close(copy);
            throw error;
        }
        try
        {
            Libc.rewinddir(directory);
            var entries = new List<DirectoryEntry>();
            while (true)
            {
                // struct dirent (64-bit glibc and musl): d_ino u64 @0, d_off @8, d_reclen u16 @16, d_type u8 @18, d_name @19.
                byte* entry = Libc.readdir(directory);
                if (entry == null)
                {
                    int error = Libc.LastError;
                    if (error != 0) throw new WasiError(Libc.ToErrno(error));
                    break;
                }
                var name = new ReadOnlySpan<byte>(entry + 19, *(ushort*)(entry + 16) - 19);
                name = name[..name.IndexOf((byte)0)];
                var type = FileTypeOfDirentType(entry[18]);
                var bytes = name.ToArray();
                if (entry[18] == 0)
                {
                    try { type = StatAt(fd, [.. bytes, 0]).FileType; }
                    catch (WasiError) { type = FileType.Unknown; }
                }
                entries.Add(new DirectoryEntry(bytes, *(ulong*)entry, type));
            }
            return entries;
        }
        finally
        {
            Libc.closedir(directory);
        }
    }

    /// <summary>The timespec pair of utimensat/futimens for fd_filestat_set_times and path_filestat_set_times.</summary>
    public static void TimesFor(long accessTime, long modificationTime, int flags, Libc.Timespec* times)
    {
        var fst = (FstFlags)flags;
        if ((flags & ~0xF) != 0
            || (fst & (FstFlags.Atim | FstFlags.AtimNow)) == (FstFlags.Atim | FstFlags.AtimNow)
            || (fst & (FstFlags.Mtim | FstFlags.MtimNow)) == (FstFlags.Mtim | FstFlags.MtimNow))
            throw new WasiError(Errno.Inval);
        times[0] = Time(accessTime, (fst & FstFlags.Atim) != 0, (fst & FstFlags.AtimNow) != 0);
        times[1] = Time(modificationTime, (fst & FstFlags.Mtim) != 0, (fst & FstFlags.MtimNow) != 0);
    }

    private static Libc.Timespec Time(long value, bool set, bool now)
    {
        if (now) return new Libc.Timespec { Nanoseconds = Libc.UTIME_NOW };
        if (!set) return new Libc.Timespec { Nanoseconds = Libc.UTIME_OMIT };
        ulong nanoseconds = (ulong)value;
        return new Libc.Timespec { Seconds = (long)(nanoseconds / 1_000_000_000UL), Nanoseconds = (long)(nanoseconds % 1_000_000_000UL) };
    }
}
