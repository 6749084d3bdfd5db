using Microsoft.Win32.SafeHandles;

namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>The medium behind a simulated disk: bytes addressed by offset.</summary>
internal interface IBlockStore : IDisposable
{
    long Length { get; }
    bool IsReadOnly { get; }

    /// <exception cref="IOException">The medium failed.</exception>
    void Read(long offset, Span<byte> into);

    /// <exception cref="IOException">The medium failed.</exception>
    void Write(long offset, ReadOnlySpan<byte> data);

    void Flush();
}

internal sealed class MemoryBlockStore(byte[] image, bool readOnly) : IBlockStore
{
    public long Length => image.LongLength;
    public bool IsReadOnly => readOnly;
    public void Read(long offset, Span<byte> into) => image.AsSpan(checked((int)offset), into.Length).CopyTo(into);
    public void Write(long offset, ReadOnlySpan<byte> data) => data.CopyTo(image.AsSpan(checked((int)offset)));
    public void Flush() { }
    public void Dispose() { }
}

/// <summary>An image file, read and written in place with positional I/O (no stream position,
/// no buffering of ours: the disk's own staging buffer batches packets into large requests).</summary>
internal sealed class FileBlockStore : IBlockStore
{
    private readonly SafeFileHandle _handle;

    public FileBlockStore(string path, bool readOnly)
    {
        _handle = File.OpenHandle(path, FileMode.Open, readOnly ? FileAccess.Read : FileAccess.ReadWrite,
            readOnly ? FileShare.Read : FileShare.None);
        Length = RandomAccess.GetLength(_handle);
        IsReadOnly = readOnly;
    }

    public long Length { get; }
    public bool IsReadOnly { get; }

    public void Read(long offset, Span<byte> into)
    {
        while (!into.IsEmpty)
        {
            int n = RandomAccess.Read(_handle, into, offset);
            if (n == 0)
            {
                into.Clear();
                return;
            }
            into = into[n..];
            offset += n;
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data) => RandomAccess.Write(_handle, data, offset);

    public void Flush()
    {
        if (!IsReadOnly) RandomAccess.FlushToDisk(_handle);
    }

    public void Dispose() => _handle.Dispose();
}
