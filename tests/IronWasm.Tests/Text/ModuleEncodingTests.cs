using IronWasm.Text;

namespace IronWasm.Tests.Text;

/// <summary>Text modules, abbreviations included, against the exact bytes the binary format prescribes.</summary>
public sealed class ModuleEncodingTests
{
    private const byte Type = 1, Import = 2, Function = 3, Table = 4, Memory = 5, Global = 6, Export = 7, Start = 8,
        Element = 9, Code = 10, Data = 11, DataCount = 12;

    /// <summary>The sections of a binary module, by id, each without its id and size.</summary>
    private static Dictionary<byte, byte[]> Sections(byte[] module)
    {
        Assert.Equal(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 }, module[..8]);
        var sections = new Dictionary<byte, byte[]>();
        int p = 8;
        while (p < module.Length)
        {
            byte id = module[p++];
            int size = 0, shift = 0;
            byte b;
            do
            {
                b = module[p++];
                size |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            sections.Add(id, module[p..(p + size)]);
            p += size;
        }
        return sections;
    }

    private static Dictionary<byte, byte[]> Parse(string text) => Sections(WatParser.ParseModule(text));

    /// <summary>The body of the only function: the code section's count, body size and local declarations removed.</summary>
    private static byte[] OnlyBody(string text)
    {
        var code = Parse(text)[Code];
        Assert.Equal(1, code[0]);
        Assert.Equal(code.Length - 2, code[1]);
        Assert.Equal(0, code[2]); // no locals
        return code[3..];
    }

    [Theory]
    [InlineData("(module)")]
    [InlineData("(module $m)")]
    [InlineData("")]
    [InlineData(";; nothing\n")]
    public void AnEmptyModuleIsJustTheHeader(string text)
    {
        Assert.Equal(new byte[] { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00 }, WatParser.ParseModule(text));
    }

    [Fact]
    public void FunctionWithInlineExportEncodesEverySection()
    {
        var bytes = WatParser.ParseModule("(module (func (export \"f\") (result i32) i32.const 42))");

        Assert.Equal(new byte[]
        {
            0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
            Type, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7F,
            Function, 0x02, 0x01, 0x00,
            Export, 0x05, 0x01, 0x01, (byte)'f', 0x00, 0x00,
            Code, 0x06, 0x01, 0x04, 0x00, 0x41, 0x2A, 0x0B,
        }, bytes);
    }

    [Fact]
    public void BareModuleFieldsAreAModule()
    {
        Assert.Equal(
            WatParser.ParseModule("(module (memory 1) (func))"),
            WatParser.ParseModule("(memory 1) (func)"));
    }

    [Fact]
    public void FoldedInstructionsPutOperandsFirst()
    {
        Assert.Equal(
            OnlyBody("(func (result i32) i32.const 1 i32.const 2 i32.add)"),
            OnlyBody("(func (result i32) (i32.add (i32.const 1) (i32.const 2)))"));
    }

    [Fact]
    public void FoldedIfEvaluatesItsConditionBeforeTheIf()
    {
        Assert.Equal(
            new byte[] { 0x20, 0x00, 0x04, 0x7F, 0x41, 0x01, 0x05, 0x41, 0x02, 0x0B, 0x0B },
            OnlyBody("(func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2))))"));
    }

    [Fact]
    public void PlainBlocksAcceptMatchingClosingLabels()
    {
        Assert.Equal(
            new byte[] { 0x02, 0x40, 0x03, 0x40, 0x0C, 0x01, 0x0B, 0x0B, 0x0B },
            OnlyBody("(func block $a loop $b br $a end $b end $a)"));
    }

    [Fact]
    public void LabelIdentifiersResolveToTheInnermostBlockOfThatName()
    {
        // (block $l (block $l (br $l)) (br $l)): both branches leave the block they are directly in.
        Assert.Equal(
            new byte[] { 0x02, 0x40, 0x02, 0x40, 0x0C, 0x00, 0x0B, 0x0C, 0x00, 0x0B, 0x0B },
            OnlyBody("(func (block $l (block $l (br $l)) (br $l)))"));
    }

    [Fact]
    public void BranchTableListsTargetsThenTheDefault()
    {
        Assert.Equal(
            new byte[] { 0x02, 0x40, 0x02, 0x40, 0x41, 0x00, 0x0E, 0x02, 0x00, 0x01, 0x01, 0x0B, 0x0B, 0x0B },
            OnlyBody("(func (block $out (block $in (br_table $in $out 1 (i32.const 0)))))"));
    }

