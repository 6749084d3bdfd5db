namespace IronWasm.Tests.Compilation;

public class CallTests
{
    [Fact]
    public void RecursionComputesFactorial()
    {
        var f = Wasm.Instantiate("""
            (module (func $fac (export "f") (param i64) (result i64)
              (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
                (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1))))))))
            """).GetFunction<long, long>("f")!;
        Assert.Equal(3628800L, f(10));
    }

    [Fact]
    public void CallKeepsOperandsBelowArguments()
    {
        var f = Wasm.Instantiate("""
            (module
              (func $sub (param i32 i32) (result i32) (i32.sub (local.get 0) (local.get 1)))
              (func (export "f") (result i32)
                (i32.add (i32.const 1000) (call $sub (i32.const 10) (i32.const 3)))))
            """).GetFunction<int>("f")!;
        Assert.Equal(1007, f());
    }

    [Fact]
    public void CallReturnsManyValuesThroughNestedTuples()
    {
        var f = Wasm.Instantiate("""
            (module
              (func $many (result i32 i64 f32 f64 i32 i32 i32 i32 i64)
                (i32.const 1) (i64.const 2) (f32.const 3) (f64.const 4) (i32.const 5) (i32.const 6) (i32.const 7) (i32.const 8) (i64.const 9))
              (func (export "f") (result i64)
                (local i64)
                (call $many)
                (local.set 0)
                (drop) (drop) (drop) (drop) (drop)
                (drop) (drop)
                (i64.extend_i32_u) (local.get 0) (i64.add)))
            """).GetFunction<long>("f")!;
        Assert.Equal(10L, f());
    }

    [Fact]
    public void HostFunctionIsCalled()
    {
        var f = Wasm.Instantiate("""
            (module (import "env" "twice" (func $twice (param i32) (result i32)))
              (func (export "f") (param i32) (result i32) (i32.add (i32.const 1) (call $twice (local.get 0)))))
            """, define: l => l.DefineFunction("env", "twice", (int x) => 2 * x)).GetFunction<int, int>("f")!;
        Assert.Equal(43, f(21));
    }

    [Fact]
    public void CallIndirectDispatchesAndChecks()
    {
        var f = Wasm.Instantiate("""
            (module
              (type $ii (func (param i32) (result i32)))
              (table funcref (elem $inc $dec $other))
              (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
              (func $dec (type $ii) (i32.sub (local.get 0) (i32.const 1)))
              (func $other (param i64) (result i32) (i32.const 0))
              (func (export "f") (param i32 i32) (result i32)
                (call_indirect (type $ii) (local.get 1) (local.get 0))))
            """).GetFunction<int, int, int>("f")!;
        Assert.Equal(11, f(0, 10));
        Assert.Equal(9, f(1, 10));
        Assert.Equal(TrapCode.BadSignature, Wasm.Traps(() => f(2, 10)));
        Assert.Equal(TrapCode.TableOutOfBounds, Wasm.Traps(() => f(3, 10)));
    }

    [Fact]
    public void CallIndirectToNullTraps()
    {
        var f = Wasm.Instantiate("""
            (module (type $v (func)) (table 2 funcref)
              (func (export "f") (call_indirect (type $v) (i32.const 1))))
            """).GetAction("f")!;
        Assert.Equal(TrapCode.IndirectCallToNull, Wasm.Traps(() => f()));
    }

    [Fact]
    public void InfiniteRecursionTrapsWithStackOverflow()
    {
        var f = Wasm.Instantiate("(module (func $r (export \"f\") (param i64 i64 f64) (call $r (local.get 0) (local.get 1) (local.get 2))))")
            .GetAction<long, long, double>("f")!;
        Assert.Equal(TrapCode.StackOverflow, Wasm.Traps(() => f(1, 2, 3)));
    }

    [Fact]
    public void InfiniteRecursionWithLargeFramesTrapsWithStackOverflow()
    {
        var locals = string.Join(" ", Enumerable.Repeat("v128", 200));
        var touch = string.Concat(Enumerable.Range(1, 200).Select(i => $" (local.set {i} (v128.const i32x4 {i} 0 0 0))"));
        var f = Wasm.Instantiate($"(module (func $r (export \"f\") (param i32) (local {locals}) {touch} (call $r (local.get 0))))")
            .GetAction<int>("f")!;
        Assert.Equal(TrapCode.StackOverflow, Wasm.Traps(() => f(1)));
    }
}

public class DirectCallTests
{
    private const string Module = """
        (module
          (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
          (func (export "f") (param i32) (result i32) (call $add (local.get 0) (i32.const 1))))
        """;

    [Fact]
    public void CallToAlreadyCompiledFunctionGivesSameResult()
    {
        var instance = Wasm.Instantiate(Module);
        Assert.Equal(5, instance.GetFunction<int, int, int>("add")!(2, 3)); // compiles $add first
        Assert.Equal(8, instance.GetFunction<int, int>("f")!(7));
    }

    [Fact]
    public void ManyParametersArePassed()
    {
        var parameters = string.Join(" ", Enumerable.Repeat("i32", 20));
        var sum = string.Concat(Enumerable.Range(1, 19).Select(i => $" (local.get {i}) (i32.add)"));
        var arguments = string.Concat(Enumerable.Range(1, 20).Select(i => $" (i32.const {i})"));
        var f = Wasm.Instantiate($"""
            (module
              (func $sum (param {parameters}) (result i32) (local.get 0) {sum})
              (func (export "f") (result i32) (call $sum {arguments})))
            """).GetFunction<int>("f")!;
        Assert.Equal(210, f());
    }
}
