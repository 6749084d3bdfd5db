using IronWasm.Binary;
using static IronWasm.Tests.Binary.Bytes;

namespace IronWasm.Tests.Binary;

public class NameSectionTests
{
    private static readonly byte[] TwoFunctions = Concat(
        Section(1, Vec([0x60, 0x01, 0x7F, 0x00])),
        Section(3, Vec([0x00], [0x00])),
        Section(10, Vec(Body([0x01, 0x01, 0x7E], 0x0B), Body([0x00], 0x0B))));

    private static byte[] WithNameSection(params byte[][] subsections) =>
        Module(TwoFunctions, Section(0, [.. Name("name"), .. Concat(subsections)]));

    private static byte[] Subsection(byte id, params byte[] content) => Section(id, content);

    [Fact]
    public void ModuleFunctionAndLocalNamesAreRead()
    {
        var module = ModuleDecoder.Decode(WithNameSection(
            Subsection(0, Name("demo")),
            Subsection(1, Vec([0x00, .. Name("first")], [0x01, .. Name("second")])),
            Subsection(2, Vec([0x00, .. Vec([0x00, .. Name("x")], [0x01, .. Name("y")])]))));
        Assert.NotNull(module.Names);
        Assert.Equal("demo", module.Names.ModuleName);
        Assert.Equal("second", module.GetFunctionName(1));
        Assert.Equal("y", module.Names.LocalNames[0][1]);
    }

    [Fact]
    public void UnknownSubsectionsAreSkipped()
    {
        var module = ModuleDecoder.Decode(WithNameSection(
            Subsection(1, Vec([0x00, .. Name("f")])),
            Subsection(7, 0x01, 0x02, 0x03)));
        Assert.Equal("f", module.GetFunctionName(0));
    }

    [Fact]
    public void TruncatedNameSectionIsIgnored()
    {
        var module = ModuleDecoder.Decode(WithNameSection(Subsection(1, 0x02, 0x00, 0x01, 0x61)));
        Assert.Null(module.Names);
        Assert.Equal(2, module.Bodies.Count);
    }

    [Fact]
    public void NameSectionWithInvalidUtf8IsIgnored() =>
        Assert.Null(ModuleDecoder.Decode(WithNameSection(Subsection(0, 0x01, 0xFF))).Names);

    [Fact]
    public void SubsectionsOutOfOrderAreIgnored() =>
        Assert.Null(ModuleDecoder.Decode(WithNameSection(Subsection(1, Vec()), Subsection(0, Name("m")))).Names);

    [Fact]
    public void FunctionNamesOutOfOrderAreIgnored() =>
        Assert.Null(ModuleDecoder.Decode(WithNameSection(Subsection(1, Vec([0x01, .. Name("b")], [0x00, .. Name("a")])))).Names);

    [Fact]
    public void SubsectionWithTrailingBytesIsIgnored() =>
        Assert.Null(ModuleDecoder.Decode(WithNameSection(Subsection(0, [.. Name("m"), 0x00]))).Names);
}
