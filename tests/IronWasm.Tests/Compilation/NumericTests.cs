namespace IronWasm.Tests.Compilation;

public class NumericTests
{
    private static Func<int, int, int> I32(string op) =>
        Wasm.Function("(param i32 i32) (result i32)", $"({op} (local.get 0) (local.get 1))").GetFunction<int, int, int>("f")!;

    private static Func<long, long, long> I64(string op) =>
        Wasm.Function("(param i64 i64) (result i64)", $"({op} (local.get 0) (local.get 1))").GetFunction<long, long, long>("f")!;

    [Fact]
    public void DivisionByZeroTraps()
    {
        Assert.Equal(TrapCode.IntegerDivisionByZero, Wasm.Traps(() => I32("i32.div_u")(1, 0)));
        Assert.Equal(TrapCode.IntegerDivisionByZero, Wasm.Traps(() => I64("i64.rem_s")(1, 0)));
    }

    [Fact]
    public void SignedMinimumDividedByMinusOneTraps()
    {
        Assert.Equal(TrapCode.IntegerOverflow, Wasm.Traps(() => I32("i32.div_s")(int.MinValue, -1)));
        Assert.Equal(TrapCode.IntegerOverflow, Wasm.Traps(() => I64("i64.div_s")(long.MinValue, -1)));
    }

    [Fact]
    public void SignedMinimumRemainderMinusOneIsZero()
    {
        Assert.Equal(0, I32("i32.rem_s")(int.MinValue, -1));
        Assert.Equal(0L, I64("i64.rem_s")(long.MinValue, -1));
        Assert.Equal(-1, I32("i32.rem_s")(-7, 2));
    }

    [Fact]
    public void UnsignedDivisionTreatsOperandsAsUnsigned()
    {
        Assert.Equal(int.MaxValue, I32("i32.div_u")(-1, 2));
        Assert.Equal(1L, I64("i64.rem_u")(-1, 2));
    }

    [Fact]
    public void ShiftCountsAreMasked()
    {
        Assert.Equal(2, I32("i32.shl")(1, 33));
        Assert.Equal(-1, I32("i32.shr_s")(int.MinValue, 63));
        Assert.Equal(1L, I64("i64.shr_u")(long.MinValue, 127));
    }

    [Fact]
    public void RotatesWrapAround()
    {
        Assert.Equal(unchecked((int)0x80000001), I32("i32.rotr")(3, 1));
        Assert.Equal(1L, I64("i64.rotl")(long.MinValue, 65));
    }

    [Fact]
    public void BitCountsMatchWasm()
    {
        var f = Wasm.Function("(param i32) (result i32)", "(i32.add (i32.clz (local.get 0)) (i32.mul (i32.const 100) (i32.ctz (local.get 0))))")
            .GetFunction<int, int>("f")!;
        Assert.Equal(32 + 3200, f(0));
        Assert.Equal(28 + 300, f(8));
    }

    [Fact]
    public void FloatComparisonsAreFalseForNaN()
    {
        var f = Wasm.Function("(param f64) (result i32)", """
            (i32.add (i32.add (f64.le (local.get 0) (f64.const 1)) (f64.ge (local.get 0) (f64.const 1)))
                     (i32.mul (i32.const 10) (f64.ne (local.get 0) (local.get 0))))
            """).GetFunction<double, int>("f")!;
        Assert.Equal(10, f(double.NaN));
        Assert.Equal(2, f(1));
    }

    [Fact]
    public void SubtractingZeroQuietsSignallingNaN()
    {
        var f = Wasm.Function("(param i32) (result i32)", "(i32.reinterpret_f32 (f32.sub (f32.reinterpret_i32 (local.get 0)) (f32.const 0)))")
            .GetFunction<int, int>("f")!;
        Assert.Equal(0x7FE00000, f(0x7FA00000));
        Assert.Equal(0x3F800000, f(0x3F800000));
    }

    [Fact]
    public void PromoteThenDemoteQuietsSignallingNaN()
    {
        var f = Wasm.Function("(param i32) (result i32)", "(i32.reinterpret_f32 (f32.demote_f64 (f64.promote_f32 (f32.reinterpret_i32 (local.get 0)))))")
            .GetFunction<int, int>("f")!;
        Assert.Equal(0x7FE00000, f(0x7FA00000));
        Assert.Equal(unchecked((int)0x80000001), f(unchecked((int)0x80000001)));
    }

    [Fact]
    public void SignallingNaNConstantKeepsItsBits()
    {
        var f = Wasm.Function("(result i64)", "(i64.reinterpret_f64 (f64.neg (f64.const nan:0x4000000000000)))").GetFunction<long>("f")!;
        Assert.Equal(unchecked((long)0xFFF4000000000000), f());
    }

    [Fact]
    public void UnsignedConversionsRoundOnce()
    {
        var f = Wasm.Function("(param i64) (result f32)", "(f32.convert_i64_u (local.get 0))").GetFunction<long, float>("f")!;
        Assert.Equal(1.8446744e19f, f(-1));
        // 2^63 + 2^40 + 1 rounds up to 2^63 + 2^40... only with a single rounding step.
        Assert.Equal(9223373136366403584f, f(unchecked((long)0x8000010000000001)));
    }

    [Fact]
    public void TrappingTruncationTrapsOnNaN()
    {
        var f = Wasm.Function("(param f32) (result i32)", "(i32.trunc_f32_s (local.get 0))").GetFunction<float, int>("f")!;
        Assert.Equal(-3, f(-3.9f));
        Assert.Equal(TrapCode.BadConversionToInteger, Wasm.Traps(() => f(float.NaN)));
    }

    [Fact]
    public void SignExtensionExtends()
    {
        var f = Wasm.Function("(param i64) (result i64)", "(i64.extend32_s (local.get 0))").GetFunction<long, long>("f")!;
        Assert.Equal(-1L, f(0xFFFFFFFFL));
    }
}
