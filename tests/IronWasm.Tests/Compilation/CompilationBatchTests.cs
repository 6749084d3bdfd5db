using System.Text;

namespace IronWasm.Tests.Compilation;

/// <summary>Small callees are emitted together with their caller so calls to them are direct.</summary>
public class CompilationBatchTests
{
    [Fact]
    public void LongChainOfSmallCalleesCompilesWithoutDeepRecursion()
    {
        // Every function calls the next one (never at run time): the first call emits all of
        // them, which must not nest one compiler frame per function.
        const int count = 20000;
        var wat = new StringBuilder("(module\n");
        for (int i = 0; i < count; i++)
        {
            string call = i + 1 < count ? $"(if (local.get 0) (then (drop (call $f{i + 1} (i32.const 0)))))" : "";
            wat.Append($"(func $f{i} (param i32) (result i32) {call} (i32.const {i}))\n");
        }
        wat.Append("(export \"f\" (func $f0)) (export \"last\" (func $f" + (count - 1) + ")))");
        var instance = Wasm.Instantiate(wat.ToString());
        Assert.Equal(0, instance.GetFunction<int, int>("f")!(0));
        Assert.Equal(count - 1, instance.GetFunction<int, int>("last")!(0));
    }

    [Fact]
    public void CalleeEmittedWithItsCallerIsAlsoCallableOnItsOwn()
    {
        var instance = Wasm.Instantiate("""
            (module
              (func $square (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "f") (param i32) (result i32) (i32.add (call $square (local.get 0)) (i32.const 1))))
            """);
        Assert.Equal(50, instance.GetFunction<int, int>("f")!(7));
        Assert.Equal(81, instance.GetFunction<int, int>("square")!(9));
    }

    [Fact]
    public void TrapInADirectlyCalledCalleeReachesTheHost()
    {
        var f = Wasm.Instantiate("""
            (module (memory 1)
              (func $load (param i32) (result i32) (i32.load (local.get 0)))
              (func (export "f") (param i32) (result i32) (call $load (local.get 0))))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(0, f(0));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65536)));
    }
}
