using System.Buffers.Binary;
using System.Text;
using IronWasm.Runtime;

namespace IronWasm;

/// <summary>A linear memory: bytes addressed from 0, sized in 64 KiB pages. Spans from
/// <see cref="GetSpan()"/> are views of the memory that become invalid when it grows (it may move) or
/// when the store is disposed; take a new span after either.</summary>
public sealed unsafe class Memory
{
    internal Memory(MemoryInstance instance, Store? store)
    {
        Instance = instance;
        Store = store;
    }

    /// <summary>A new memory of <paramref name="minimumPages"/> pages (zeroed) in <paramref name="store"/>.</summary>
    public Memory(Store store, uint minimumPages, uint? maximumPages = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (minimumPages > MemoryType.MaxPages) throw new ArgumentOutOfRangeException(nameof(minimumPages), "a memory has at most 65536 pages");
        if (maximumPages is { } max && (max < minimumPages || max > MemoryType.MaxPages))
            throw new ArgumentOutOfRangeException(nameof(maximumPages), "the maximum must be between the minimum and 65536 pages");
        Store = store;
        Instance = store.CreateMemory(new MemoryType(new Limits(minimumPages, maximumPages)));
        Instance.Wrapper = this;
    }

    internal static Memory Wrap(MemoryInstance instance, Store? store) => instance.Wrapper ??= new Memory(instance, store);

    internal MemoryInstance Instance { get; }
    internal Store? Store { get; }

    public MemoryType Type => Instance.Type;
    public uint Minimum => Instance.Type.Limits.Minimum;
    public uint? Maximum => Instance.Type.Limits.Maximum;

    /// <summary>Current size in pages.</summary>
    public uint Size => Instance.Pages;

    /// <summary>Current size in bytes.</summary>
    public long Length => (long)Instance.Length;

    /// <summary>Grows the memory by <paramref name="deltaPages"/> zeroed pages. Returns the old size in
    /// pages, or -1 when the memory cannot grow that much (its maximum, the store's limit, or host memory).</summary>
    public long Grow(uint deltaPages) => Instance.Grow(deltaPages);

    /// <summary>The whole memory. Memories over 2 GiB cannot be one span: use <see cref="GetSpan(long, int)"/>.</summary>
    public Span<byte> GetSpan()
    {
        if (Instance.Length > int.MaxValue) throw new InvalidOperationException("the memory is larger than a span can hold; use GetSpan(address, length)");
        return new Span<byte>(Instance.Base, (int)Instance.Length);
    }

    /// <summary><paramref name="length"/> bytes from <paramref name="address"/>; throws when outside the memory.</summary>
    public Span<byte> GetSpan(long address, int length)
    {
        Check(address, length);
        return new Span<byte>(Instance.Base + address, length);
    }

    private void Check(long address, long length)
    {
        if (address < 0 || length < 0 || (ulong)address + (ulong)length > Instance.Length)
            throw new ArgumentOutOfRangeException(nameof(address), $"[{address}, {address}+{length}) is outside the memory of {Instance.Length} bytes");
    }

    public byte ReadByte(long address) => GetSpan(address, 1)[0];
    public void WriteByte(long address, byte value) => GetSpan(address, 1)[0] = value;
    public short ReadInt16(long address) => BinaryPrimitives.ReadInt16LittleEndian(GetSpan(address, 2));
    public void WriteInt16(long address, short value) => BinaryPrimitives.WriteInt16LittleEndian(GetSpan(address, 2), value);
    public int ReadInt32(long address) => BinaryPrimitives.ReadInt32LittleEndian(GetSpan(address, 4));
    public void WriteInt32(long address, int value) => BinaryPrimitives.WriteInt32LittleEndian(GetSpan(address, 4), value);
    public long ReadInt64(long address) => BinaryPrimitives.ReadInt64LittleEndian(GetSpan(address, 8));
    public void WriteInt64(long address, long value) => BinaryPrimitives.WriteInt64LittleEndian(GetSpan(address, 8), value);
    public float ReadSingle(long address) => BinaryPrimitives.ReadSingleLittleEndian(GetSpan(address, 4));
    public void WriteSingle(long address, float value) => BinaryPrimitives.WriteSingleLittleEndian(GetSpan(address, 4), value);
    public double ReadDouble(long address) => BinaryPrimitives.ReadDoubleLittleEndian(GetSpan(address, 8));
    public void WriteDouble(long address, double value) => BinaryPrimitives.WriteDoubleLittleEndian(GetSpan(address, 8), value);

    /// <summary>Decodes <paramref name="length"/> bytes at <paramref name="address"/> as UTF-8.</summary>
    public string ReadString(long address, int length) => Encoding.UTF8.GetString(GetSpan(address, length));

    /// <summary>Decodes UTF-8 from <paramref name="address"/> up to the first zero byte (or the end of memory).</summary>
    public string ReadNullTerminatedString(long address)
    {
        Check(address, 0);
        long available = Math.Min((long)Instance.Length - address, int.MaxValue);
        var bytes = new ReadOnlySpan<byte>(Instance.Base + address, (int)available);
        int end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Writes <paramref name="value"/> as UTF-8 at <paramref name="address"/>; returns the byte count.</summary>
    public int WriteString(long address, string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        return Encoding.UTF8.GetBytes(value, GetSpan(address, count));
    }
}
