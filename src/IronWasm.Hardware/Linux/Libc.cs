using System.Runtime.InteropServices;

namespace IronWasm.Hardware.Linux;

/// <summary>The few libc calls the Linux backends need, called directly: no native code of ours.
/// ioctl is variadic in C; passing the request and one pointer or integer is how every caller
/// uses it, and matches the variadic calling convention on the 64-bit ABIs .NET runs on.</summary>
internal static unsafe partial class Libc
{
    private const string Library = "libc";

    public const int O_RDONLY = 0;
    public const int O_RDWR = 2;
    public const int O_CLOEXEC = 0x80000;

    public const short POLLIN = 0x1;
    public const short POLLERR = 0x8;
    public const short POLLHUP = 0x10;
    public const short POLLNVAL = 0x20;

    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenRaw(string path, int flags);

    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(FileDescriptor fd, nuint request, void* argument);

    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(FileDescriptor fd, nuint request, nuint value);

    [LibraryImport(Library, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(FileDescriptor fd, void* buffer, nuint count);

    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    private static partial int PollRaw(PollFd* fds, nuint count, int timeoutMilliseconds);

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>Opens a device file with close-on-exec, retrying when interrupted.</summary>
    /// <exception cref="LinuxDeviceException">It cannot be opened; the message says why and what to check.</exception>
    public static FileDescriptor OpenDevice(string path, int flags, string whatItIs)
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException($"{whatItIs} {path}: the Linux backends run on Linux only");
        int fd;
        int errno;
        do
        {
            fd = OpenRaw(path, flags | O_CLOEXEC);
            errno = fd < 0 ? Marshal.GetLastPInvokeError() : 0;
        }
        while (fd < 0 && errno == Errno.EINTR);
        if (fd < 0) throw LinuxDeviceException.ForOpen(path, whatItIs, errno);
        return new FileDescriptor(fd);
    }

    /// <summary>ioctl that retries on EINTR; returns the result, or -errno.</summary>
    public static int IoctlRetrying(FileDescriptor fd, nuint request, void* argument)
    {
        while (true)
        {
            int result = Ioctl(fd, request, argument);
            if (result >= 0) return result;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != Errno.EINTR) return -errno;
        }
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> (-1: forever) for <paramref name="fd"/>
    /// to be readable. Returns the revents, 0 on timeout, or -errno.</summary>
    public static int PollReadable(FileDescriptor fd, int timeoutMilliseconds)
    {
        bool added = false;
        try
        {
            fd.DangerousAddRef(ref added);
            var entry = new PollFd { Fd = (int)fd.DangerousGetHandle(), Events = POLLIN };
            int result = PollRaw(&entry, 1, timeoutMilliseconds);
            if (result < 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                return errno == Errno.EINTR ? 0 : -errno;
            }
            return result == 0 ? 0 : entry.ReturnedEvents;
        }
        finally
        {
            if (added) fd.DangerousRelease();
        }
    }
}

/// <summary>An open file descriptor; closed once, when disposed or finalized.</summary>
internal sealed class FileDescriptor : SafeHandle
{
    public FileDescriptor(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}

/// <summary>The Linux errno values the backends tell apart (the asm-generic numbering, which
/// x86, Arm and RISC-V Linux use).</summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int ENODEV = 19;
    public const int EINVAL = 22;
    public const int ENOTTY = 25;
    public const int EPROTO = 71;
    public const int EBADMSG = 74;
    public const int EOVERFLOW = 75;
    public const int EMSGSIZE = 90;
    public const int EOPNOTSUPP = 95;
    public const int ESHUTDOWN = 108;
    public const int ETIMEDOUT = 110;
    public const int EREMOTEIO = 121;
    /// <summary>The kernel-internal ENOTSUPP, which some drivers leak to user space.</summary>
    public const int ENOTSUPP = 524;

    public static string Name(int errno) => errno switch
    {
        EPERM => "EPERM",
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        ENOMEM => "ENOMEM",
        EACCES => "EACCES",
        EFAULT => "EFAULT",
        EBUSY => "EBUSY",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        EPROTO => "EPROTO",
        EBADMSG => "EBADMSG",
        EOVERFLOW => "EOVERFLOW",
        EMSGSIZE => "EMSGSIZE",
        EOPNOTSUPP => "EOPNOTSUPP",
        ESHUTDOWN => "ESHUTDOWN",
        ETIMEDOUT => "ETIMEDOUT",
        EREMOTEIO => "EREMOTEIO",
        ENOTSUPP => "ENOTSUPP",
        _ => $"errno {errno}",
    };

    /// <summary>e.g. "No such device or address (ENXIO)".</summary>
    public static string Describe(int errno) =>
        errno == ENOTSUPP ? "Operation not supported (ENOTSUPP)" : $"{Marshal.GetPInvokeErrorMessage(errno)} ({Name(errno)})";
}

/// <summary>A Linux device file could not be opened or used. <see cref="Errno"/> is the system's error number.</summary>
public sealed class LinuxDeviceException : IOException
{
    public LinuxDeviceException(string path, int errno, string message) : base(message)
    {
        DevicePath = path;
        Errno = errno;
    }

    public string DevicePath { get; }
    public int Errno { get; }

    internal static LinuxDeviceException ForOpen(string path, string whatItIs, int errno)
    {
        string hint = errno switch
        {
            Linux.Errno.ENOENT => whatItIs switch
            {
                LinuxNames.I2cDevice => " (is the i2c-dev module loaded, and is the bus number right? `ls /dev/i2c-*` lists the buses)",
                LinuxNames.GpioChip => " (`ls /dev/gpiochip*` lists the GPIO chips)",
                LinuxNames.SpiDevice => " (is the spidev driver bound to this chip select? `ls /dev/spidev*` lists them)",
                _ => "",
            },
            Linux.Errno.EACCES or Linux.Errno.EPERM => " (run as root, or give this user access, e.g. through the i2c, gpio or spi group)",
            Linux.Errno.EBUSY => " (another program or a kernel driver holds it)",
            _ => "",
        };
        return new LinuxDeviceException(path, errno, $"cannot open {whatItIs} {path}: {Linux.Errno.Describe(errno)}{hint}");
    }
}

internal static class LinuxNames
{
    public const string I2cDevice = "the I2C bus";
    public const string GpioChip = "the GPIO chip";
    public const string SpiDevice = "the SPI device";
}
