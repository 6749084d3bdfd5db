using System.Diagnostics;
using System.Text;
using IronWasm.Wasi.Native;

namespace IronWasm.Wasi;

/// <summary>One guest's WASI state: its arguments and environment, clocks, and descriptor table
/// (0-2 the standard streams, then the preopened directories). Give it to
/// <see cref="WasiLinkerExtensions.DefineWasi(Linker, WasiContext)"/>; dispose it to close the host files the guest left open.
/// Not thread-safe: one guest at a time.</summary>
public sealed partial class WasiContext : IDisposable
{
    /// <summary>At most this many open descriptors per guest (host descriptors are a shared resource).</summary>
    internal const int DefaultMaxDescriptors = 4096;

    internal int MaxDescriptors { get; set; } = DefaultMaxDescriptors;

    private readonly List<Descriptor?> _descriptors = [];
    private readonly byte[][] _args;
    private readonly byte[][] _environment;
    private bool _disposed;

    /// <summary>Snapshots <paramref name="configuration"/> and opens its preopened directories. Throws
    /// <see cref="DirectoryNotFoundException"/> for a missing one, and
    /// <see cref="PlatformNotSupportedException"/> for preopens outside 64-bit Linux (see RATIONALE.md).</summary>
    public WasiContext(WasiConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Loops, not LINQ: Select over key-value pairs is generic code the JIT compiles at every start.
        _args = new byte[configuration.Args.Count][];
        for (int i = 0; i < _args.Length; i++) _args[i] = NulTerminated(configuration.Args[i]);
        _environment = new byte[configuration.Environment.Count][];
        for (int i = 0; i < _environment.Length; i++)
        {
            var pair = configuration.Environment[i];
            _environment[i] = NulTerminated($"{pair.Key}={pair.Value}");
        }
        _descriptors.Add(OpenStdio(configuration.StandardInput, 0));
        _descriptors.Add(OpenStdio(configuration.StandardOutput, 1));
        _descriptors.Add(OpenStdio(configuration.StandardError, 2));
        try
        {
            foreach (var preopen in configuration.Preopens) _descriptors.Add(OpenPreopen(preopen));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private static byte[] NulTerminated(string value) => Encoding.UTF8.GetBytes(value + "\0");

    private static StreamDescriptor OpenStdio(WasiConfiguration.Stdio stdio, int fd)
    {
        bool input = fd == 0;
        Stream stream;
        int hostFd = -1;
        switch (stdio.Kind)
        {
            case WasiConfiguration.StdioKind.Inherited:
                // Output straight to the descriptor where we can (see HostOutputStream: the console's
                // stream costs milliseconds on its first write); input through the console's stream,
                // which only sets the terminal up when the guest reads.
                stream = fd == 0 ? Console.OpenStandardInput()
                    : Libc.IsSupported ? new HostOutputStream(fd)
                    : fd == 1 ? Console.OpenStandardOutput() : Console.OpenStandardError();
                hostFd = fd;
                break;
            case WasiConfiguration.StdioKind.Stream:
                stream = stdio.Stream!;
                break;
            default:
                stream = Stream.Null;
                break;
        }
        bool terminal = hostFd >= 0 && IsTerminal(hostFd);
        // wasi-libc takes a character device without seek rights for a terminal (isatty), which makes
        // stdout line-buffered; anything else is a stream that cannot seek (fd_seek gives ESPIPE).
        var rights = (input ? Rights.FdRead : Rights.FdWrite) | Rights.FdFdstatSetFlags | Rights.FdFilestatGet | Rights.PollFdReadwrite;
        if (!terminal) rights |= Rights.FdSeek | Rights.FdTell;
        return new StreamDescriptor(stream, input, hostFd)
        {
            FileType = terminal ? FileType.CharacterDevice : FileType.Unknown,
            Base = rights,
            Inheriting = Rights.None,
            Flags = input ? FdFlags.None : FdFlags.Append,
        };
    }

    private static bool IsTerminal(int fd)
    {
        if (Libc.IsSupported) return Libc.isatty(fd) == 1;
        return fd switch { 0 => !Console.IsInputRedirected, 1 => !Console.IsOutputRedirected, _ => !Console.IsErrorRedirected };
    }

    private static unsafe HostDescriptor OpenPreopen(WasiConfiguration.Preopen preopen)
    {
        if (!Libc.IsSupported)
            throw new PlatformNotSupportedException("preopened directories need 64-bit Linux: the sandboxed file system is built on openat and O_NOFOLLOW");
        var path = NulTerminated(Path.GetFullPath(preopen.HostPath));
        int fd;
        fixed (byte* p = path)
        {
            do fd = Libc.openat(Libc.AT_FDCWD, p, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
            while (fd < 0 && Libc.LastError == Libc.EINTR);
        }
        if (fd < 0)
        {
            int error = Libc.LastError;
            throw error is Libc.ENOENT or Libc.ENOTDIR
                ? new DirectoryNotFoundException($"cannot preopen '{preopen.HostPath}': no such directory")
                : new IOException($"cannot preopen '{preopen.HostPath}': {Libc.ToErrno(error)} (errno {error})");
        }
        bool write = (preopen.Rights & DirectoryRights.Write) != 0;
        return new HostDescriptor(fd)
        {
            FileType = FileType.Directory,
            PreopenName = Encoding.UTF8.GetBytes(preopen.GuestPath),
            Base = write ? Rights.DirectoryAll : Rights.DirectoryRead,
            Inheriting = write ? Rights.DirectoryAll | Rights.FileAll : Rights.DirectoryRead | Rights.FileRead,
        };
    }

    /// <summary>The descriptor <paramref name="fd"/>, or EBADF.</summary>
    internal Descriptor Get(int fd)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)fd >= (uint)_descriptors.Count || _descriptors[fd] is not { } descriptor) throw new WasiError(Errno.Badf);
        return descriptor;
    }

