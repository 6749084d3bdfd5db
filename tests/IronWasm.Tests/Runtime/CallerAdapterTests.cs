using IronWasm.Runtime;

namespace IronWasm.Tests.Runtime;

/// <summary>Host functions taking a <see cref="Caller"/> whose other types are already the engine's are
/// bound without generated code (<see cref="CallerAdapter"/>); each arity passes every argument in
/// order, returns the result, and hands over the Caller of the importing instance. Callbacks whose
/// types need converting (funcref as <see cref="Function"/>) still work, through a generated adapter.</summary>
public sealed class CallerAdapterTests
{
    private static string Module(string parameters, string result, int count) => $$"""
        (module (import "env" "f" (func $f (param {{parameters}}) {{result}}))
          (memory (export "mem") 1)
          (func (export "run") (param {{parameters}}) {{result}}
            {{string.Join(" ", Enumerable.Range(0, count).Select(i => $"local.get {i}"))}} call $f))
        """;

    [Fact]
    public void EveryArityOfFuncPassesItsArgumentsInOrder()
    {
        var engine = new Engine();
        using var store = new Store(engine, data: "mine");
        var linker = new Linker(engine);
        string? data = null;
        linker.DefineFunction("env", "f", (Caller c, int a, long b, float d, double e, int g, int h, long i, int j) =>
        {
            data = (string?)c.Data;
            return a + b * 10 + (long)d * 100 + (long)e * 1000 + g * 10_000L + h * 100_000L + i * 1_000_000 + j * 10_000_000L;
        });
        var instance = TestModules.Instantiate(Module("i32 i64 f32 f64 i32 i32 i64 i32", "(result i64)", 8), linker, store);
        var result = instance.GetFunction("run")!.Invoke(1, 2L, 3f, 4d, 5, 6, 7L, 8);
        Assert.Equal(87_654_321L, result);
        Assert.Equal("mine", data);
        Assert.NotNull(Callee(instance).Method.DeclaringType); // a DynamicMethod has none
    }

    [Fact]
    public void ActionsWithAndWithoutParametersAreCalled()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        int calls = 0;
        linker.DefineFunction("env", "f", (Caller c) => { calls++; });
        var none = TestModules.Instantiate(Module("", "", 0), linker);
        none.GetFunction("run")!.Invoke();

        var second = new Linker(engine);
        second.DefineFunction("env", "f", (Caller c, int address, int value) => c.GetMemory("mem")!.WriteInt32(address, value));
        var two = TestModules.Instantiate(Module("i32 i32", "", 2), second);
        two.GetFunction("run")!.Invoke(8, 1234);
        Assert.Equal(1, calls);
        Assert.Equal(1234, two.GetMemory("mem")!.ReadInt32(8));
    }

    [Fact]
    public void EachImportingInstanceGetsItsOwnCaller()
    {
        var engine = new Engine();
        var linker = new Linker(engine);
        linker.DefineFunction("env", "f", (Caller c, int address, int value) => c.GetMemory("mem")!.WriteInt32(address, value));
        var module = Module("i32 i32", "", 2);
        var first = TestModules.Instantiate(module, linker);
        var second = TestModules.Instantiate(module, linker);
        first.GetFunction("run")!.Invoke(0, 1);
        second.GetFunction("run")!.Invoke(0, 2);
        Assert.Equal(1, first.GetMemory("mem")!.ReadInt32(0));
        Assert.Equal(2, second.GetMemory("mem")!.ReadInt32(0));
    }

    [Fact]
    public void CallbacksWhoseTypesNeedConvertingStillWork()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", (Caller c, Function? f) => f is null ? 1 : 2);
        var instance = TestModules.Instantiate("""
            (module (import "env" "f" (func $f (param funcref) (result i32)))
              (func $g) (elem declare func $g)
              (func (export "run") (result i32) (call $f (ref.func $g)) (call $f (ref.null func)) i32.add))
            """, linker);
        Assert.Equal(3, instance.GetFunction("run")!.Invoke());
    }

    [Fact]
    public void WasiShapedCallbacksAreBoundWithoutGeneratedCode()
    {
        // These shapes have adapters made ahead (CallerAdapter.Common); each must still pass its
        // arguments in order and return the callback's result.
        var engine = new Engine();
        void Check(string parameters, string result, int count, Action<Linker> define, object?[] arguments, object? expected)
        {
            var linker = new Linker(engine);
            define(linker);
            var instance = TestModules.Instantiate(Module(parameters, result, count), linker);
            Assert.Equal(expected, instance.GetFunction("run")!.Invoke(arguments));
            Assert.NotNull(Callee(instance).Method.DeclaringType);
        }
        Check("i32", "(result i32)", 1, l => l.DefineFunction("env", "f", (Caller c, int a) => a + 1), [1], 2);
        Check("i32 i32", "(result i32)", 2, l => l.DefineFunction("env", "f", (Caller c, int a, int b) => a * 10 + b), [1, 2], 12);
        Check("i32 i32 i32", "(result i32)", 3, l => l.DefineFunction("env", "f", (Caller c, int a, int b, int d) => a * 100 + b * 10 + d), [1, 2, 3], 123);
        Check("i32 i32 i32 i32", "(result i32)", 4, l => l.DefineFunction("env", "f", (Caller c, int a, int b, int d, int e) => a * 1000 + b * 100 + d * 10 + e), [1, 2, 3, 4], 1234);
        Check("i32 i64 i32", "(result i32)", 3, l => l.DefineFunction("env", "f", (Caller c, int a, long b, int d) => (int)(a * 100 + b * 10 + d)), [1, 2L, 3], 123);
        Check("i32 i64 i32 i32", "(result i32)", 4, l => l.DefineFunction("env", "f", (Caller c, int a, long b, int d, int e) => (int)(a * 1000 + b * 100 + d * 10 + e)), [1, 2L, 3, 4], 1234);
        int seen = 0;
        Check("i32", "", 1, l => l.DefineFunction("env", "f", (Caller c, int a) => { seen = a; }), [42], null);
        Assert.Equal(42, seen);
    }

    private static Delegate Callee(Instance instance) => instance.Context.Functions[0].Callable;
}
