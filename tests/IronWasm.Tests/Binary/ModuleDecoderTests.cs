using System.Runtime.InteropServices;
using IronWasm.Binary;
using IronWasm.Model;
using static IronWasm.Tests.Binary.Bytes;

namespace IronWasm.Tests.Binary;

public class ModuleDecoderTests
{
    private static readonly byte[] VoidType = Section(1, Vec([0x60, 0x00, 0x00]));
    private static readonly byte[] OneFunctionOfType0 = Section(3, Vec([0x00]));
    private static readonly byte[] EmptyBody = Section(10, Vec(Body([0x00], 0x0B)));
    private static readonly byte[] OneMemory = Section(5, Vec([0x00, 0x01]));
    private static readonly byte[] OneTable = Section(4, Vec([0x70, 0x00, 0x01]));

    private static string Malformed(byte[] bytes) =>
        Assert.Throws<WasmFormatException>(() => ModuleDecoder.Decode(bytes)).Reason;

    // ---- Well-formed modules ----

    [Fact]
    public void HeaderAloneIsAnEmptyModule()
    {
        var module = ModuleDecoder.Decode(Header);
        Assert.Empty(module.Types);
        Assert.Empty(module.FunctionSpace);
        Assert.Null(module.StartFunction);
        Assert.Null(module.DataCount);
    }

    [Fact]
    public void TypeSectionGivesParametersAndResults()
    {
        var module = ModuleDecoder.Decode(Module(Section(1, Vec([0x60, 0x02, 0x7F, 0x7E, 0x01, 0x7B], [0x60, 0x00, 0x02, 0x70, 0x6F]))));
        Assert.Equal(new FunctionType([ValueKind.I32, ValueKind.I64], [ValueKind.V128]), module.Types[0]);
        Assert.Equal(new FunctionType([], [ValueKind.FuncRef, ValueKind.ExternRef]), module.Types[1]);
    }

    [Fact]
    public void ImportSectionGivesEachKindAndImportsComeFirstInIndexSpaces()
    {
        var module = ModuleDecoder.Decode(Module(
            VoidType,
            Section(2, Vec(
                [.. Name("env"), .. Name("f"), 0x00, 0x00],
                [.. Name("env"), .. Name("t"), 0x01, 0x6F, 0x01, 0x02, 0x03],
                [.. Name("env"), .. Name("m"), 0x02, 0x00, 0x01],
                [.. Name("env"), .. Name("g"), 0x03, 0x7D, 0x01])),
            OneFunctionOfType0,
            OneTable,
            EmptyBody));
        Assert.Equal(["f", "t", "m", "g"], module.Imports.Select(i => i.Name));
        Assert.Equal(0u, module.Imports[0].FunctionTypeIndex);
        Assert.Equal(new TableType(ValueKind.ExternRef, new Limits(2, 3)), module.Imports[1].Table);
        Assert.Equal(new MemoryType(new Limits(1, null)), module.Imports[2].Memory);
        Assert.Equal(new GlobalType(ValueKind.F32, true), module.Imports[3].Global);
        Assert.Equal((2, 1, 1, 1), (module.FunctionSpace.Count, module.ImportedFunctionCount, module.ImportedTableCount, module.ImportedMemoryCount));
        Assert.Equal([new TableType(ValueKind.ExternRef, new Limits(2, 3)), new TableType(ValueKind.FuncRef, new Limits(1, null))], module.TableSpace);
    }

    [Fact]
    public void CodeSectionKeepsLocalsAndEncodedBodyWithOffsets()
    {
        byte[] bytes = Module(VoidType, OneFunctionOfType0,
            Section(10, Vec(Body([0x02, 0x03, 0x7F, 0x01, 0x7C], 0x41, 0x01, 0x1A, 0x0B))));
        var body = Assert.Single(ModuleDecoder.Decode(bytes).Bodies);
        Assert.Equal([new LocalRun(3, ValueKind.I32), new LocalRun(1, ValueKind.F64)], body.Locals);
        Assert.Equal([0x41, 0x01, 0x1A, 0x0B], body.Code.ToArray());
        Assert.Equal(0x41, bytes[body.CodeOffset]);
        Assert.Equal(0x02, bytes[body.BodyOffset]); // the locals vector's count
    }

