using IronWasm.Text;

namespace IronWasm.Tests.Text;

/// <summary>Malformed text is rejected with the reason the spec's reference interpreter gives (the test
/// suite's assert_malformed checks it) and with where it is.</summary>
public sealed class MalformedTextTests
{
    private static WasmFormatException Reject(string text) =>
        Assert.Throws<WasmFormatException>(() => WatParser.ParseModule(text));

    [Theory]
    [InlineData("(func (result i32) (param i32) (i32.const 0))", "unexpected token")]
    [InlineData("(func (nop) (local i32))", "unexpected token")]
    [InlineData("(func (i32.const nan:canonical))", "unexpected token")]
    [InlineData("(func (if (i32.const 1) i32.const 0 (then)))", "unexpected token")]
    [InlineData("(module) (module)", "unexpected token")]
    [InlineData("(func br 0drop)", "unknown operator")]
    [InlineData("(data $l\"a\")", "unknown operator")]
    [InlineData("(func (drop (i32.const 0x)))", "unknown operator")]
    [InlineData("(memory 1) (func (drop (i32.load offset=-1 (i32.const 0))))", "unknown operator")]
    [InlineData("(func (drop (get_local 0)))", "unknown operator get_local")]
    [InlineData("(func (br $nowhere))", "unknown label")]
    [InlineData("(func block $a end $b)", "mismatching label")]
    [InlineData("(func i32.const 0 if $a else $b end)", "mismatching label")]
    [InlineData("(memory 1) (func (drop (i32.load align=3 (i32.const 0))))", "alignment must be a power of two")]
    [InlineData("(func (drop (i32.const 4294967296)))", "constant out of range")]
    [InlineData("(func (drop (i64.const -9223372036854775809)))", "constant out of range")]
    [InlineData("(func (drop (f32.const 1e39)))", "constant out of range")]
    [InlineData("(func (drop (f64.const nan:0x0)))", "constant out of range")]
    [InlineData("(memory 0x1_0000_0000)", "i32 constant out of range")]
    [InlineData("(memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0))))", "i32 constant out of range")]
    [InlineData("(func", "unexpected end")]
    [InlineData("(type $t (func)) (func (type $t) (param i32))", "inline function type")]
    [InlineData("(type $t (func)) (table 0 funcref) (func (call_indirect (type $t) (result i32) (i32.const 0)) drop)", "inline function type")]
    [InlineData("(func (type 3) (param i32))", "unknown type")]
    [InlineData("(func (export \"\\ff\"))", "malformed UTF-8 encoding")]
    [InlineData("(func $f) (func $f)", "duplicate func")]
    [InlineData("(global $g i32 (i32.const 0)) (global $g i32 (i32.const 0))", "duplicate global")]
    [InlineData("(func (param $x i32) (local $x i32))", "duplicate local")]
    [InlineData("(func) (import \"\" \"\" (func))", "import after function")]
    [InlineData("(memory 0) (func (import \"\" \"\"))", "import after memory")]
    [InlineData("(func (drop (v128.const i32x4 1 2 3)))", "wrong number of lane literals")]
    [InlineData("(func (drop (v128.const i32x4 1 2 3 4 5)))", "wrong number of lane literals")]
    [InlineData("(func (drop (i8x16.shuffle 0 1 2 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))", "invalid lane length")]
    [InlineData("(func (drop (i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 -1 (v128.const i64x2 0 0) (v128.const i64x2 0 0))))", "malformed lane index")]
    [InlineData("(func (drop (i8x16.extract_lane_s 256 (v128.const i64x2 0 0))))", "malformed lane index")]
    [InlineData("(func (drop (i8x16.extract_lane_s +1 (v128.const i64x2 0 0))))", "unexpected token")]
    [InlineData("(func $a) (start $a) (start $a)", "multiple start sections")]
    [InlineData("(func (call $missing))", "unknown func $missing")]
    [InlineData("(func (local.get $missing) drop)", "unknown local $missing")]
    public void MalformedTextIsRejectedForTheSpecsReason(string text, string reason)
    {
        Assert.StartsWith(reason, Reject(text).Reason);
    }

    [Fact]
    public void ErrorsGiveLineAndColumnAndCharacterOffset()
    {
        var text = "(module\n  (func\n    (i32.const 0x)))";

        var error = Reject(text);

        Assert.Equal(text.IndexOf("0x", StringComparison.Ordinal), error.Offset);
        Assert.Contains("3:16", error.Reason);
    }

    [Theory]
    [InlineData("(block ", ")")]
    [InlineData("(drop ", ")")]
    [InlineData("block ", "end ")]
    public void NestingTooDeepForTheStackIsRefusedNotACrash(string open, string close)
    {
        const int depth = 1_000_000;
        var text = "(func " + string.Concat(Enumerable.Repeat(open, depth)) + string.Concat(Enumerable.Repeat(close, depth)) + ")";

        Assert.StartsWith("instructions nested too deeply", Reject(text).Reason);
    }
}
