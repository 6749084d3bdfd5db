using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using static IronWasm.Components.Tests.CanonicalAbi.AbiGuest;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>Storing then loading, and lowering then lifting flat, give back the value, for every type.</summary>
public class LiftLowerTests
{
    public static TheoryData<string> Types => new()
    {
        "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
        "list<u32>", "list<string>", "list<u16, 3>", "point", "mixed", "tuple<u8, string, f64>", "shape-circle", "shape-rect",
        "shape-empty", "shape-big", "color", "perms", "option<string>", "option-none", "result<u32, string>", "result-err",
        "list<list<point>>", "map<string, u32>",
    };

    private static (string Type, V Value) Sample(string name) => name switch
    {
        "bool" => ("bool", V.Bool(true)),
        "s8" => ("s8", V.S8(-100)),
        "u8" => ("u8", V.U8(200)),
        "s16" => ("s16", V.S16(-30000)),
        "u16" => ("u16", V.U16(60000)),
        "s32" => ("s32", V.S32(int.MinValue)),
        "u32" => ("u32", V.U32(uint.MaxValue)),
        "s64" => ("s64", V.S64(long.MinValue + 3)),
        "u64" => ("u64", V.U64(ulong.MaxValue - 1)),
        "f32" => ("f32", V.F32(-1.5f)),
        "f64" => ("f64", V.F64(Math.PI)),
        "char" => ("char", V.Char(new Rune(0x1F600))),
        "string" => ("string", V.String("héllo, wörld 😀")),
        "list<u32>" => ("list<u32>", V.List(V.U32(1), V.U32(2), V.U32(3))),
        "list<string>" => ("list<string>", V.List(V.String("a"), V.String(""), V.String("ccc"))),
        "list<u16, 3>" => ("list<u16, 3>", V.List(V.U16(7), V.U16(8), V.U16(9))),
        "point" => ("point", V.Record(V.S32(-3), V.S32(4))),
        "mixed" => ("mixed", V.Record(V.U8(1), V.U64(1UL << 40), V.U16(3))),
        "tuple<u8, string, f64>" => ("tuple<u8, string, f64>", V.Tuple(V.U8(9), V.String("x"), V.F64(0.25))),
        "shape-circle" => ("shape", V.Variant(0, V.F32(2.5f))),
        "shape-rect" => ("shape", V.Variant(1, V.Record(V.S32(5), V.S32(-6)))),
        "shape-empty" => ("shape", V.Variant(2)),
        "shape-big" => ("shape", V.Variant(3, V.U64(0x1234_5678_9ABC_DEF0))),
        "color" => ("color", V.Enum(2)),
        "perms" => ("perms", V.Flags(0b101)),
        "option<string>" => ("option<string>", V.Some(V.String("some"))),
        "option-none" => ("option<string>", V.None()),
        "result<u32, string>" => ("result<u32, string>", V.Ok(V.U32(42))),
        "result-err" => ("result<u32, string>", V.Error(V.String("bad"))),
        "list<list<point>>" => ("list<list<point>>", V.List(V.List(V.Record(V.S32(1), V.S32(2))), V.List())),
        "map<string, u32>" => ("map<string, u32>", V.List(V.Tuple(V.String("k"), V.U32(1)))),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void StoreThenLoadGivesTheValueBack(string name)
    {
        var (type, value) = Sample(name);
        var guest = Empty();
        var layout = Layout(type);
        var cx = new LiftLowerContext(guest.Canonical);
        uint ptr = guest.Canonical.Reallocate(0, 0, layout.Alignment, (uint)layout.Size);
        cx.Store(value, layout, ptr);
        Assert.Equal(value, cx.Load(layout, ptr));
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void LowerFlatThenLiftFlatGivesTheValueBack(string name)
    {
        var (type, value) = Sample(name);
        var guest = Empty();
        var layout = Layout(type);
        var cx = new LiftLowerContext(guest.Canonical);
        var flat = new WasmValue[layout.FlatTypes.Count];
        int position = 0;
        cx.LowerFlat(value, layout, flat, ref position);
        Assert.Equal(flat.Length, position);
        Assert.Equal(layout.FlatTypes, flat.Select(v => v.Kind));
        position = 0;
        Assert.Equal(value, cx.LiftFlat(layout, flat, ref position));
    }

    [Fact]
    public void RecordsAreStoredAtTheirFieldOffsets()
    {
        var guest = Empty();
        new LiftLowerContext(guest.Canonical).Store(V.Record(V.U8(0xAA), V.U64(0x0102030405060708), V.U16(0xBBCC)), Layout("mixed"), 64);
        Assert.Equal(Convert.FromHexString("AA000000000000000807060504030201CCBB000000000000"), guest.Memory.GetSpan(64, 24).ToArray());
    }

    [Fact]
    public void VariantPayloadsAreCoercedToTheJoinedFlatTypes()
    {
        var cx = new LiftLowerContext(Empty().Canonical);
        var flat = new WasmValue[3];
        int position = 0;
        cx.LowerFlat(V.Variant(0, V.F32(1.0f)), Layout("shape"), flat, ref position);
        Assert.Equal([WasmValue.FromInt32(0), WasmValue.FromInt64(BitConverter.SingleToUInt32Bits(1.0f)), WasmValue.FromInt32(0)], flat);
    }

    [Fact]
    public void Utf8StringsAreStoredAsUtf8Bytes()
    {
        var guest = Empty();
        var flat = new WasmValue[2];
        int position = 0;
        new LiftLowerContext(guest.Canonical).LowerFlat(V.String("é!"), Layout("string"), flat, ref position);
        Assert.Equal(3, flat[1].AsInt32());
        Assert.Equal("é!"u8.ToArray(), guest.Memory.GetSpan(flat[0].AsInt32(), 3).ToArray());
    }

    [Fact]
    public void Utf16StringsAreStoredAsAlignedCodeUnits()
    {
        var guest = Empty(StringEncoding.Utf16);
        var flat = new WasmValue[2];
        int position = 0;
        new LiftLowerContext(guest.Canonical).LowerFlat(V.String("a😀"), Layout("string"), flat, ref position);
        Assert.Equal(3, flat[1].AsInt32());
        Assert.Equal(0, flat[0].AsInt32() % 2);
        Assert.Equal(Encoding.Unicode.GetBytes("a😀"), guest.Memory.GetSpan(flat[0].AsInt32(), 6).ToArray());
        position = 0;
        Assert.Equal("a😀", new LiftLowerContext(guest.Canonical).LiftFlat(Layout("string"), flat, ref position).AsString());
    }

    [Fact]
    public void Latin1Utf16StringsUseLatin1WhenTheyCan()
    {
        var guest = Empty(StringEncoding.Latin1Utf16);
        var cx = new LiftLowerContext(guest.Canonical);
        var flat = new WasmValue[2];
        int position = 0;
        cx.LowerFlat(V.String("café"), Layout("string"), flat, ref position);
        Assert.Equal(4, flat[1].AsInt32());
        Assert.Equal(Encoding.Latin1.GetBytes("café"), guest.Memory.GetSpan(flat[0].AsInt32(), 4).ToArray());
    }

    [Fact]
    public void Latin1Utf16StringsTagUtf16WithTheHighBit()
    {
        var guest = Empty(StringEncoding.Latin1Utf16);
        var cx = new LiftLowerContext(guest.Canonical);
        var flat = new WasmValue[2];
        int position = 0;
        cx.LowerFlat(V.String("€1"), Layout("string"), flat, ref position);
        Assert.Equal(unchecked((int)0x8000_0002), flat[1].AsInt32());
        position = 0;
        Assert.Equal("€1", cx.LiftFlat(Layout("string"), flat, ref position).AsString());
    }

    [Fact]
    public void LoneSurrogatesInHostStringsAreRejected()
    {
        var cx = new LiftLowerContext(Empty().Canonical);
        int position = 0;
        Assert.Throws<ArgumentException>(() => cx.LowerFlat(V.String("\uD800"), Layout("string"), new WasmValue[2], ref position));
    }

    [Fact]
    public void HostValuesOfTheWrongShapeAreRejected()
    {
        var cx = new LiftLowerContext(Empty().Canonical);
        int position = 0;
        Assert.Throws<ArgumentException>(() => cx.LowerFlat(V.U32(1), Layout("s32"), new WasmValue[1], ref position));
        Assert.Throws<ArgumentException>(() => cx.LowerFlat(V.List(V.U16(1)), Layout("list<u16, 3>"), new WasmValue[3], ref position));
        Assert.Throws<ArgumentException>(() => cx.LowerFlat(V.Variant(2, V.U8(1)), Layout("shape"), new WasmValue[3], ref position));
        Assert.Throws<ArgumentException>(() => cx.LowerFlat(V.Flags(0b1000), Layout("perms"), new WasmValue[1], ref position));
    }

    [Fact]
    public void NaNsAreCanonicalizedWhenLifted()
    {
        var cx = new LiftLowerContext(Empty().Canonical);
        int position = 0;
        var value = cx.LiftFlat(Layout("f32"), [WasmValue.FromSingleBits(0xFFC0_1234)], ref position);
        Assert.Equal(0x7FC0_0000u, BitConverter.SingleToUInt32Bits(value.AsF32()));
    }

    [Fact]
    public void NarrowIntegersIgnoreTheHighBitsOfTheirI32()
    {
        var cx = new LiftLowerContext(Empty().Canonical);
        int position = 0;
        Assert.Equal(V.U8(0x34), cx.LiftFlat(Layout("u8"), [WasmValue.FromInt32(0x1234)], ref position));
        position = 0;
        Assert.Equal(V.S8(-1), cx.LiftFlat(Layout("s8"), [WasmValue.FromInt32(0x1FF)], ref position));
        position = 0;
        Assert.Equal(V.Bool(true), cx.LiftFlat(Layout("bool"), [WasmValue.FromInt32(2)], ref position));
    }

    [Fact]
    public void ListsAreAllocatedThroughCabiRealloc()
    {
        var guest = Empty();
        int before = guest.ReallocCount;
        int position = 0;
        new LiftLowerContext(guest.Canonical).LowerFlat(V.List(V.String("a"), V.String("b")), Layout("list<string>"), new WasmValue[2], ref position);
        Assert.Equal(before + 3, guest.ReallocCount);
    }

    [Fact]
    public void OwnHandlesLowerIntoTheGuestTable()
    {
        var guest = Empty();
        var sensor = new ResourceType("sensor");
        guest.Canonical.UseResource(Sensor, sensor);
        var cx = new LiftLowerContext(guest.Canonical);
        var flat = new WasmValue[1];
        int position = 0;
        cx.LowerFlat(V.Own(sensor, 77), FunctionLayout.Of(ApiFunction("consume")).Parameters[0], flat, ref position);
        Assert.Equal(77, guest.Canonical.Handles.Rep(sensor, flat[0].AsInt32()));
        position = 0;
        Assert.Equal(V.Own(sensor, 77), cx.LiftFlat(FunctionLayout.Of(ApiFunction("consume")).Parameters[0], flat, ref position));
        Assert.Equal(0, guest.Canonical.Handles.Count);
    }
}