    /// <summary>The descriptor <paramref name="fd"/> holding <paramref name="required"/> rights.</summary>
    internal Descriptor Get(int fd, Rights required)
    {
        var descriptor = Get(fd);
        descriptor.Require(required);
        return descriptor;
    }

    /// <summary>The host file or directory <paramref name="fd"/> holding <paramref name="required"/>
    /// rights; a standard stream gives <paramref name="otherwise"/>.</summary>
    internal HostDescriptor GetHost(int fd, Rights required, Errno otherwise)
    {
        var descriptor = Get(fd, required);
        return descriptor as HostDescriptor ?? throw new WasiError(otherwise);
    }

    /// <summary>The directory <paramref name="fd"/> holding <paramref name="required"/> rights; anything
    /// else gives ENOTDIR.</summary>
    internal HostDescriptor GetDirectory(int fd, Rights required)
    {
        var descriptor = Get(fd);
        if (descriptor is not HostDescriptor { FileType: FileType.Directory } directory) throw new WasiError(Errno.Notdir);
        directory.Require(required);
        return directory;
    }

    /// <summary>Puts <paramref name="descriptor"/> in the lowest free slot, as POSIX does.</summary>
    internal int Add(Descriptor descriptor)
    {
        int index = _descriptors.IndexOf(null);
        if (index >= 0)
        {
            _descriptors[index] = descriptor;
            return index;
        }
        if (_descriptors.Count >= MaxDescriptors)
        {
            descriptor.Close();
            throw new WasiError(Errno.Mfile);
        }
        _descriptors.Add(descriptor);
        return _descriptors.Count - 1;
    }

    /// <summary>Closes every host file and directory the guest still holds.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var descriptor in _descriptors) descriptor?.Close();
        _descriptors.Clear();
    }

    /// <summary>The errno for an exception that ended a WASI call.</summary>
    private static int Fail(Exception exception) => (int)(exception switch
    {
        WasiError error => error.Errno,
        ObjectDisposedException => Errno.Badf,
        UnauthorizedAccessException => Errno.Acces,
        NotSupportedException => Errno.Notsup,
        _ => Errno.Io,
    });
}
