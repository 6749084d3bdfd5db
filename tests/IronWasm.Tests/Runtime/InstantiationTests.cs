using System.Text;

namespace IronWasm.Tests.Runtime;

public class InstantiationTests
{
    private static string ManyFunctions(int count)
    {
        var text = new StringBuilder("(module");
        for (int i = 0; i < count; i++) text.Append($" (func (export \"f{i}\") (result i32) i32.const {i})");
        return text.Append(')').ToString();
    }

    [Fact]
    public void InstantiationCompilesNothing()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, "many", ManyFunctions(1000));
        new Linker(engine).Instantiate(new Store(engine), module);
        Assert.All(module.Compiled.Methods, Assert.Null);
    }

    [Fact]
    public void FirstCallCompilesOnlyThatFunction()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, "many", ManyFunctions(10));
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        Assert.Equal(7, instance.GetFunction<int>("f7")!());
        Assert.Equal(new[] { 7 }, module.Compiled.Methods.Select((m, i) => (m, i)).Where(p => p.m is not null).Select(p => p.i));
    }

    [Fact]
    public void InstancesShareCompiledCode()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, "m", ManyFunctions(2));
        var linker = new Linker(engine);
        var a = linker.Instantiate(new Store(engine), module);
        Assert.Equal(1, a.GetFunction<int>("f1")!());
        var method = module.Compiled.Methods[1];
        var b = linker.Instantiate(new Store(engine), module);
        Assert.Equal(1, b.GetFunction<int>("f1")!());
        Assert.Same(method, module.Compiled.Methods[1]);
    }

    [Fact]
    public void InstantiatingTenThousandFunctionsCompilesNone()
    {
        // Speed lives in bench/IronWasm.Benchmarks (InstantiationBenchmarks); this is the property behind it.
        var engine = new Engine();
        var module = Module.FromText(engine, "many", ManyFunctions(10_000));
        var linker = new Linker(engine);
        for (int i = 0; i < 3; i++) linker.Instantiate(new Store(engine), module);
        Assert.All(module.Compiled.Methods, Assert.Null);
    }

    [Fact]
    public void ActiveSegmentsAreAppliedAndDropped()
    {
        var instance = TestModules.Instantiate("""
            (module (memory (export "mem") 1) (table 2 funcref)
              (data (i32.const 8) "\01\02")
              (func $f (result i32) i32.const 11)
              (elem (i32.const 1) $f)
              (type $t (func (result i32)))
              (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $t))
              (func (export "reinit") (memory.init 0 (i32.const 0) (i32.const 0) (i32.const 1))))
            """);
        Assert.Equal(0x0201, instance.GetMemory("mem")!.ReadInt16(8));
        Assert.Equal(11, instance.GetFunction<int, int>("call")!(1));
        var trap = Assert.Throws<TrapException>(() => instance.GetAction("reinit")!());
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
    }

    [Fact]
    public void PassiveSegmentsStayAvailable()
    {
        var instance = TestModules.Instantiate("""
            (module (memory (export "mem") 1) (data $d "abc")
              (func (export "init") (memory.init $d (i32.const 4) (i32.const 1) (i32.const 2))))
            """);
        instance.GetAction("init")!();
        Assert.Equal("bc", instance.GetMemory("mem")!.ReadString(4, 2));
    }

    [Fact]
    public void OutOfBoundsDataSegmentTrapsButKeepsEarlierWrites()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var memory = new Memory(store, 1);
        var linker = new Linker(engine);
        linker.Define("env", "mem", memory);
        var trap = Assert.Throws<TrapException>(() => TestModules.Instantiate("""
            (module (import "env" "mem" (memory 1))
              (data (i32.const 0) "ok")
              (data (i32.const 65535) "xx"))
            """, linker, store));
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
        Assert.Equal("ok", memory.ReadString(0, 2));
        Assert.Equal(0, memory.ReadByte(65535));
    }

    [Fact]
    public void OutOfBoundsElementSegmentTraps()
    {
        var trap = Assert.Throws<TrapException>(() => TestModules.Instantiate("""
            (module (table 1 funcref) (func $f) (elem (i32.const 1) $f))
            """));
        Assert.Equal(TrapCode.TableOutOfBounds, trap.Code);
    }

    [Fact]
    public void StartFunctionRunsAtInstantiation()
    {
        var instance = TestModules.Instantiate("""
            (module (global $g (export "g") (mut i32) (i32.const 0))
              (func $start i32.const 5 global.set $g) (start $start))
            """);
        Assert.Equal(5, instance.GetGlobal("g")!.GetValue().AsInt32());
    }

    [Fact]
    public void TrappingStartFunctionFailsInstantiation()
    {
        var trap = Assert.Throws<TrapException>(() => TestModules.Instantiate("(module (func $s unreachable) (start $s))"));
        Assert.Equal(TrapCode.Unreachable, trap.Code);
    }

    [Fact]
    public void InstanceLimitIsEnforced()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        store.SetLimits(instances: 1);
        var module = Module.FromText(engine, "m", "(module)");
        var linker = new Linker(engine);
        linker.Instantiate(store, module);
        Assert.Equal(TrapCode.ResourceLimitExceeded, Assert.Throws<TrapException>(() => linker.Instantiate(store, module)).Code);
    }

    [Fact]
    public void MemoryCountLimitIsEnforced()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        store.SetLimits(memories: 0);
        var trap = Assert.Throws<TrapException>(() => TestModules.Instantiate("(module (memory 1))", store: store));
        Assert.Equal(TrapCode.ResourceLimitExceeded, trap.Code);
    }

    [Fact]
    public void GetExportsListsEveryExport()
    {
        var instance = TestModules.Instantiate("""
            (module (func (export "f")) (memory (export "m") 1) (table (export "t") 1 funcref) (global (export "g") i32 (i32.const 0)))
            """);
        var exports = instance.GetExports();
        Assert.IsType<Function>(exports["f"]);
        Assert.IsType<Memory>(exports["m"]);
        Assert.IsType<Table>(exports["t"]);
        Assert.IsType<Global>(exports["g"]);
    }
}
