namespace IronWasm.Tests.Runtime;

public class HostFunctionTests
{
    private const string CallsImport = """
        (module (import "env" "f" (func $f (param i32 i32) (result i32)))
          (memory (export "mem") 1)
          (func (export "run") (param i32 i32) (result i32) local.get 0 local.get 1 call $f))
        """;

    [Fact]
    public void TypedHostFunctionIsCalledByGuest()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", (int a, int b) => a * b);
        var instance = TestModules.Instantiate(CallsImport, linker);
        Assert.Equal(42, instance.GetFunction<int, int, int>("run")!(6, 7));
    }

    [Fact]
    public void CallerSeesStoreDataAndCallingInstanceMemory()
    {
        var engine = new Engine();
        using var store = new Store(engine, data: "payload");
        var linker = new Linker(engine);
        object? seenData = null;
        linker.DefineFunction("env", "f", (Caller caller, int address, int value) =>
        {
            seenData = caller.Data;
            caller.GetMemory("mem")!.WriteInt32(address, value);
            return 0;
        });
        var instance = TestModules.Instantiate(CallsImport, linker, store);
        instance.GetFunction<int, int, int>("run")!(16, 99);
        Assert.Equal("payload", seenData);
        Assert.Equal(99, instance.GetMemory("mem")!.ReadInt32(16));
    }

    [Fact]
    public void UntypedHostFunctionReceivesArgumentsAndReturnsResults()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", new FunctionType([ValueKind.I32, ValueKind.I32], [ValueKind.I32]),
            (caller, args, results) => results[0] = WasmValue.FromInt32(args[0].AsInt32() - args[1].AsInt32()));
        var instance = TestModules.Instantiate(CallsImport, linker);
        Assert.Equal(3, instance.GetFunction<int, int, int>("run")!(10, 7));
    }

    [Fact]
    public void UntypedHostFunctionWithManyValuesUsesHeapBuffer()
    {
        var linker = new Linker(new Engine());
        var parameters = Enumerable.Repeat(ValueKind.I64, 20).ToArray();
        linker.DefineFunction("env", "sum", new FunctionType(parameters, [ValueKind.I64]),
            (caller, args, results) =>
            {
                long sum = 0;
                foreach (var a in args) sum += a.AsInt64();
                results[0] = WasmValue.FromInt64(sum);
            });
        var function = linker.Get(new Store(linker.Engine), "env", "sum") as Function;
        var arguments = Enumerable.Range(1, 20).Select(i => WasmValue.FromInt64(i)).ToArray();
        Assert.Equal(210L, function!.Invoke(arguments)[0].AsInt64());
    }

    [Fact]
    public void UntypedHostFunctionReturningWrongKindTraps()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", new FunctionType([ValueKind.I32, ValueKind.I32], [ValueKind.I32]),
            (caller, args, results) => results[0] = WasmValue.FromInt64(1));
        var instance = TestModules.Instantiate(CallsImport, linker);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int, int>("run")!(1, 2));
        Assert.Equal(TrapCode.HostError, trap.Code);
        Assert.IsType<InvalidOperationException>(trap.InnerException);
    }

    [Fact]
    public void HostExceptionBecomesHostErrorTrapWithInnerException()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction<int, int, int>("env", "f", (a, b) => throw new FormatException("bad"));
        var instance = TestModules.Instantiate(CallsImport, linker);
        var trap = Assert.Throws<TrapException>(() => instance.GetFunction<int, int, int>("run")!(1, 2));
        Assert.Equal(TrapCode.HostError, trap.Code);
        Assert.IsType<FormatException>(trap.InnerException);
    }

    [Fact]
    public void HostFunctionWithMultipleResultsReturnsValueTuple()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "pair", (int a) => (a + 1, (long)a * 2));
        var instance = TestModules.Instantiate("""
            (module (import "env" "pair" (func $p (param i32) (result i32 i64)))
              (func (export "run") (param i32) (result i64) (local $l i64)
                local.get 0 call $p local.set $l i64.extend_i32_s local.get $l i64.add))
            """, linker);
        Assert.Equal(10L + 6, instance.GetFunction<int, long>("run")!(5));
    }

    [Fact]
    public void HostFunctionTakingFuncrefGetsFunction()
    {
        var linker = new Linker(new Engine());
        Function? received = null;
        linker.DefineFunction("env", "take", (Function f) => { received = f; });
        var instance = TestModules.Instantiate("""
            (module (import "env" "take" (func $take (param funcref)))
              (func $g (export "g") (result i32) i32.const 3) (elem declare func $g)
              (func (export "run") ref.func $g call $take))
            """, linker);
        instance.GetAction("run")!();
        Assert.Same(instance.GetFunction("g"), received);
        Assert.Equal(3, received!.Invoke());
    }

    [Fact]
    public void HostFunctionCanReenterGuest()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.DefineFunction("env", "f", (Caller caller, int a, int b) =>
            caller.GetFunction("double")!.WrapAs<Func<int, int>>()!(a) + b);
        var instance = TestModules.Instantiate("""
            (module (import "env" "f" (func $f (param i32 i32) (result i32)))
              (func (export "double") (param i32) (result i32) local.get 0 i32.const 2 i32.mul)
              (func (export "run") (param i32 i32) (result i32) local.get 0 local.get 1 call $f))
            """, linker, store);
        Assert.Equal(21, instance.GetFunction<int, int, int>("run")!(10, 1));
    }

    [Fact]
    public void DelegateWithUnsupportedTypeIsRejected()
    {
        var linker = new Linker(new Engine());
        Assert.Throws<ArgumentException>(() => linker.DefineFunction("env", "f", (string s) => 0));
    }

    [Fact]
    public void FunctionFromDelegateCanBePutInTable()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var table = new Table(store, ValueKind.FuncRef, Function.FromDelegate(store, (int x) => x + 100), 1);
        var linker = new Linker(engine);
        linker.Define("env", "t", table);
        var instance = TestModules.Instantiate("""
            (module (import "env" "t" (table 1 funcref)) (type $t (func (param i32) (result i32)))
              (func (export "run") (param i32) (result i32) local.get 0 i32.const 0 call_indirect (type $t)))
            """, linker, store);
        Assert.Equal(105, instance.GetFunction<int, int>("run")!(5));
    }
}