    [Fact]
    public void InlineTypeUsesReuseTheFirstMatchingTypeOrAppendAfterAllExplicitTypes()
    {
        var sections = Parse(
            "(func (param i32))" +                  // no (param i32) type yet: appended, after $t
            "(type $t (func (result i32)))" +
            "(func (result i32) i32.const 0)" +     // reuses the explicit $t, though it is defined later
            "(func (param i32))");                  // reuses the appended one

        Assert.Equal(new byte[] { 0x02, 0x60, 0x00, 0x01, 0x7F, 0x60, 0x01, 0x7F, 0x00 }, sections[Type]);
        Assert.Equal(new byte[] { 0x03, 0x01, 0x00, 0x01 }, sections[Function]);
    }

    [Fact]
    public void BlockTypesWithOneResultAreValueTypesAndOthersAreTypeIndices()
    {
        var sections = Parse("(func (block (result i32) (i32.const 1)) drop (block (param) (result i32 i32) (i32.const 1) (i32.const 2)) drop drop)");

        Assert.Equal(new byte[] { 0x02, 0x60, 0x00, 0x00, 0x60, 0x00, 0x02, 0x7F, 0x7F }, sections[Type]);
        var code = sections[Code];
        Assert.Equal(new byte[] { 0x02, 0x7F, 0x41, 0x01, 0x0B, 0x1A, 0x02, 0x01 }, code[3..11]);
    }

    [Fact]
    public void ParametersAndLocalsShareOneIndexSpace()
    {
        var code = Parse("(func (param $a i32) (param f32 f32) (local $x i64) (local i64 i32) local.get $a local.get $x drop drop)")[Code];

        // locals: 2 runs (2 x i64, 1 x i32); $a is 0, $x is 3
        Assert.Equal(new byte[] { 0x02, 0x02, 0x7E, 0x01, 0x7F, 0x20, 0x00, 0x20, 0x03, 0x1A, 0x1A, 0x0B }, code[2..]);
    }

    [Fact]
    public void InlineImportsComeFirstInTheirIndexSpace()
    {
        var sections = Parse(
            "(global $g (import \"m\" \"g\") i32)" +
            "(func $f (import \"m\" \"f\") (param i32))" +
            "(global $h i32 (global.get $g))" +
            "(func (call $f (global.get $h)))");

        Assert.Equal(new byte[]
        {
            0x02,
            0x01, (byte)'m', 0x01, (byte)'g', 0x03, 0x7F, 0x00,
            0x01, (byte)'m', 0x01, (byte)'f', 0x00, 0x00,
        }, sections[Import]);
        Assert.Equal(new byte[] { 0x01, 0x7F, 0x00, 0x23, 0x00, 0x0B }, sections[Global]);
        Assert.Equal(new byte[] { 0x23, 0x01, 0x10, 0x00, 0x0B }, sections[Code][3..]);
    }

    [Fact]
    public void TableWithInlineElementsIsSizedToThemAndFilledFromZero()
    {
        var sections = Parse("(table $t funcref (elem $f $g $f)) (func $f) (func $g)");

        Assert.Equal(new byte[] { 0x01, 0x70, 0x01, 0x03, 0x03 }, sections[Table]);
        Assert.Equal(new byte[] { 0x01, 0x00, 0x41, 0x00, 0x0B, 0x03, 0x00, 0x01, 0x00 }, sections[Element]);
    }

    [Fact]
    public void MemoryWithInlineDataIsSizedInPagesAndFilledFromZero()
    {
        var sections = Parse("(memory (data \"ab\" \"c\"))");

        Assert.Equal(new byte[] { 0x01, 0x01, 0x01, 0x01 }, sections[Memory]);
        Assert.Equal(new byte[] { 0x01 }, sections[DataCount]);
        Assert.Equal(new byte[] { 0x01, 0x00, 0x41, 0x00, 0x0B, 0x03, (byte)'a', (byte)'b', (byte)'c' }, sections[Data]);
    }