    [Fact]
    public void NestedBlocksWithElseDecode()
    {
        // block (if (else) end) end end
        var module = ModuleDecoder.Decode(OneFunction(0x02, 0x40, 0x41, 0x00, 0x04, 0x40, 0x05, 0x0B, 0x0B, 0x0B));
        Assert.Equal(10, module.Bodies[0].Code.Length);
    }

    [Fact]
    public void MemoryAndTableLimitsDecode()
    {
        var module = ModuleDecoder.Decode(Module(Section(4, Vec([0x70, 0x01, 0x00, 0x80, 0x01])), Section(5, Vec([0x01, 0x02, 0x80, 0x80, 0x04]))));
        Assert.Equal(new TableType(ValueKind.FuncRef, new Limits(0, 128)), module.Tables[0]);
        Assert.Equal(new MemoryType(new Limits(2, 65536)), module.Memories[0]);
    }

    [Fact]
    public void GlobalSectionKeepsTheInitializerBytes()
    {
        byte[] bytes = Module(Section(6, Vec([0x7E, 0x00, 0x42, 0x7F, 0x0B], [0x7F, 0x01, 0x41, 0x05, 0x0B])));
        var module = ModuleDecoder.Decode(bytes);
        Assert.Equal(new GlobalType(ValueKind.I64, false), module.Globals[0].Type);
        Assert.Equal(new GlobalType(ValueKind.I32, true), module.Globals[1].Type);
        Assert.Equal([0x41, 0x05, 0x0B], module.Globals[1].Initializer.Code.ToArray());
        Assert.Equal(0x41, bytes[module.Globals[1].Initializer.Offset]);
    }

    [Fact]
    public void ExportAndStartSectionsDecode()
    {
        var module = ModuleDecoder.Decode(Module(VoidType, OneFunctionOfType0, OneMemory,
            Section(7, Vec([.. Name("run"), 0x00, 0x00], [.. Name("mem"), 0x02, 0x00])),
            Section(8, [0x00]),
            EmptyBody));
        Assert.Equal([new ExportDefinition("run", ExternalKind.Function, 0), new ExportDefinition("mem", ExternalKind.Memory, 0)], module.Exports);
        Assert.Equal(0u, module.StartFunction);
    }

