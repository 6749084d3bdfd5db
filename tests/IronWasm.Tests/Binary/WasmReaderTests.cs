using IronWasm.Binary;

namespace IronWasm.Tests.Binary;

public class WasmReaderTests
{
    private static uint U32(params byte[] bytes)
    {
        var reader = new WasmReader(bytes);
        uint value = reader.ReadVarUInt32();
        Assert.True(reader.IsAtEnd);
        return value;
    }

    private static int S32(params byte[] bytes)
    {
        var reader = new WasmReader(bytes);
        int value = reader.ReadVarInt32();
        Assert.True(reader.IsAtEnd);
        return value;
    }

    private static long S33(params byte[] bytes)
    {
        var reader = new WasmReader(bytes);
        long value = reader.ReadVarInt33();
        Assert.True(reader.IsAtEnd);
        return value;
    }

    private static long S64(params byte[] bytes)
    {
        var reader = new WasmReader(bytes);
        long value = reader.ReadVarInt64();
        Assert.True(reader.IsAtEnd);
        return value;
    }

    private static string Error(Action action) => Assert.Throws<WasmFormatException>(action).Reason;

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0u)]
    [InlineData(new byte[] { 0x7F }, 127u)]
    [InlineData(new byte[] { 0x80, 0x01 }, 128u)]
    [InlineData(new byte[] { 0xE5, 0x8E, 0x26 }, 624485u)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, uint.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0u)]
    [InlineData(new byte[] { 0x81, 0x80, 0x00 }, 1u)]
    public void UnsignedLeb128DecodesIncludingPaddedForms(byte[] bytes, uint expected) => Assert.Equal(expected, U32(bytes));

    [Fact]
    public void UnsignedLeb128LongerThanFiveBytesIsTooLong() =>
        Assert.Equal("integer representation too long", Error(() => U32(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x1F })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x10 })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })]
    public void UnsignedLeb128WithUnusedBitsSetIsTooLarge(byte[] bytes) =>
        Assert.Equal("integer too large", Error(() => U32(bytes)));

    [Fact]
    public void UnsignedLeb128WithContinuationOnFifthByteIsTooLong() =>
        Assert.Equal("integer representation too long", Error(() => U32(0x80, 0x80, 0x80, 0x80, 0x80)));

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0)]
    [InlineData(new byte[] { 0x7F }, -1)]
    [InlineData(new byte[] { 0x3F }, 63)]
    [InlineData(new byte[] { 0x40 }, -64)]
    [InlineData(new byte[] { 0xC0, 0xBB, 0x78 }, -123456)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x07 }, int.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x78 }, int.MinValue)]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F }, -1)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x00 }, 0)]
    public void SignedLeb128DecodesAndSignExtends(byte[] bytes, int expected) => Assert.Equal(expected, S32(bytes));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })] // bit 31 set but not extended
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 })] // sign extension without the sign bit
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x1F })]
    public void SignedLeb128WhoseUnusedBitsDoNotExtendTheSignIsTooLarge(byte[] bytes) =>
        Assert.Equal("integer too large", Error(() => S32(bytes)));

    [Fact]
    public void SignedLeb128LongerThanFiveBytesIsTooLong() =>
        Assert.Equal("integer representation too long", Error(() => S32(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F)));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }, 0xFFFFFFFFL)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x70 }, -0x100000000L)]
    [InlineData(new byte[] { 0x40 }, -64L)]
    public void Signed33BitLeb128CoversTheU32Range(byte[] bytes, long expected) => Assert.Equal(expected, S33(bytes));

    [Fact]
    public void Signed33BitLeb128WithBadHighBitsIsTooLarge() =>
        Assert.Equal("integer too large", Error(() => S33(0x80, 0x80, 0x80, 0x80, 0x20)));

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00 }, long.MaxValue)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F }, long.MinValue)]
    [InlineData(new byte[] { 0x7F }, -1L)]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 }, 0L)]
    public void Signed64BitLeb128DecodesExtremes(byte[] bytes, long expected) => Assert.Equal(expected, S64(bytes));

    [Theory]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7E })]
    public void Signed64BitLeb128WithBadTenthByteIsTooLarge(byte[] bytes) =>
        Assert.Equal("integer too large", Error(() => S64(bytes)));

    [Fact]
    public void Signed64BitLeb128OfElevenBytesIsTooLong() =>
        Assert.Equal("integer representation too long",
            Error(() => S64(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00)));

    [Theory]
    [InlineData(new byte[] { 0x00 }, 0UL)]
    [InlineData(new byte[] { 0x01 }, 1UL)]
    public void OneBitLeb128AcceptsZeroAndOne(byte[] bytes, ulong expected)
    {
        var reader = new WasmReader(bytes);
        Assert.Equal(expected, reader.ReadVarUnsigned(1));
    }

    [Fact]
    public void OneBitLeb128RejectsTwoAsTooLarge() =>
        Assert.Equal("integer too large", Error(() => new WasmReader([0x02]).ReadVarUnsigned(1)));

    [Fact]
    public void OneBitLeb128RejectsPaddingAsTooLong() =>
        Assert.Equal("integer representation too long", Error(() => new WasmReader([0x81, 0x00]).ReadVarUnsigned(1)));

    [Fact]
    public void TruncatedLeb128IsUnexpectedEnd() =>
        Assert.Equal(WasmReader.UnexpectedEnd, Error(() => U32(0x80, 0x80)));

    [Fact]
    public void ErrorOffsetsAreModuleOffsets()
    {
        var e = Assert.Throws<WasmFormatException>(() => new WasmReader([0x00, 0x80, 0x80, 0x80, 0x80, 0x10], 100) { Position = 1 }.ReadVarUInt32());
        Assert.Equal(105, e.Offset);
    }

    [Fact]
    public void FloatBitsAreLittleEndian()
    {
        var reader = new WasmReader([0x00, 0x00, 0x80, 0x3F, 0x18, 0x2D, 0x44, 0x54, 0xFB, 0x21, 0x09, 0x40]);
        Assert.Equal(BitConverter.SingleToUInt32Bits(1.0f), reader.ReadUInt32());
        Assert.Equal(BitConverter.DoubleToUInt64Bits(Math.PI), reader.ReadUInt64());
    }

    [Fact]
    public void LengthMayNotExceedTheBytesLeft() =>
        Assert.Equal("length out of bounds", Error(() => new WasmReader([0x04, 0x00, 0x00]).ReadLength()));

    [Fact]
    public void LengthCountsBytesLeftFromItsOwnFirstByte()
    {
        // As in the spec interpreter: 3 <= 3 bytes from the length byte on, though only 2 follow it.
        var reader = new WasmReader([0x03, 0x00, 0x00]);
        Assert.Equal(3, reader.ReadLength());
    }

    [Fact]
    public void NameDecodesUtf8()
    {
        var reader = new WasmReader(Bytes.Name("héllo ∑"));
        Assert.Equal("héllo ∑", reader.ReadName());
    }

    [Theory]
    [InlineData(new byte[] { 0x01, 0x80 })]                   // lone continuation byte
    [InlineData(new byte[] { 0x02, 0xC0, 0x80 })]             // overlong NUL
    [InlineData(new byte[] { 0x03, 0xED, 0xA0, 0x80 })]       // surrogate
    [InlineData(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })] // above U+10FFFF
    [InlineData(new byte[] { 0x01, 0xFF })]
    public void NameRejectsInvalidUtf8(byte[] bytes) =>
        Assert.Equal("malformed UTF-8 encoding", Error(() => new WasmReader(bytes).ReadName()));

    [Fact]
    public void ReadingPastTheEndIsUnexpectedEnd() =>
        Assert.Equal(WasmReader.UnexpectedEnd, Error(() => new WasmReader([0x01]).ReadUInt32()));

    [Theory]
    [InlineData(0x7F, ValueKind.I32)]
    [InlineData(0x7B, ValueKind.V128)]
    [InlineData(0x70, ValueKind.FuncRef)]
    [InlineData(0x6F, ValueKind.ExternRef)]
    public void ValueTypesDecode(byte encoding, ValueKind expected) =>
        Assert.Equal(expected, new WasmReader([encoding]).ReadValueType());

    [Fact]
    public void UnknownValueTypeIsMalformed() =>
        Assert.StartsWith("malformed", Error(() => new WasmReader([0x7A]).ReadValueType()));

    [Fact]
    public void NumberTypeIsNotAReferenceType() =>
        Assert.StartsWith("malformed reference type", Error(() => new WasmReader([0x7F]).ReadReferenceType()));
}
