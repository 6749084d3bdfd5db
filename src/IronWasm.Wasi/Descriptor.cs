namespace IronWasm.Wasi;

/// <summary>An entry of a guest's descriptor table: what it refers to and the rights it carries.</summary>
internal abstract class Descriptor
{
    public FileType FileType { get; set; }
    public Rights Base { get; set; }
    public Rights Inheriting { get; set; }
    public FdFlags Flags { get; set; }

    /// <summary>Fails the call unless this descriptor holds every right in <paramref name="required"/>.</summary>
    public void Require(Rights required)
    {
        if ((Base & required) != required) throw new WasiError(Errno.Notcapable);
    }

    public abstract void Close();
}

/// <summary>A standard stream: the host's own, or a <see cref="Stream"/> the embedder gave.</summary>
internal sealed class StreamDescriptor : Descriptor
{
    public StreamDescriptor(Stream stream, bool readable, int hostFd)
    {
        Stream = stream;
        Readable = readable;
        HostFd = hostFd;
    }

    public Stream Stream { get; }
    public bool Readable { get; }

    /// <summary>The host's descriptor for an inherited stream (for polling), else -1.</summary>
    public int HostFd { get; }

    // The stream belongs to the embedder or the host process; closing the guest's descriptor only
    // removes it from the table.
    public override void Close() { }
}

/// <summary>A file or directory opened on the host (Linux descriptor <see cref="Fd"/>).</summary>
internal sealed class HostDescriptor(int fd) : Descriptor
{
    public int Fd { get; private set; } = fd;

    /// <summary>The guest path of a preopened directory (UTF-8), else null.</summary>
    public byte[]? PreopenName { get; init; }

    /// <summary>The listing fd_readdir hands out by cookie; read again when a guest starts over at cookie 0.</summary>
    public List<DirectoryEntry>? Entries { get; set; }

    public override void Close()
    {
        if (Fd >= 0) Native.Libc.close(Fd);
        Fd = -1;
    }
}

internal readonly record struct DirectoryEntry(byte[] Name, ulong Inode, FileType Type);
