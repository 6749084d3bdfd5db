using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;
using static IronWasm.Components.Tests.CanonicalAbi.AbiGuest;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>Sizes, alignments and flattening from CanonicalABI.md's elem_size, alignment and flatten_type.</summary>
public class CanonicalLayoutTests
{
    [Theory]
    [InlineData("bool", 1, 1)]
    [InlineData("u8", 1, 1)]
    [InlineData("s16", 2, 2)]
    [InlineData("u32", 4, 4)]
    [InlineData("s64", 8, 8)]
    [InlineData("f32", 4, 4)]
    [InlineData("f64", 8, 8)]
    [InlineData("char", 4, 4)]
    [InlineData("string", 8, 4)]
    [InlineData("list<u64>", 8, 4)]
    [InlineData("list<u16, 3>", 6, 2)]
    [InlineData("mixed", 24, 8)]
    [InlineData("point", 8, 4)]
    [InlineData("tuple<u8, u16, u8>", 6, 2)]
    [InlineData("option<u8>", 2, 1)]
    [InlineData("option<u64>", 16, 8)]
    [InlineData("result<_, string>", 12, 4)]
    [InlineData("result", 1, 1)]
    [InlineData("color", 1, 1)]
    [InlineData("perms", 1, 1)]
    [InlineData("shape", 16, 8)]
    [InlineData("own<sensor>", 4, 4)]
    [InlineData("borrow<sensor>", 4, 4)]
    public void SizeAndAlignmentFollowTheSpec(string type, int size, int alignment)
    {
        var layout = Layout(type);
        Assert.Equal((size, alignment), (layout.Size, layout.Alignment));
    }

    [Fact]
    public void RecordFieldsArePaddedToTheirAlignment()
    {
        var layout = Layout("mixed");
        Assert.Equal([0, 8, 16], layout.Offsets);
    }

    [Theory]
    [InlineData(8, 1)]
    [InlineData(9, 2)]
    [InlineData(16, 2)]
    [InlineData(17, 4)]
    [InlineData(32, 4)]
    public void FlagsUseTheSmallestIntegerThatFits(int count, int size)
    {
        var names = string.Join(", ", Enumerable.Range(0, count).Select(i => $"g{i}"));
        var layout = CanonicalLayout.Of(WitPackageLoader.LoadText($"package a:b; interface i {{ flags f {{ {names} }} }}")
            .Package.FindInterface("i")!.FindType("f")!.Definition);
        Assert.Equal((size, size), (layout.Size, layout.Alignment));
    }

    [Fact]
    public void FlagsBeyond32AreNotSupported()
    {
        var names = string.Join(", ", Enumerable.Range(0, 33).Select(i => $"g{i}"));
        var type = WitPackageLoader.LoadText($"package a:b; interface i {{ flags f {{ {names} }} }}").Package.FindInterface("i")!.FindType("f")!.Definition;
        Assert.Throws<NotSupportedException>(() => CanonicalLayout.Of(type));
    }

    [Fact]
    public void VariantDiscriminantGrowsWithTheNumberOfCases()
    {
        string Cases(int n) => string.Join(", ", Enumerable.Range(0, n).Select(i => $"c{i}"));
        WitLayoutOfEnum(256, 1);
        WitLayoutOfEnum(257, 2);

        void WitLayoutOfEnum(int n, int size)
        {
            var type = WitPackageLoader.LoadText($"package a:b; interface i {{ enum e {{ {Cases(n)} }} }}").Package.FindInterface("i")!.FindType("e")!.Definition;
            Assert.Equal(size, CanonicalLayout.Of(type).Size);
        }
    }

    [Theory]
    [InlineData("u8", "I32")]
    [InlineData("s64", "I64")]
    [InlineData("f32", "F32")]
    [InlineData("string", "I32 I32")]
    [InlineData("list<point>", "I32 I32")]
    [InlineData("list<f32, 2>", "F32 F32")]
    [InlineData("mixed", "I32 I64 I32")]
    [InlineData("option<f32>", "I32 F32")]
    [InlineData("result<f32, u32>", "I32 I32")]
    [InlineData("result<f64, f32>", "I32 I64")]
    [InlineData("shape", "I32 I64 I32")]
    [InlineData("perms", "I32")]
    [InlineData("color", "I32")]
    [InlineData("borrow<sensor>", "I32")]
    public void FlatteningJoinsVariantCases(string type, string flat)
    {
        Assert.Equal(flat, string.Join(" ", Layout(type).FlatTypes));
    }

    [Fact]
    public void MoreThan16FlatParametersSpillToOnePointer()
    {
        var layout = FunctionLayout.Of(ApiFunction("sum17"));
        Assert.True(layout.ParametersInMemory);
        Assert.Equal(new FunctionType([ValueKind.I32], [ValueKind.I32]), layout.LiftType);
    }

    [Fact]
    public void ResultsBeyondOneFlatValueReturnAPointerFromExports()
    {
        var layout = FunctionLayout.Of(ApiFunction("echo"));
        Assert.True(layout.ResultsInMemory);
        Assert.Equal(new FunctionType([ValueKind.I32, ValueKind.I32], [ValueKind.I32]), layout.LiftType);
    }

    [Fact]
    public void ResultsBeyondOneFlatValueTakeAnOutPointerInImports()
    {
        var layout = FunctionLayout.Of(HostFunction("describe"));
        Assert.Equal(new FunctionType([ValueKind.I32, ValueKind.I32, ValueKind.I32], []), layout.LowerType);
    }

    [Fact]
    public void MethodsTakeTheirSelfHandleFirst()
    {
        var layout = FunctionLayout.Of(HostFunction("[method]sensor.read"));
        Assert.Equal(new FunctionType([ValueKind.I32], [ValueKind.I32]), layout.LowerType);
        Assert.Equal(ComponentValueKind.Borrow, layout.Parameters[0].Kind);
    }

    [Fact]
    public void LayoutsAreCached()
    {
        var type = Type("list<mixed>");
        Assert.Same(CanonicalLayout.Of(type), CanonicalLayout.Of(type));
    }

    [Fact]
    public void ABareResourceIsNotAValueType()
    {
        Assert.Throws<ArgumentException>(() => CanonicalLayout.Of(Sensor));
    }
}
