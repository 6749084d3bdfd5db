using System.Runtime.Intrinsics;
using IronWasm.Text;

namespace IronWasm.Tests.Text;

public sealed class WastParserTests
{
    private static IReadOnlyList<WastCommand> Parse(string text) => WastParser.Parse(text, "test.wast").Commands;

    [Fact]
    public void CommandsCarryTheLineOfTheirOpeningParenthesis()
    {
        var commands = Parse(";; header\n(module)\n\n  (assert_return\n (invoke \"f\"))\n(invoke \"g\")");

        Assert.Equal([2, 4, 6], commands.Select(c => c.Line));
    }

    [Fact]
    public void TextModulesAreConvertedAndNamed()
    {
        var command = Assert.IsType<WastModuleCommand>(Assert.Single(Parse("(module $m (func))")));

        Assert.Equal("$m", command.Module.Name);
        Assert.Equal(WatParser.ParseModule("(module (func))"), command.Module.Binary);
        Assert.Null(command.Module.QuoteText);
        Assert.Null(command.Module.TextError);
    }

    [Fact]
    public void BinaryModulesConcatenateTheirStrings()
    {
        var command = Assert.IsType<WastModuleCommand>(Assert.Single(Parse("(module $b binary \"\\00asm\" \"\\01\\00\\00\\00\")")));

        Assert.Equal("$b", command.Module.Name);
        Assert.Equal(new byte[] { 0, 0x61, 0x73, 0x6D, 1, 0, 0, 0 }, command.Module.Binary);
    }

    [Fact]
    public void QuotedModulesKeepTheirTextForLater()
    {
        var command = Assert.IsType<WastAssertMalformed>(Assert.Single(Parse("(assert_malformed (module quote \"(func\" \" br 0drop)\") \"unknown operator\")")));

        Assert.Equal("(func br 0drop)", command.Module.QuoteText);
        Assert.Null(command.Module.Binary);
        Assert.Equal("unknown operator", command.Message);
    }

    [Fact]
    public void AMalformedTextModuleKeepsItsErrorWithoutFailingTheScript()
    {
        var commands = Parse("(module (func (i32.const 0x)))\n(invoke \"f\")");

        var module = Assert.IsType<WastModuleCommand>(commands[0]).Module;
        Assert.Null(module.Binary);
        Assert.StartsWith("unknown operator", module.TextError!.Reason);
        Assert.IsType<WastActionCommand>(commands[1]);
    }

    [Fact]
    public void InvokeArgumentsKeepExactBits()
    {
        var command = Assert.IsType<WastActionCommand>(Assert.Single(Parse(
            "(invoke $m \"f\" (i32.const -1) (i64.const 0x8000000000000000) (f32.const -nan:0x200000) (f64.const -0.0)" +
            " (v128.const i32x4 1 2 3 -1) (ref.null extern) (ref.null func) (ref.extern 7))")));

        var invoke = Assert.IsType<WastInvoke>(command.Action);
        Assert.Equal("$m", invoke.ModuleName);
        Assert.Equal("f", invoke.Name);
        var a = invoke.Arguments;
        Assert.Equal((ValueKind.I32, 0xFFFFFFFFUL), (a[0].Kind, a[0].Bits));
        Assert.Equal((ValueKind.I64, 0x8000000000000000UL), (a[1].Kind, a[1].Bits));
        Assert.Equal((ValueKind.F32, 0xFFA00000UL), (a[2].Kind, a[2].Bits));
        Assert.Equal((ValueKind.F64, 0x8000000000000000UL), (a[3].Kind, a[3].Bits));
        Assert.Equal(ValueKind.V128, a[4].Kind);
        Assert.Equal(Vector128.Create(1u, 2u, 3u, 0xFFFFFFFFu).AsByte(), a[4].Vector);
        Assert.Equal((ValueKind.ExternRef, true), (a[5].Kind, a[5].IsNull));
        Assert.Equal((ValueKind.FuncRef, true), (a[6].Kind, a[6].IsNull));
        Assert.Equal((ValueKind.ExternRef, false, 7u), (a[7].Kind, a[7].IsNull, a[7].ExternId));
    }

    [Fact]
    public void ExpectedResultsDistinguishNaNPatternsFromValues()
    {
        var command = Assert.IsType<WastAssertReturn>(Assert.Single(Parse(
            "(assert_return (get \"g\") (f32.const nan:canonical) (f64.const nan:arithmetic) (f32.const nan:0x1) (i32.const 5))")));

        Assert.Equal(new WastGet(null, "g"), command.Action);
        var e = command.Expected;
        Assert.Equal((ValueKind.F32, WastNaN.Canonical), (e[0].Kind, e[0].NaN));
        Assert.Equal((ValueKind.F64, WastNaN.Arithmetic), (e[1].Kind, e[1].NaN));
        Assert.Equal((WastNaN.None, 0x7F800001UL), (e[2].NaN, e[2].Bits));
        Assert.Equal((ValueKind.I32, 5UL), (e[3].Kind, e[3].Bits));
    }

