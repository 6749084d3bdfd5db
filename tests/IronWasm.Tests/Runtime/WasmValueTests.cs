using System.Runtime.Intrinsics;

namespace IronWasm.Tests.Runtime;

public class WasmValueTests
{
    [Fact]
    public void NumbersRoundTripExactBits()
    {
        Assert.Equal(-5, WasmValue.FromInt32(-5).AsInt32());
        Assert.Equal(long.MinValue, WasmValue.FromInt64(long.MinValue).AsInt64());
        Assert.Equal(0x7F80_0001u, WasmValue.FromSingleBits(0x7F80_0001).AsSingleBits());
        Assert.Equal(0x7FF0_0000_0000_0001UL, WasmValue.FromDoubleBits(0x7FF0_0000_0000_0001).AsDoubleBits());
        Assert.Equal(BitConverter.DoubleToUInt64Bits(-0.0), WasmValue.FromDouble(-0.0).AsDoubleBits());
    }

    [Fact]
    public void AccessorOfOtherKindThrows()
    {
        Assert.Throws<InvalidOperationException>(() => WasmValue.FromInt32(1).AsInt64());
        Assert.Throws<InvalidOperationException>(() => default(WasmValue).AsInt32());
    }

    [Fact]
    public void NullReferencesKeepTheirKind()
    {
        var value = WasmValue.Null(ValueKind.FuncRef);
        Assert.Equal(ValueKind.FuncRef, value.Kind);
        Assert.True(value.IsNullReference);
        Assert.Null(value.AsFunction());
        Assert.True(WasmValue.FromFunction(Function.Null).IsNullReference);
    }

    [Fact]
    public void VectorRoundTrips()
    {
        var vector = Vector128.Create((byte)1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
        Assert.Equal(vector, WasmValue.FromVector(vector).AsVector());
    }

    [Fact]
    public void EqualityIsBitwise()
    {
        Assert.Equal(WasmValue.FromDouble(double.NaN), WasmValue.FromDouble(double.NaN));
        Assert.NotEqual(WasmValue.FromDouble(0.0), WasmValue.FromDouble(-0.0));
        Assert.NotEqual(WasmValue.FromInt32(0), WasmValue.FromInt64(0));
    }

    [Fact]
    public void FromObjectRejectsMismatchedType()
    {
        Assert.Throws<ArgumentException>(() => WasmValue.FromObject(ValueKind.I32, "x"));
        Assert.Equal(3, WasmValue.FromObject(ValueKind.I32, 3).AsInt32());
    }
}