    [Fact]
    public void ElementSegmentsUseTheMatchingBinaryForm()
    {
        var sections = Parse(
            "(table $t0 1 funcref) (table $t1 1 externref) (func $f)" +
            "(elem (i32.const 0) $f)" +                                 // 0: active, table 0, function indices
            "(elem func $f)" +                                          // 1: passive, function indices
            "(elem (table $t0) (offset (i32.const 0)) funcref (ref.func $f))" + // 4: active, table 0, expressions
            "(elem declare func $f)" +                                  // 3: declarative
            "(elem $e (table $t1) (i32.const 0) externref (ref.null extern))" + // 6: active, other table, expressions
            "(elem funcref (item ref.func $f) (ref.null func))");       // 5: passive, expressions

        Assert.Equal(new byte[]
        {
            0x06,
            0x00, 0x41, 0x00, 0x0B, 0x01, 0x00,
            0x01, 0x00, 0x01, 0x00,
            0x04, 0x41, 0x00, 0x0B, 0x01, 0xD2, 0x00, 0x0B,
            0x03, 0x00, 0x01, 0x00,
            0x06, 0x01, 0x41, 0x00, 0x0B, 0x6F, 0x01, 0xD0, 0x6F, 0x0B,
            0x05, 0x70, 0x02, 0xD2, 0x00, 0x0B, 0xD0, 0x70, 0x0B,
        }, sections[Element]);
    }

    [Fact]
    public void DataSegmentsAreActiveOnAMemoryOrPassive()
    {
        var sections = Parse("(memory 1) (memory $m 1) (data (i32.const 1) \"a\") (data $p \"b\") (data (memory $m) (offset (i32.const 2)) \"c\")");

        Assert.Equal(new byte[]
        {
            0x03,
            0x00, 0x41, 0x01, 0x0B, 0x01, (byte)'a',
            0x01, 0x01, (byte)'b',
            0x02, 0x01, 0x41, 0x02, 0x0B, 0x01, (byte)'c',
        }, sections[Data]);
    }

    [Fact]
    public void DataCountSectionIsWrittenWhenCodeNamesADataSegment()
    {
        var sections = Parse("(memory 1) (func (data.drop 0))");

        Assert.Equal(new byte[] { 0x00 }, sections[DataCount]);
        Assert.Equal(new byte[] { 0xFC, 0x09, 0x00, 0x0B }, sections[Code][3..]);
    }

