namespace IronWasm.Tests.Runtime;

public class TrapTests
{
    [Fact]
    public void TrapCarriesCodeAndBacktraceInnermostFirst()
    {
        var instance = TestModules.Instantiate("""
            (module
              (func $inner unreachable)
              (func $outer call $inner)
              (func (export "run") call $outer))
            """);
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("run")!());
        Assert.Equal(TrapCode.Unreachable, trap.Code);
        Assert.Equal(new[] { "$inner", "$outer" }, trap.WasmBacktrace.Take(2));
    }

    [Fact]
    public void BacktraceUsesIndexWithoutNameSection()
    {
        // Hand-assembled: (module (func (export "f") unreachable)), no name section.
        byte[] bytes = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 5, 1, 1, (byte)'f', 0, 0, 10, 5, 1, 3, 0, 0x00, 0x0B];
        var engine = new Engine();
        var instance = new Linker(engine).Instantiate(new Store(engine), Module.FromBytes(engine, "m", bytes));
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction("f")!.Invoke());
        Assert.Equal(new[] { "wasm-function[0]" }, trap.WasmBacktrace);
    }

    [Fact]
    public void DivisionByZeroTraps()
    {
        var instance = TestModules.Instantiate("(module (func (export \"div\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_s))");
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int, int>("div")!(1, 0));
        Assert.Equal(TrapCode.IntegerDivisionByZero, trap.Code);
    }

    [Fact]
    public void InfiniteRecursionTrapsWithStackOverflow()
    {
        var instance = TestModules.Instantiate("(module (func $f (export \"f\") call $f))");
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("f")!());
        Assert.Equal(TrapCode.StackOverflow, trap.Code);
    }

    [Fact]
    public void InfiniteRecursionTrapsOnSmallThreadStack()
    {
        var instance = TestModules.Instantiate("(module (func $f (export \"f\") (param i64 i64 i64) (result i64) local.get 0 local.get 1 local.get 2 call $f))");
        TrapException? trap = null;
        var thread = new Thread(() => trap = Assert.Throws<TrapException>(() => instance.GetFunction<long, long, long, long>("f")!(1, 2, 3)), 256 * 1024);
        thread.Start();
        thread.Join();
        Assert.Equal(TrapCode.StackOverflow, trap!.Code);
    }

    [Fact]
    public void CallDepthIsRestoredAfterTrap()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var instance = TestModules.Instantiate("""
            (module (func $f (export "f") (param i32) local.get 0 i32.eqz if unreachable end local.get 0 i32.const 1 i32.sub call $f))
            """, store: store);
        Assert.Throws<TrapException>(() => instance.GetAction<int>("f")!(50));
        Assert.Equal(0, store.Execution.CallDepth);
        Assert.Throws<TrapException>(() => instance.GetFunction("f")!.Invoke(WasmValue.FromInt32(50)));
        Assert.Equal(0, store.Execution.CallDepth);
    }

    [Fact]
    public void MaxCallDepthLimitsRecursion()
    {
        var engine = new Engine(new Config().WithMaxCallDepth(100));
        using var store = new Store(engine);
        var instance = TestModules.Instantiate("""
            (module (func $f (export "f") (param i32) (result i32)
              local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $f end))
            """, store: store);
        Assert.Equal(0, instance.GetFunction<int, int>("f")!(50));
        Assert.Equal(TrapCode.StackOverflow, Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("f")!(200)).Code);
    }

    [Fact]
    public void TrapInNestedGuestPropagatesThroughHostFunction()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.DefineFunction("env", "reenter", (Caller caller) => { caller.GetFunction("boom")!.Invoke(); });
        var instance = TestModules.Instantiate("""
            (module (import "env" "reenter" (func $r))
              (func $boom (export "boom") unreachable)
              (func $run (export "run") call $r))
            """, linker, store);
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("run")!());
        Assert.Equal(TrapCode.Unreachable, trap.Code);
        Assert.Equal(new[] { "$boom", "$run" }, trap.WasmBacktrace);
        Assert.Equal(0, store.Execution.CallDepth);
    }

    [Fact]
    public void ExitExceptionPassesThroughUnchanged()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "exit", (int code) => throw new ExitException(code));
        var instance = TestModules.Instantiate("(module (import \"env\" \"exit\" (func $e (param i32))) (func (export \"run\") i32.const 3 call $e))", linker);
        var exit = Assert.Throws<ExitException>(() => instance.GetAction("run")!());
        Assert.Equal(3, exit.ExitCode);
    }
}