    public static IEnumerable<object[]> ElementEncodings() =>
    [
        [new byte[] { 0x00, 0x41, 0x00, 0x0B, 0x01, 0x00 }, SegmentMode.Active, ValueKind.FuncRef, 0u, true],
        [new byte[] { 0x01, 0x00, 0x01, 0x00 }, SegmentMode.Passive, ValueKind.FuncRef, 0u, false],
        [new byte[] { 0x02, 0x01, 0x41, 0x00, 0x0B, 0x00, 0x01, 0x00 }, SegmentMode.Active, ValueKind.FuncRef, 1u, true],
        [new byte[] { 0x03, 0x00, 0x01, 0x00 }, SegmentMode.Declarative, ValueKind.FuncRef, 0u, false],
        [new byte[] { 0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Active, ValueKind.FuncRef, 0u, true],
        [new byte[] { 0x05, 0x6F, 0x01, 0xD0, 0x6F, 0x0B }, SegmentMode.Passive, ValueKind.ExternRef, 0u, false],
        [new byte[] { 0x06, 0x01, 0x41, 0x00, 0x0B, 0x70, 0x01, 0xD0, 0x70, 0x0B }, SegmentMode.Active, ValueKind.FuncRef, 1u, true],
        [new byte[] { 0x07, 0x70, 0x01, 0xD2, 0x00, 0x0B }, SegmentMode.Declarative, ValueKind.FuncRef, 0u, false],
    ];

    [Theory]
    [MemberData(nameof(ElementEncodings))]
    public void EachElementSegmentEncodingDecodes(byte[] segment, object mode, ValueKind type, uint table, bool hasOffset)
    {
        var module = ModuleDecoder.Decode(Module(VoidType, OneFunctionOfType0, Section(4, Vec([0x70, 0x00, 0x00], [0x70, 0x00, 0x00])),
            Section(9, Vec(segment)), EmptyBody));
        var element = Assert.Single(module.Elements);
        Assert.Equal(((SegmentMode)mode, type, table, hasOffset, 1), (element.Mode, element.ElementType, element.TableIndex, element.Offset is not null, element.Count));
        // Encodings with bit 2 set carry expressions; the others, function indices.
        Assert.Equal((segment[0] & 4) != 0, element.Expressions is not null);
    }

    [Fact]
    public void EachDataSegmentEncodingDecodes()
    {
        byte[] bytes = Module(OneMemory, Section(12, [0x03]), Section(11, Vec(
            [0x00, 0x41, 0x08, 0x0B, 0x02, 0xAA, 0xBB],
            [0x01, 0x01, 0xCC],
            [0x02, 0x00, 0x41, 0x00, 0x0B, 0x00])));
        var module = ModuleDecoder.Decode(bytes);
        Assert.Equal(3u, module.DataCount);
        Assert.Equal((SegmentMode.Active, 0u, true), (module.Data[0].Mode, module.Data[0].MemoryIndex, module.Data[0].Offset is not null));
        Assert.Equal([0xAA, 0xBB], module.Data[0].Bytes.ToArray());
        Assert.Equal((SegmentMode.Passive, false), (module.Data[1].Mode, module.Data[1].Offset is not null));
        Assert.Equal([0xCC], module.Data[1].Bytes.ToArray());
        Assert.Equal((SegmentMode.Active, 0), (module.Data[2].Mode, module.Data[2].Bytes.Length));
    }

    [Fact]
    public void CustomSectionsMayAppearAnywhere()
    {
        var module = ModuleDecoder.Decode(Module(
            Section(0, [.. Name("a"), 1, 2]), VoidType, Section(0, [.. Name("b")]), OneFunctionOfType0, EmptyBody, Section(0, [.. Name("c"), 3])));
        Assert.Equal(["a", "b", "c"], module.CustomSections.Select(c => c.Name));
        Assert.Equal([1, 2], module.CustomSections[0].Content.ToArray());
        Assert.Equal(0, module.CustomSections[1].Content.Length);
    }

    [Fact]
    public void DataCountSectionGoesBetweenElementAndCode()
    {
        var module = ModuleDecoder.Decode(Module(VoidType, OneFunctionOfType0, OneMemory, Section(9, Vec()), Section(12, [0x01]),
            Section(10, Vec(Body([0x00], 0xFC, 0x09, 0x00, 0x0B))), Section(11, Vec([0x01, 0x00]))));
        Assert.Equal(1u, module.DataCount);
    }

    [Fact]
    public void DecodingAnArrayDoesNotCopyIt()
    {
        byte[] bytes = OneFunction(0x01, 0x0B);
        var module = ModuleDecoder.Decode(bytes);
        Assert.True(MemoryMarshal.TryGetArray(module.Bodies[0].Code, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void DecodingASpanCopiesIt()
    {
        byte[] bytes = OneFunction(0x01, 0x0B);
        var module = ModuleDecoder.Decode((ReadOnlySpan<byte>)bytes);
        bytes[^2] = 0x00;
        Assert.Equal([0x01, 0x0B], module.Bodies[0].Code.ToArray());
    }

    [Fact]
    public void BodyMayDeclareUpToTwoToThe32MinusOneLocals()
    {
        var module = ModuleDecoder.Decode(OneFunctionWithLocals([0x02, 0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x7E]));
        Assert.Equal(uint.MaxValue, (uint)module.Bodies[0].Locals.Sum(l => (long)l.Count));
    }

    // ---- Malformed modules ----

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 })]
    [InlineData(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00 })]
    public void TruncatedHeaderIsUnexpectedEnd(byte[] bytes) => Assert.StartsWith("unexpected end", Malformed(bytes));

    [Fact]
    public void WrongMagicIsRejected() =>
        Assert.Equal("magic header not detected", Malformed([0x00, 0x41, 0x53, 0x4D, 0x01, 0x00, 0x00, 0x00]));

    [Fact]
    public void WrongVersionIsRejected() =>
        Assert.Equal("unknown binary version", Malformed([0x00, 0x61, 0x73, 0x6D, 0x02, 0x00, 0x00, 0x00]));

    [Fact]
    public void SectionIdAbove12IsMalformed() => Assert.StartsWith("malformed section id", Malformed(Module([0x0D, 0x00])));

    [Fact]
    public void SectionsOutOfOrderAreUnexpectedContent() =>
        Assert.StartsWith("unexpected content after last section", Malformed(Module(OneFunctionOfType0, VoidType)));

    [Fact]
    public void RepeatedSectionIsUnexpectedContent() =>
        Assert.StartsWith("unexpected content after last section", Malformed(Module(VoidType, VoidType)));

