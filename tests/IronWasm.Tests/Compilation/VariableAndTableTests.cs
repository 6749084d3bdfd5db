namespace IronWasm.Tests.Compilation;

public class VariableAndTableTests
{
    [Fact]
    public void GlobalsOfEveryNumberTypeRoundTrip()
    {
        var f = Wasm.Function("(result f64)", """
            (global.set $a (i32.const -5))
            (global.set $b (i64.const 1))
            (global.set $c (f32.const 0.5))
            (global.set $d (f64.const 0.25))
            (f64.add (f64.add (f64.convert_i32_s (global.get $a)) (f64.convert_i64_s (global.get $b)))
                     (f64.add (f64.promote_f32 (global.get $c)) (global.get $d)))
            """, "(global $a (mut i32) (i32.const 0)) (global $b (mut i64) (i64.const 0)) (global $c (mut f32) (f32.const 0)) (global $d (mut f64) (f64.const 0))")
            .GetFunction<double>("f")!;
        Assert.Equal(-3.25, f());
    }

    [Fact]
    public void NegativeI32GlobalReadsBackExactly()
    {
        var instance = Wasm.Function("(result i32)", "(global.set $g (i32.const -1)) (global.get $g)", "(global $g (export \"g\") (mut i32) (i32.const 0))");
        Assert.Equal(-1, instance.GetFunction<int>("f")!());
    }

    [Fact]
    public void DeclaredLocalsStartAtZero()
    {
        var f = Wasm.Function("(result i64) (local i32 i64 f32 f64)", "(i64.add (i64.extend_i32_u (local.get 0)) (local.get 1))").GetFunction<long>("f")!;
        Assert.Equal(0L, f());
    }

    [Fact]
    public void TableInstructionsWork()
    {
        var f = Wasm.Function("(result i32)", """
            (drop (table.grow $t (ref.func $g) (i32.const 2)))
            (table.set $t (i32.const 0) (ref.null func))
            (table.fill $t (i32.const 2) (ref.func $g) (i32.const 1))
            (i32.add (i32.mul (i32.const 10) (table.size $t))
                     (i32.add (ref.is_null (table.get $t (i32.const 0))) (ref.is_null (table.get $t (i32.const 2)))))
            """, "(table $t 1 funcref) (func $g) (elem declare func $g)").GetFunction<int>("f")!;
        Assert.Equal(31, f());
    }

    [Fact]
    public void TableGetOutOfBoundsTraps()
    {
        var f = Wasm.Function("(result i32)", "(ref.is_null (table.get $t (i32.const 5)))", "(table $t 1 externref)").GetFunction<int>("f")!;
        Assert.Equal(TrapCode.TableOutOfBounds, Wasm.Traps(() => f()));
    }
}
