using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace IronWasm.Binary;

/// <summary>Reads the primitive encodings of the binary format (bytes, LEB128 integers, little-endian
/// floats, names) from a span. <see cref="Offset"/> is a module offset (the span's base offset plus
/// the position), so errors point into the module even when the span is a slice of it.</summary>
/// <remarks>LEB128 follows the spec's rules for an N-bit integer: at most ceil(N/7) bytes ("integer
/// representation too long"), and the unused bits of the last byte must be zero for unsigned
/// integers or copies of the sign bit for signed ones ("integer too large").</remarks>
internal ref struct WasmReader
{
    /// <summary>The spec interpreter's wording for running off the end; the suite expects it.</summary>
    public const string UnexpectedEnd = "unexpected end of section or function";

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public WasmReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Index of the next byte within the span.</summary>
    public int Position
    {
        readonly get => _position;
        set
        {
            if ((uint)value > (uint)_data.Length) throw new WasmFormatException(UnexpectedEnd, _baseOffset + _data.Length);
            _position = value;
        }
    }

    /// <summary>Module offset of the next byte.</summary>
    public readonly int Offset => _baseOffset + _position;

    public readonly int BaseOffset => _baseOffset;

    public readonly int Length => _data.Length;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsAtEnd => _position >= _data.Length;

    public readonly ReadOnlySpan<byte> Data => _data;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        int p = _position;
        if ((uint)p >= (uint)_data.Length) ThrowUnexpectedEnd();
        _position = p + 1;
        return _data[p];
    }

    public readonly byte PeekByte()
    {
        if ((uint)_position >= (uint)_data.Length) ThrowUnexpectedEnd();
        return _data[_position];
    }

    public ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count < 0 || count > _data.Length - _position) ThrowUnexpectedEnd();
        var bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    public void Skip(int count) => ReadBytes(count);

    /// <summary>Four bytes, little endian (the bits of an f32, or the module header words).</summary>
    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4));

    /// <summary>Eight bytes, little endian (the bits of an f64).</summary>
    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadVarUInt32()
    {
        int p = _position;
        if ((uint)p < (uint)_data.Length)
        {
            byte b = _data[p];
            if (b < 0x80)
            {
                _position = p + 1;
                return b;
            }
        }
        return (uint)ReadVarUnsigned(32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReadVarInt32()
    {
        int p = _position;
        if ((uint)p < (uint)_data.Length)
        {
            byte b = _data[p];
            if (b < 0x80)
            {
                _position = p + 1;
                return (sbyte)(b << 1) >> 1;
            }
        }
        return (int)ReadVarSigned(32);
    }

    /// <summary>A signed 33-bit integer, the encoding of a block type's type index.</summary>
    public long ReadVarInt33() => ReadVarSigned(33);

    public long ReadVarInt64()
    {
        int p = _position;
        if ((uint)p < (uint)_data.Length)
        {
            byte b = _data[p];
            if (b < 0x80)
            {
                _position = p + 1;
                return (sbyte)(b << 1) >> 1;
            }
        }
        return ReadVarSigned(64);
    }

    /// <summary>An unsigned LEB128 integer of <paramref name="bits"/> bits (1 to 64).</summary>
    public ulong ReadVarUnsigned(int bits)
    {
        ulong result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) throw new WasmFormatException("integer representation too long", Offset);
            byte b = ReadByte();
            if (remaining < 7 && (b & 0x7F) >= (1 << remaining))
                throw new WasmFormatException("integer too large", Offset - 1);
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return result;
            shift += 7;
            remaining -= 7;
        }
    }

    /// <summary>A signed LEB128 integer of <paramref name="bits"/> bits (1 to 64), sign-extended.</summary>
    public long ReadVarSigned(int bits)
    {
        long result = 0;
        int shift = 0;
        int remaining = bits;
        while (true)
        {
            if (remaining <= 0) throw new WasmFormatException("integer representation too long", Offset);
            byte b = ReadByte();
            if (remaining < 7)
            {
                // The last byte's bits above the value's sign bit must all equal the sign bit.
                int mask = (-1 << (remaining - 1)) & 0x7F;
                int high = b & mask;
                if (high != 0 && high != mask) throw new WasmFormatException("integer too large", Offset - 1);
            }
            result |= (long)(b & 0x7F) << shift;
            shift += 7;
            remaining -= 7;
            if ((b & 0x80) == 0)
            {
                if (shift < 64 && (b & 0x40) != 0) result |= -1L << shift;
                return result;
            }
        }
    }

    /// <summary>A u32 length or count that must not exceed the bytes left, counted (as the spec
    /// interpreter counts them) from the first byte of the length itself.</summary>
    public int ReadLength()
    {
        int start = _position;
        uint n = ReadVarUInt32();
        if (n > (uint)(_data.Length - start)) throw new WasmFormatException("length out of bounds", _baseOffset + start);
        return (int)n;
    }

    /// <summary>A name: a length-prefixed string that must be valid UTF-8.</summary>
    public string ReadName()
    {
        int start = Offset;
        var bytes = ReadBytes(ReadLength());
        if (!Utf8.IsValid(bytes)) throw new WasmFormatException("malformed UTF-8 encoding", start);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A value type (valtype): formally a signed 7-bit LEB128 integer, so one byte.</summary>
    public ValueKind ReadValueType()
    {
        int offset = Offset;
        byte b = ReadByte();
        if (ValueKindExtensions.IsDefined(b)) return (ValueKind)b;
        if (b >= 0x80) throw new WasmFormatException("integer representation too long", offset + 1);
        // Bytes above 0x70 are where number and vector types live; below, reference types.
        throw new WasmFormatException(b > 0x70 ? $"malformed value type 0x{b:X2}" : $"malformed reference type 0x{b:X2}", offset);
    }

    /// <summary>A reference type (reftype): formally a signed 7-bit LEB128 integer, so one byte.</summary>
    public ValueKind ReadReferenceType()
    {
        int offset = Offset;
        byte b = ReadByte();
        if (b is (byte)ValueKind.FuncRef or (byte)ValueKind.ExternRef) return (ValueKind)b;
        if (b >= 0x80) throw new WasmFormatException("integer representation too long", offset + 1);
        throw new WasmFormatException($"malformed reference type 0x{b:X2}", offset);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private readonly void ThrowUnexpectedEnd() => throw new WasmFormatException(UnexpectedEnd, _baseOffset + _data.Length);
}