    [Fact]
    public void DataCountAfterCodeIsUnexpectedContent() =>
        Assert.StartsWith("unexpected content after last section",
            Malformed(Module(VoidType, OneFunctionOfType0, EmptyBody, Section(12, [0x00]))));

    [Fact]
    public void ContentShorterThanSectionSizeIsASizeMismatch() =>
        Assert.StartsWith("section size mismatch", Malformed(Module([0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00])));

    [Fact]
    public void ContentLongerThanSectionSizeIsASizeMismatch() =>
        Assert.StartsWith("section size mismatch", Malformed(Module([0x01, 0x03, 0x01, 0x60, 0x00, 0x00])));

    [Fact]
    public void SectionSizeBeyondTheFileIsOutOfBounds() =>
        Assert.Equal("length out of bounds", Malformed(Module([0x01, 0x09, 0x01, 0x60, 0x00, 0x00])));

    [Fact]
    public void VectorCountBeyondTheFileIsOutOfBounds() =>
        Assert.Equal("length out of bounds", Malformed(Module([0x03, 0x02, 0x7F, 0x00])));

    [Fact]
    public void FunctionWithoutBodyIsInconsistent() =>
        Assert.Equal("function and code section have inconsistent lengths", Malformed(Module(VoidType, OneFunctionOfType0)));

    [Fact]
    public void BodyWithoutFunctionIsInconsistent() =>
        Assert.Equal("function and code section have inconsistent lengths", Malformed(Module(VoidType, EmptyBody)));

    [Fact]
    public void DataCountDifferentFromDataSegmentsIsInconsistent() =>
        Assert.Equal("data count and data section have inconsistent lengths",
            Malformed(Module(OneMemory, Section(12, [0x02]), Section(11, Vec([0x01, 0x00])))));

    [Fact]
    public void DataCountWithoutDataSectionMustBeZero() =>
        Assert.Equal("data count and data section have inconsistent lengths", Malformed(Module(OneMemory, Section(12, [0x01]))));

    [Theory]
    [InlineData(new byte[] { 0xFC, 0x09, 0x00, 0x0B })]             // data.drop 0
    [InlineData(new byte[] { 0x41, 0x00, 0x41, 0x00, 0x41, 0x00, 0xFC, 0x08, 0x00, 0x00, 0x0B })] // memory.init 0
    public void DataSegmentInstructionsNeedADataCountSection(byte[] code) =>
        Assert.Equal("data count section required",
            Malformed(Module(VoidType, OneFunctionOfType0, OneMemory, Section(10, Vec(Body([0x00], code))), Section(11, Vec([0x01, 0x00])))));

    [Fact]
    public void MoreThanTwoToThe32MinusOneLocalsIsTooMany() =>
        Assert.Equal("too many locals", Malformed(OneFunctionWithLocals([0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x7F, 0x01, 0x7E])));

    [Fact]
    public void BodyMissingItsEndBeforeAnotherBodyExpectsEnd()
    {
        // Reading on from body 0 ("i32.const 1; drop") runs into body 1's size byte 0x05, an else.
        byte[] bytes = Module(VoidType, Section(3, Vec([0x00], [0x00])),
            Section(10, [0x02, 0x04, 0x00, 0x41, 0x01, 0x1A, 0x05, 0x00, 0x41, 0x01, 0x1A, 0x0B]));
        Assert.StartsWith("END opcode expected", Malformed(bytes));
    }

    [Fact]
    public void BodyMissingItsEndAtTheEndOfTheModuleIsUnexpectedEnd() =>
        Assert.Equal("unexpected end of section or function",
            Malformed(Module(VoidType, OneFunctionOfType0, Section(10, [0x01, 0x03, 0x00, 0x41, 0x01]))));

    [Fact]
    public void BodyWhoseEndIsNotAtItsDeclaredSizeIsASizeMismatch() =>
        Assert.StartsWith("section size mismatch",
            Malformed(Module(VoidType, OneFunctionOfType0, Section(10, [0x01, 0x04, 0x00, 0x0B, 0x01, 0x0B]))));

    [Theory]
    [InlineData(new byte[] { 0x05, 0x0B })]                         // else at function level
    [InlineData(new byte[] { 0x02, 0x40, 0x05, 0x0B, 0x0B })]       // else in a block
    [InlineData(new byte[] { 0x41, 0x00, 0x04, 0x40, 0x05, 0x05, 0x0B, 0x0B })] // second else
    public void MisplacedElseExpectsEnd(byte[] code) => Assert.StartsWith("END opcode expected", Malformed(OneFunction(code)));