    [Fact]
    public void ExpectedVectorsAreGivenPerLane()
    {
        var command = Assert.IsType<WastAssertReturn>(Assert.Single(Parse(
            "(assert_return (invoke \"v\") (v128.const f32x4 nan:canonical 1.0 nan:arithmetic -0x1p0) (v128.const i16x8 -1 0 1 2 3 4 5 65535))")));

        var floats = command.Expected[0];
        Assert.Equal(("f32x4", ValueKind.V128), (floats.LaneShape, floats.Kind));
        Assert.Equal([WastNaN.Canonical, WastNaN.None, WastNaN.Arithmetic, WastNaN.None], floats.LaneNaN!);
        Assert.Equal(0x3F800000UL, floats.Lanes![1]);
        Assert.Equal(0xBF800000UL, floats.Lanes![3]);
        var shorts = command.Expected[1];
        Assert.Equal("i16x8", shorts.LaneShape);
        Assert.Equal([0xFFFFUL, 0, 1, 2, 3, 4, 5, 0xFFFF], shorts.Lanes!);
    }

    [Fact]
    public void ExpectedReferencesCoverNullExternAndAnyFunction()
    {
        var command = Assert.IsType<WastAssertReturn>(Assert.Single(Parse(
            "(assert_return (invoke \"r\") (ref.null func) (ref.extern 3) (ref.func))")));

        var e = command.Expected;
        Assert.True(e[0].IsNull);
        Assert.Equal(ValueKind.FuncRef, e[0].Kind);
        Assert.Equal(3u, e[1].ExternId);
        Assert.True(e[2].AnyFuncRef);
        Assert.Equal(ValueKind.FuncRef, e[2].Kind);
    }

    [Fact]
    public void AssertionsCarryTheirModuleOrActionAndMessage()
    {
        var commands = Parse(
            "(assert_trap (invoke \"t\") \"unreachable\")" +
            "(assert_trap (module (func $s unreachable) (start $s)) \"unreachable\")" +
            "(assert_exhaustion (invoke \"r\") \"call stack exhausted\")" +
            "(assert_invalid (module (func (result i32))) \"type mismatch\")" +
            "(assert_unlinkable (module (import \"m\" \"f\" (func))) \"unknown import\")" +
            "(assert_uninstantiable (module (func $s unreachable) (start $s)) \"unreachable\")" +
            "(register \"M\" $m) (register \"N\")");

        var trap = Assert.IsType<WastAssertTrap>(commands[0]);
        Assert.Equal(("t", "unreachable"), (trap.Action!.Name, trap.Message));
        var moduleTrap = Assert.IsType<WastAssertTrap>(commands[1]);
        Assert.Null(moduleTrap.Action);
        Assert.NotNull(moduleTrap.Module!.Binary);
        Assert.Equal("call stack exhausted", Assert.IsType<WastAssertExhaustion>(commands[2]).Message);
        Assert.NotNull(Assert.IsType<WastAssertInvalid>(commands[3]).Module.Binary);
        Assert.Equal("unknown import", Assert.IsType<WastAssertUnlinkable>(commands[4]).Message);
        Assert.IsType<WastAssertUninstantiable>(commands[5]);
        Assert.Equal(new WastRegister(1, "M", "$m"), commands[6]);
        Assert.Equal(new WastRegister(1, "N", null), commands[7]);
    }

    [Fact]
    public void AScriptOfBareModuleFieldsIsOneModule()
    {
        var command = Assert.IsType<WastModuleCommand>(Assert.Single(Parse("\n(func) (memory 0) (func (export \"f\"))")));

        Assert.Equal(2, command.Line);
        Assert.Equal(WatParser.ParseModule("(module (func) (memory 0) (func (export \"f\")))"), command.Module.Binary);
    }

    [Theory]
    [InlineData("(assert_return (invoke \"f\")")]
    [InlineData("(frobnicate)")]
    [InlineData("(invoke \"f\" (i32.const 1.5))")]
    [InlineData("(assert_invalid (invoke \"f\") \"x\")")]
    public void AMalformedScriptIsRejected(string text)
    {
        Assert.Throws<WasmFormatException>(() => Parse(text));
    }
}
