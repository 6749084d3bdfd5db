using System.Buffers.Binary;

namespace IronWasm.Text;

/// <summary>A growable byte array with the binary format's primitive encodings (LEB128, little-endian floats).</summary>
internal sealed class ByteBuffer
{
    private byte[] _bytes;
    private int _length;

    public ByteBuffer(int capacity = 64) => _bytes = new byte[Math.Max(capacity, 16)];

    public int Length => _length;

    public ReadOnlySpan<byte> Span => _bytes.AsSpan(0, _length);

    public byte[] ToArray() => Span.ToArray();

    public void Clear() => _length = 0;

    /// <summary>Drops everything written after <paramref name="length"/>.</summary>
    public void Truncate(int length) => _length = length;

    public void WriteByte(byte value)
    {
        if (_length == _bytes.Length) Grow(1);
        _bytes[_length++] = value;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _bytes.Length) Grow(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(_length));
        _length += bytes.Length;
    }

    public void WriteU32(uint value)
    {
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            if (value != 0) b |= 0x80;
            WriteByte(b);
        } while (value != 0);
    }

    public void WriteS32(int value) => WriteS64(value);

    public void WriteS64(long value)
    {
        while (true)
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bool done = (value == 0 && (b & 0x40) == 0) || (value == -1 && (b & 0x40) != 0);
            WriteByte(done ? b : (byte)(b | 0x80));
            if (done) return;
        }
    }

    public void WriteF32(uint bits)
    {
        Span<byte> tmp = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(tmp, bits);
        WriteBytes(tmp);
    }

    public void WriteF64(ulong bits)
    {
        Span<byte> tmp = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(tmp, bits);
        WriteBytes(tmp);
    }

    /// <summary>A vector of bytes: its length, then the bytes (names, data).</summary>
    public void WriteVector(ReadOnlySpan<byte> bytes)
    {
        WriteU32((uint)bytes.Length);
        WriteBytes(bytes);
    }

    private void Grow(int extra)
    {
        int size = Math.Max(_bytes.Length * 2, _length + extra);
        Array.Resize(ref _bytes, size);
    }
}