    [Fact]
    public void IllegalOpcodeInABodyIsMalformed() => Assert.StartsWith("illegal opcode", Malformed(OneFunction(0x06, 0x0B)));

    [Fact]
    public void ConstantExpressionMissingItsEndIsMalformed() =>
        Assert.StartsWith("illegal opcode", Malformed(Module(Section(6, Vec([0x7F, 0x00, 0x41, 0x00])), Section(10, [0x00]))));

    [Fact]
    public void UnknownImportKindIsMalformed() =>
        Assert.StartsWith("malformed import kind", Malformed(Module(Section(2, Vec([.. Name("a"), .. Name("b"), 0x04])))));

    [Fact]
    public void UnknownExportKindIsMalformed() =>
        Assert.StartsWith("malformed export kind", Malformed(Module(Section(7, Vec([.. Name("a"), 0x04, 0x00])))));

    [Fact]
    public void MutabilityOtherThanZeroOrOneIsMalformed() =>
        Assert.StartsWith("malformed mutability", Malformed(Module(Section(6, Vec([0x7F, 0x02, 0x41, 0x00, 0x0B])))));

    [Fact]
    public void LimitsFlagOfTwoIsTooLarge() => Assert.Equal("integer too large", Malformed(Module(Section(5, Vec([0x02, 0x00])))));

    [Fact]
    public void TableOfANumberTypeIsMalformed() =>
        Assert.StartsWith("malformed reference type", Malformed(Module(Section(4, Vec([0x7F, 0x00, 0x00])))));

    [Fact]
    public void ElementSegmentKind8IsMalformed() =>
        Assert.StartsWith("malformed elements segment kind", Malformed(Module(OneTable, Section(9, Vec([0x08])))));

    [Fact]
    public void ElementKindOtherThanZeroIsMalformed() =>
        Assert.StartsWith("malformed element kind", Malformed(Module(OneTable, Section(9, Vec([0x01, 0x01, 0x00])))));

    [Fact]
    public void ElementExpressionsOfANumberTypeAreMalformed() =>
        Assert.StartsWith("malformed reference type", Malformed(Module(OneTable, Section(9, Vec([0x05, 0x7F, 0x00])))));

    [Fact]
    public void DataSegmentKind3IsMalformed() =>
        Assert.StartsWith("malformed data segment kind", Malformed(Module(OneMemory, Section(11, Vec([0x03])))));

    [Fact]
    public void DataSegmentLongerThanTheModuleIsUnexpectedEnd() =>
        Assert.Equal("unexpected end of section or function", Malformed(Module(OneMemory, Section(11, Vec([0x01, 0x02, 0xAA])))));

    [Fact]
    public void CustomSectionNameMustBeUtf8() =>
        Assert.Equal("malformed UTF-8 encoding", Malformed(Module(Section(0, [0x01, 0xFF]))));

    [Fact]
    public void CustomSectionNameLongerThanTheSectionIsUnexpectedEnd() =>
        Assert.Equal("unexpected end of section or function", Malformed(Module([0x00, 0x01, 0x02, 0x61, 0x62])));

    [Fact]
    public void ImportNameMustBeUtf8() =>
        Assert.Equal("malformed UTF-8 encoding", Malformed(Module(Section(2, Vec([0x01, 0xC0, .. Name("b"), 0x00, 0x00])))));

    // ---- Invalid, not malformed ----

    [Fact]
    public void UnknownTypeIndexIsAValidationError()
    {
        var e = Assert.Throws<WasmValidationException>(() => ModuleDecoder.Decode(Module(VoidType, Section(3, Vec([0x01])), EmptyBody)));
        Assert.StartsWith("unknown type", e.Reason);
    }

    [Fact]
    public void UnknownTypeIndexOfAnImportIsAValidationError() =>
        Assert.Throws<WasmValidationException>(() => ModuleDecoder.Decode(Module(Section(2, Vec([.. Name("a"), .. Name("b"), 0x00, 0x00])))));

    [Fact]
    public void MalformednessWinsOverAnUnknownTypeIndex() =>
        Assert.Equal("function and code section have inconsistent lengths", Malformed(Module(VoidType, Section(3, Vec([0x01])))));

    private static byte[] OneFunctionWithLocals(byte[] locals) =>
        Module(VoidType, OneFunctionOfType0, Section(10, Vec(Body(locals, 0x0B))));
}
