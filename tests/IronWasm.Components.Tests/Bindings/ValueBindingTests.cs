using System.Text;
using IronWasm.Components.Bindings;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Bindings.Generated;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>Every WIT type kind through generated host imports, both ways: the guest's value
/// (lowered into its memory by the dynamic canonical ABI) reaches the host as the expected C#
/// value, and the host's C# value comes back into guest memory as what the dynamic ABI lifts.</summary>
public class ValueBindingTests
{
    private readonly BindingsGuest _guest = new();

    /// <summary>Echoes <paramref name="value"/>, checks the guest got it back, and returns what the host saw.</summary>
    private object? Echo(string function, V value)
    {
        Assert.Equal(value, _guest.Call1(function, value));
        return Assert.Single(_guest.ValuesHost.Received);
    }

    [Fact]
    public void BoolsCrossAsBool()
    {
        Assert.Equal(true, Echo("echo-bool", V.Bool(true)));
        Assert.Equal(V.Bool(false), _guest.Call1("echo-bool", V.Bool(false)));
    }

    [Fact]
    public void NonZeroBytesAreTrue() =>
        Assert.Equal(1, _guest.RawInt("echo-bool", 0x100));

    [Fact]
    public void IntegersKeepTheirSignAndWidth()
    {
        Assert.Equal((sbyte)-5, Echo("echo-s8", V.S8(-5)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal((byte)250, Echo("echo-u8", V.U8(250)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal((short)-30000, Echo("echo-s16", V.S16(-30000)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal((ushort)60000, Echo("echo-u16", V.U16(60000)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal(int.MinValue, Echo("echo-s32", V.S32(int.MinValue)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal(uint.MaxValue, Echo("echo-u32", V.U32(uint.MaxValue)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal(long.MinValue, Echo("echo-s64", V.S64(long.MinValue)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal(ulong.MaxValue, Echo("echo-u64", V.U64(ulong.MaxValue)));
    }

    [Fact]
    public void NarrowIntegersIgnoreTheHighBitsOfTheirCoreValue()
    {
        Assert.Equal(-1, _guest.RawInt("echo-s8", 0x1FF));
        Assert.Equal(0xFF, _guest.RawInt("echo-u8", 0x1FF));
        Assert.Equal(0xFFFF, _guest.RawInt("echo-u16", 0x7FFFF));
    }

    [Fact]
    public void FloatsCrossAsFloatAndDouble()
    {
        Assert.Equal(1.5f, Echo("echo-f32", V.F32(1.5f)));
        _guest.ValuesHost.Received.Clear();
        Assert.Equal(-2.25e300, Echo("echo-f64", V.F64(-2.25e300)));
    }

    [Fact]
    public void NaNPayloadsAreCanonicalizedOnTheWayIn()
    {
        _guest.Raw("echo-f32", WasmValue.FromSingleBits(0x7FC0_1234));
        Assert.Equal(0x7FC0_0000u, BitConverter.SingleToUInt32Bits((float)_guest.ValuesHost.Received[0]!));
        _guest.Raw("echo-f64", WasmValue.FromDoubleBits(0xFFF8_0000_0000_0042));
        Assert.Equal(0x7FF8_0000_0000_0000ul, BitConverter.DoubleToUInt64Bits((double)_guest.ValuesHost.Received[1]!));
    }

    [Fact]
    public void CharsCrossAsRunes() =>
        Assert.Equal(new Rune(0x1F600), Echo("echo-char", V.Char(new Rune(0x1F600))));

    [Fact]
    public void StringsCrossAsStrings() =>
        Assert.Equal("grüße 😀", Echo("echo-string", V.String("grüße 😀")));

    [Fact]
    public void Utf16GuestsGetAndGiveStringsInTheirEncoding()
    {
        var guest = new BindingsGuest(StringEncoding.Utf16);
        Assert.Equal(V.String("grüße 😀"), guest.Call1("echo-string", V.String("grüße 😀")));
        Assert.Equal("grüße 😀", guest.ValuesHost.Received.Single());
    }

    [Fact]
    public void ByteListParametersAreSpansOverGuestMemory() =>
        Assert.Equal(new byte[] { 1, 2, 255 }, Echo("echo-bytes", V.List(V.U8(1), V.U8(2), V.U8(255))));

    [Fact]
    public void IntegerListsCrossWithOneCopy() =>
        Assert.Equal(new uint[] { 7, 0, uint.MaxValue }, Echo("echo-u32s", V.List(V.U32(7), V.U32(0), V.U32(uint.MaxValue))));

    [Fact]
    public void EmptyListsCross() =>
        Assert.Equal(Array.Empty<string>(), Echo("echo-strings", V.List()));

    [Fact]
    public void ListsOfStringsAreArrays() =>
        Assert.Equal(new[] { "a", "", "ü" }, Echo("echo-strings", V.List(V.String("a"), V.String(""), V.String("ü"))));

    [Fact]
    public void FixedLengthListsAreArraysOfThatLength() =>
        Assert.Equal(new ushort[] { 1, 2, 3 }, Echo("echo-fixed", V.List(V.U16(1), V.U16(2), V.U16(3))));

    [Fact]
    public void OptionsCrossAsOption()
    {
        Assert.Equal(Option.Some("x"), Echo("echo-option", V.Some(V.String("x"))));
        Assert.Equal(V.None(), _guest.Call1("echo-option", V.None()));
        Assert.Equal(Option<string>.None, _guest.ValuesHost.Received[1]);
    }

    [Fact]
    public void ResultsCrossAsResult()
    {
        Assert.Equal(Result<uint, string>.Ok(5), Echo("echo-result", V.Ok(V.U32(5))));
        Assert.Equal(V.Error(V.String("bad")), _guest.Call1("echo-result", V.Error(V.String("bad"))));
        Assert.Equal(Result<uint, string>.Err("bad"), _guest.ValuesHost.Received[1]);
    }

    [Fact]
    public void AbsentResultPayloadsAreUnit()
    {
        Assert.Equal(Result<Unit, Unit>.Err(default), Echo("echo-bare-result", V.Error()));
        Assert.Equal(V.Ok(), _guest.Call1("echo-bare-result", V.Ok()));
        Assert.Equal(V.Error(V.Enum(2)), _guest.Call1("echo-error-only", V.Error(V.Enum(2))));
        Assert.Equal(Result<Unit, Shapes.Color>.Err(Shapes.Color.Blue), _guest.ValuesHost.Received[^1]);
        Assert.Equal(V.Ok(), _guest.Call1("echo-error-only", V.Ok()));
    }

    [Fact]
    public void TuplesAreValueTuples()
    {
        Assert.Equal(((byte)7, "t", 2.5), Echo("echo-tuple", V.Tuple(V.U8(7), V.String("t"), V.F64(2.5))));
        Assert.Equal(V.Tuple(V.U16(9)), _guest.Call1("echo-single", V.Tuple(V.U16(9))));
        Assert.Equal(new ValueTuple<ushort>(9), _guest.ValuesHost.Received[^1]);
    }

    [Fact]
    public void RecordsAreRecordStructs() =>
        Assert.Equal(new Shapes.Point(-3, 4), Echo("echo-point", V.Record(V.S32(-3), V.S32(4))));

    [Fact]
    public void RecordsWithStringsListsOptionsAndRecordsCross()
    {
        var value = V.Record(V.U8(1), V.U64(1UL << 40), V.U16(3), V.String("name"), V.List(V.String("a"), V.String("b")),
            V.Some(V.S8(-1)), V.Record(V.S32(5), V.S32(6)));
        var mixed = Assert.IsType<Values.Mixed>(Echo("echo-mixed", value));
        Assert.Equal((byte)1, mixed.A);
        Assert.Equal(1UL << 40, mixed.B);
        Assert.Equal((ushort)3, mixed.C);
        Assert.Equal("name", mixed.Name);
        Assert.Equal(new[] { "a", "b" }, mixed.Tags);
        Assert.Equal(Option.Some((sbyte)-1), mixed.Maybe);
        Assert.Equal(new Shapes.Point(5, 6), mixed.Where);
    }

    [Fact]
    public void EnumsAreCSharpEnums() =>
        Assert.Equal(Shapes.Color.Green, Echo("echo-color", V.Enum(1)));

    [Fact]
    public void FlagsAreFlagsEnums()
    {
        Assert.Equal(Shapes.Perms.Read | Shapes.Perms.Exec, Echo("echo-perms", V.Flags(0b101)));
        Assert.Equal(V.Flags(0b10_0000_0001), _guest.Call1("echo-many", V.Flags(0b10_0000_0001)));
        Assert.Equal(Values.Many.F0 | Values.Many.F9, _guest.ValuesHost.Received[1]);
    }

    [Fact]
    public void FlagBitsBeyondTheTypeAreIgnored()
    {
        Assert.Equal(0b101, _guest.RawInt("echo-perms", 0b1111_0101));
        Assert.Equal(Shapes.Perms.Read | Shapes.Perms.Exec, _guest.ValuesHost.Received.Single());
    }

    [Fact]
    public void VariantsCarryTheirCaseAndPayload()
    {
        V[] shapes =
        [
            V.Variant(0, V.F32(1.5f)),
            V.Variant(1, V.Record(V.S32(1), V.S32(-2))),
            V.Variant(2),
            V.Variant(3, V.U64(ulong.MaxValue)),
            V.Variant(4, V.String("hi")),
        ];
        foreach (var shape in shapes) Assert.Equal(shape, _guest.Call1("echo-shape", shape));
        Assert.Equal(
            [Shapes.Shape.Circle(1.5f), Shapes.Shape.Rect(new Shapes.Point(1, -2)), Shapes.Shape.Empty, Shapes.Shape.Big(ulong.MaxValue), Shapes.Shape.Label("hi")],
            _guest.ValuesHost.Received.Cast<Shapes.Shape>());
    }

    [Fact]
    public void VariantPayloadsWidenedToSixtyFourBitsComeBackExactly()
    {
        V[] wide = [V.Variant(0, V.F32(-0.75f)), V.Variant(1, V.F64(1e-300)), V.Variant(2, V.U8(200)), V.Variant(3, V.S64(-7)), V.Variant(4)];
        foreach (var value in wide) Assert.Equal(value, _guest.Call1("echo-wide", value));
        Assert.Equal(
            [Values.Wide.A(-0.75f), Values.Wide.B(1e-300), Values.Wide.C(200), Values.Wide.D(-7), Values.Wide.E],
            _guest.ValuesHost.Received.Cast<Values.Wide>());
    }

    [Fact]
    public void ListsOfVariantsCrossThroughMemory()
    {
        var shapes = Echo("echo-shapes", V.List(V.Variant(4, V.String("a")), V.Variant(2), V.Variant(0, V.F32(3f))));
        Assert.Equal(new[] { Shapes.Shape.Label("a"), Shapes.Shape.Empty, Shapes.Shape.Circle(3f) }, shapes);
    }

    [Fact]
    public void MapsAreArraysOfKeyValueTuples() =>
        Assert.Equal(new[] { ("one", 1u), ("two", 2u) },
            ((string Key, uint Value)[])Echo("echo-map", V.List(V.Tuple(V.String("one"), V.U32(1)), V.Tuple(V.String("two"), V.U32(2))))!);

    [Fact]
    public void NestedListsAndOptionsCross()
    {
        var nested = (Option<byte[]>[])Echo("echo-nested", V.List(V.Some(V.List(V.U8(1), V.U8(2))), V.None(), V.Some(V.List())))!;
        Assert.Equal(3, nested.Length);
        Assert.Equal(new byte[] { 1, 2 }, nested[0].Value);
        Assert.False(nested[1].HasValue);
        Assert.Empty(nested[2].Value);
    }

    [Fact]
    public void SeventeenParametersArriveThroughTheSpilledTuple()
    {
        Assert.Equal(V.U32(153), _guest.Call1("sum17", Enumerable.Range(1, 17).Select(i => V.U32((uint)i)).ToArray()));
        Assert.Equal(Enumerable.Range(1, 17).Select(i => (uint)i), (uint[])_guest.ValuesHost.Received.Single()!);
    }

    [Fact]
    public void NineFlatParametersUseTheUntypedImport()
    {
        var result = _guest.Call1("mix9", V.U8(1), V.U16(2), V.U32(3), V.U64(4), V.F32(0.5f), V.F64(0.25), V.S8(-1), V.S16(-2), V.S32(-3));
        Assert.Equal(V.F64(4.75), result);
        Assert.Equal(((byte)1, (ushort)2, 3u, 4ul, 0.5f, 0.25, (sbyte)-1, (short)-2, -3), _guest.ValuesHost.Received.Single());
    }

    [Fact]
    public void NamedResultsAreANamedTuple() =>
        Assert.Equal([V.U16(0x1234), V.U16(0x5678), V.String("12345678")], _guest.Call("split", V.U32(0x1234_5678)));

    [Fact]
    public void FunctionsWithoutParametersOrResultsAreCalled()
    {
        Assert.Empty(_guest.Call("nothing"));
        Assert.Equal(1, _guest.ValuesHost.NothingCalls);
    }

    [Fact]
    public void ResultListsAreAllocatedWithTheGuestsRealloc()
    {
        int before = _guest.Instance.GetGlobal("reallocs")!.GetValue().AsInt32();
        _guest.Call1("echo-u32s", V.List(V.U32(1)));
        // One allocation for the argument (the guest's side) and one for the result (the host's).
        Assert.Equal(before + 2, _guest.Instance.GetGlobal("reallocs")!.GetValue().AsInt32());
    }
}
