using System.Runtime.InteropServices;

namespace IronWasm.Wasi.Native;

/// <summary>The Linux C library calls the sandboxed file system is built on (see RATIONALE.md: every
/// path operation is an <c>*at</c> call relative to a directory descriptor the resolver opened itself).
/// Only 64-bit Linux: <c>off_t</c> and <c>timespec</c> are 64-bit there, and <c>statx</c> has one layout
/// on every architecture.</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Environment.Is64BitProcess;

    // open(2) flags. O_DIRECTORY and O_NOFOLLOW differ on ARM; the others are the generic values.
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2;
    public const int O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200, O_APPEND = 0x400, O_NONBLOCK = 0x800;
    public const int O_DSYNC = 0x1000, O_SYNC = 0x101000, O_RSYNC = O_SYNC, O_CLOEXEC = 0x80000, O_PATH = 0x200000;
    public static readonly int O_DIRECTORY = IsArm ? 0x4000 : 0x10000;
    public static readonly int O_NOFOLLOW = IsArm ? 0x8000 : 0x20000;

    private static bool IsArm =>
        RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Armv6;

    public const int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    public const int F_GETFL = 3, F_SETFL = 4;
    public const long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    public const int S_IFMT = 0xF000, S_IFSOCK = 0xC000, S_IFLNK = 0xA000, S_IFREG = 0x8000, S_IFBLK = 0x6000,
        S_IFDIR = 0x4000, S_IFCHR = 0x2000, S_IFIFO = 0x1000;
    public const short POLLIN = 1, POLLOUT = 4;
    public const int CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
    public const uint STATX_BASIC_STATS = 0x7FF;

    // errno values used by name in the resolver.
    public const int ENOENT = 2, EINTR = 4, EBADF = 9, EAGAIN = 11, EACCES = 13, EEXIST = 17, ENOTDIR = 20, EISDIR = 21, EINVAL = 22, EPIPE = 32, ELOOP = 40;

    [StructLayout(LayoutKind.Sequential)]
    public struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>The fields of <c>struct statx</c> WASI needs (the whole struct is 256 bytes).</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(16)] public uint NLink;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
        [FieldOffset(64)] public long AtimeSeconds;
        [FieldOffset(72)] public uint AtimeNanoseconds;
        [FieldOffset(96)] public long CtimeSeconds;
        [FieldOffset(104)] public uint CtimeNanoseconds;
        [FieldOffset(112)] public long MtimeSeconds;
        [FieldOffset(120)] public uint MtimeNanoseconds;
        [FieldOffset(136)] public uint DevMajor;
        [FieldOffset(140)] public uint DevMinor;
    }

    // mode is variadic in C; passing it as a fixed int is the same call on the 64-bit Linux ABIs.
    [LibraryImport(Library, SetLastError = true)] public static partial int openat(int dirfd, byte* path, int flags, int mode);
    [LibraryImport(Library, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial nint read(int fd, byte* buffer, nint count);
    [LibraryImport(Library, SetLastError = true)] public static partial nint write(int fd, byte* buffer, nint count);
    [LibraryImport(Library, SetLastError = true)] public static partial nint pread(int fd, byte* buffer, nint count, long offset);
    [LibraryImport(Library, SetLastError = true)] public static partial nint pwrite(int fd, byte* buffer, nint count, long offset);
    [LibraryImport(Library, SetLastError = true)] public static partial long lseek(int fd, long offset, int whence);
    [LibraryImport(Library, SetLastError = true)] public static partial int fsync(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial int fdatasync(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial int ftruncate(int fd, long length);
    // These two return the error number instead of setting errno.
    [LibraryImport(Library)] public static partial int posix_fallocate(int fd, long offset, long length);
    [LibraryImport(Library)] public static partial int posix_fadvise(int fd, long offset, long length, int advice);
    [LibraryImport(Library, SetLastError = true)] public static partial int fcntl(int fd, int command, int argument);
    [LibraryImport(Library, SetLastError = true)] public static partial int futimens(int fd, Timespec* times);
    [LibraryImport(Library, SetLastError = true)] public static partial int utimensat(int dirfd, byte* path, Timespec* times, int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int statx(int dirfd, byte* path, int flags, uint mask, Statx* buffer);
    [LibraryImport(Library, SetLastError = true)] public static partial int mkdirat(int dirfd, byte* path, int mode);
    [LibraryImport(Library, SetLastError = true)] public static partial int unlinkat(int dirfd, byte* path, int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int renameat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath);
    [LibraryImport(Library, SetLastError = true)] public static partial int linkat(int olddirfd, byte* oldpath, int newdirfd, byte* newpath, int flags);
    [LibraryImport(Library, SetLastError = true)] public static partial int symlinkat(byte* target, int newdirfd, byte* linkpath);
    [LibraryImport(Library, SetLastError = true)] public static partial nint readlinkat(int dirfd, byte* path, byte* buffer, nint size);
    [LibraryImport(Library, SetLastError = true)] public static partial int dup(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial nint fdopendir(int fd);
    [LibraryImport(Library, SetLastError = true)] public static partial void rewinddir(nint dir);
    [LibraryImport(Library, SetLastError = true)] public static partial byte* readdir(nint dir);
    [LibraryImport(Library, SetLastError = true)] public static partial int closedir(nint dir);
    [LibraryImport(Library, SetLastError = true)] public static partial int poll(PollFd* fds, nuint count, int timeout);
    [LibraryImport(Library, SetLastError = true)] public static partial int clock_gettime(int clock, Timespec* time);
    [LibraryImport(Library, SetLastError = true)] public static partial int isatty(int fd);

    public static int LastError => Marshal.GetLastPInvokeError();

    /// <summary>The WASI errno for a Linux errno (the generic Linux numbering of x86 and ARM).</summary>
    public static Errno ToErrno(int error) => error switch
    {
        1 => Errno.Perm, 2 => Errno.Noent, 3 => Errno.Srch, 4 => Errno.Intr, 5 => Errno.Io, 6 => Errno.Nxio,
        7 => Errno.TooBig, 8 => Errno.Noexec, 9 => Errno.Badf, 10 => Errno.Child, 11 => Errno.Again, 12 => Errno.Nomem,
        13 => Errno.Acces, 14 => Errno.Fault, 16 => Errno.Busy, 17 => Errno.Exist, 18 => Errno.Xdev, 19 => Errno.Nodev,
        20 => Errno.Notdir, 21 => Errno.Isdir, 22 => Errno.Inval, 23 => Errno.Nfile, 24 => Errno.Mfile, 25 => Errno.Notty,
        26 => Errno.Txtbsy, 27 => Errno.Fbig, 28 => Errno.Nospc, 29 => Errno.Spipe, 30 => Errno.Rofs, 31 => Errno.Mlink,
        32 => Errno.Pipe, 33 => Errno.Dom, 34 => Errno.Range, 35 => Errno.Deadlk, 36 => Errno.Nametoolong, 37 => Errno.Nolck,
        38 => Errno.Nosys, 39 => Errno.Notempty, 40 => Errno.Loop, 71 => Errno.Proto, 74 => Errno.Badmsg,
        75 => Errno.Overflow, 84 => Errno.Ilseq, 88 => Errno.Notsock, 95 => Errno.Notsup, 122 => Errno.Dquot,
        125 => Errno.Canceled,
        _ => Errno.Io,
    };
}