    [Theory]
    [InlineData("i32.load", new byte[] { 0x28, 0x02, 0x00 })]
    [InlineData("i64.load offset=8", new byte[] { 0x29, 0x03, 0x08 })]
    [InlineData("i32.load8_u offset=0x10 align=1", new byte[] { 0x2D, 0x00, 0x10 })]
    [InlineData("i64.load32_s align=2", new byte[] { 0x34, 0x01, 0x00 })]
    [InlineData("v128.load", new byte[] { 0xFD, 0x00, 0x04, 0x00 })]
    [InlineData("v128.load8x8_s", new byte[] { 0xFD, 0x01, 0x03, 0x00 })]
    [InlineData("v128.load32_splat", new byte[] { 0xFD, 0x09, 0x02, 0x00 })]
    [InlineData("v128.load64_zero offset=4294967295", new byte[] { 0xFD, 0x5D, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    public void MemoryArgumentsDefaultToNaturalAlignment(string instruction, byte[] encoding)
    {
        var body = OnlyBody($"(memory 1) (func (drop ({instruction} (i32.const 0))))");

        Assert.Equal(encoding, body[2..(2 + encoding.Length)]);
    }

    [Fact]
    public void LaneMemoryInstructionsTakeAMemoryArgumentThenALane()
    {
        var body = OnlyBody("(memory 1) (func (param v128) (drop (v128.load16_lane offset=2 7 (i32.const 0) (local.get 0))))");

        Assert.Equal(new byte[] { 0xFD, 0x55, 0x01, 0x02, 0x07 }, body[4..9]);
    }

    [Fact]
    public void SelectWithResultTypesIsTheTypedSelect()
    {
        Assert.Equal(new byte[] { 0x1C, 0x01, 0x7F }, OnlyBody("(func (result i32) (select (result i32) (i32.const 1) (i32.const 2) (i32.const 0)))")[6..9]);
        Assert.Equal(new byte[] { 0x1B }, OnlyBody("(func (result i32) (select (i32.const 1) (i32.const 2) (i32.const 0)))")[6..7]);
    }

    [Fact]
    public void CallIndirectNamesTypeThenTable()
    {
        var sections = Parse("(table 0 funcref) (table $t 0 funcref) (type $v (func)) (func (call_indirect $t (type $v) (i32.const 0)) (call_indirect (param i32) (i32.const 1) (i32.const 0)))");

        Assert.Equal(new byte[] { 0x41, 0x00, 0x11, 0x00, 0x01, 0x41, 0x01, 0x41, 0x00, 0x11, 0x01, 0x00, 0x0B }, sections[Code][3..]);
        Assert.Equal(new byte[] { 0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x00 }, sections[Type]);
    }

    [Fact]
    public void BulkTableInstructionsTakeOptionalTableIndices()
    {
        var body = OnlyBody("(table $a 1 funcref) (table $b 1 funcref) (elem $e func) (func (table.init $b $e (i32.const 0) (i32.const 0) (i32.const 0)) (table.init $e (i32.const 0) (i32.const 0) (i32.const 0)) (table.copy $a $b (i32.const 0) (i32.const 0) (i32.const 0)) (table.copy (i32.const 0) (i32.const 0) (i32.const 0)))");

        // each instruction follows three i32.const operands (six bytes)
        Assert.Equal(new byte[] { 0xFC, 0x0C, 0x00, 0x01 }, body[6..10]);   // table.init elem 0, table 1
        Assert.Equal(new byte[] { 0xFC, 0x0C, 0x00, 0x00 }, body[16..20]);  // table.init elem 0, table 0
        Assert.Equal(new byte[] { 0xFC, 0x0E, 0x00, 0x01 }, body[26..30]);  // table.copy to 0 from 1
        Assert.Equal(new byte[] { 0xFC, 0x0E, 0x00, 0x00 }, body[36..40]);
    }

    [Theory]
    [InlineData("i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1", "000102030405060708090A0B0C0D0EFF")]
    [InlineData("i16x8 0 1 -1 0x1234 65535 -32768 0 0", "00000100FFFF3412FFFF008000000000")]
    [InlineData("i32x4 1 -1 0x80000000 4294967295", "01000000FFFFFFFF00000080FFFFFFFF")]
    [InlineData("i64x2 -1 0x0102030405060708", "FFFFFFFFFFFFFFFF0807060504030201")]
    [InlineData("f32x4 1.0 -0.0 inf nan:0x1", "0000803F000000800000807F0100807F")]
    [InlineData("f64x2 1 -nan", "000000000000F03F000000000000F8FF")]
    public void VectorConstantsAreLittleEndianLanes(string lanes, string hex)
    {
        var body = OnlyBody($"(func (drop (v128.const {lanes})))");

        Assert.Equal(new byte[] { 0xFD, 0x0C }, body[..2]);
        Assert.Equal(Convert.FromHexString(hex), body[2..18]);
    }

    [Fact]
    public void ShuffleTakesSixteenLaneIndices()
    {
        var body = OnlyBody("(func (param v128) (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31 (local.get 0) (local.get 0))))");

        Assert.Equal(new byte[] { 0xFD, 0x0D, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 31 }, body[4..22]);
    }

    [Fact]
    public void ConstantsUseSignedLeb128AndLittleEndianFloats()
    {
        Assert.Equal(new byte[] { 0x41, 0x7F, 0x41, 0x80, 0x01, 0x42, 0x80, 0x80, 0x80, 0x80, 0x08, 0x43, 0x00, 0x00, 0xC0, 0x7F },
            OnlyBody("(func i32.const -1 i32.const 128 i64.const 0x80000000 f32.const nan drop drop drop drop)")[..16]);
    }

    [Fact]
    public void StartExportAndReferenceInstructionsUseResolvedIndices()
    {
        var sections = Parse("(func $a) (func $main (drop (ref.func $a)) (drop (ref.null extern))) (start $main) (export \"a\" (func $a)) (elem declare func $a)");

        Assert.Equal(new byte[] { 0x01 }, sections[Start]);
        Assert.Equal(new byte[] { 0x01, 0x01, (byte)'a', 0x00, 0x00 }, sections[Export]);
    }

    [Fact]
    public void FunctionIdentifiersGoToTheNameSection()
    {
        var name = Parse("(func $first) (func) (func $third)")[0];

        Assert.Equal(new byte[]
        {
            0x04, (byte)'n', (byte)'a', (byte)'m', (byte)'e',
            0x01, 0x0F, 0x02,
            0x00, 0x05, (byte)'f', (byte)'i', (byte)'r', (byte)'s', (byte)'t',
            0x02, 0x05, (byte)'t', (byte)'h', (byte)'i', (byte)'r', (byte)'d',
        }, name);
    }
}
