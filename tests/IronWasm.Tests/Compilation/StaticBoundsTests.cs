namespace IronWasm.Tests.Compilation;

/// <summary>An address whose range is known (a constant, a masked, shifted or zero-extended byte
/// value plus a constant) needs no bounds check when it fits in the memory's declared minimum.
/// These pin down the edges: the largest value exactly at the end, one byte past it, and a
/// disposed store's freed memory, where every access must still trap.</summary>
public class StaticBoundsTests
{
    // (x & 255) << 2 + base: at most 1020 + base, 4 bytes read.
    private const string Wat = """
        (module (memory (export "m") 1)
          (func (export "table") (param i32) (result i32)
            (i32.load (i32.add (i32.shl (i32.and (local.get 0) (i32.const 255)) (i32.const 2)) (i32.const 64512))))
          (func (export "past") (param i32) (result i32)
            (i32.load (i32.add (i32.shl (i32.and (local.get 0) (i32.const 255)) (i32.const 2)) (i32.const 64513))))
          (func (export "byte") (param i32) (result i32)
            (i32.load8_u (i32.add (i32.load8_u (local.get 0)) (i32.const 65280))))
          (func (export "global") (result i32)
            (i32.store offset=65532 (i32.const 0) (i32.const 7))
            (i32.load offset=65532 (i32.const 0)))
          (func (export "shifted") (param i32) (result i32)
            (i32.load16_u (i32.shr_u (local.get 0) (i32.const 17)))))
        """;

    [Fact]
    public void BoundedAddressesAtTheEndOfMemoryWork()
    {
        var instance = Wasm.Instantiate(Wat);
        instance.GetMemory("m")!.GetSpan()[65535] = 9;
        Assert.Equal(9 << 24, instance.GetFunction<int, int>("table")!(255));
        Assert.Equal(9 << 24, instance.GetFunction<int, int>("table")!(-1));
        Assert.Equal(7, instance.GetFunction<int>("global")!());
        Assert.Equal(0, instance.GetFunction<int, int>("shifted")!(-1));
        instance.GetMemory("m")!.GetSpan()[0] = 255;
        instance.GetMemory("m")!.GetSpan()[65535] = 9;
        Assert.Equal(9, instance.GetFunction<int, int>("byte")!(0));
    }

    [Fact]
    public void BoundOnePastTheMinimumIsStillChecked()
    {
        var past = Wasm.Instantiate(Wat).GetFunction<int, int>("past")!;
        Assert.Equal(0, past(254));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => past(255)));
    }

    [Fact]
    public void AccessesWithoutChecksTrapAfterTheStoreIsDisposed()
    {
        var engine = new Engine();
        var module = Module.FromText(engine, "test", Wat);
        foreach (var compiled in new[] { module, Module.Deserialize(engine, module.Serialize()) })
        {
            var store = new Store(engine);
            var instance = new Linker(engine).Instantiate(store, compiled);
            var table = instance.GetFunction<int, int>("table")!;
            var global = instance.GetFunction<int>("global")!;
            Assert.Equal(0, table(1));
            store.Dispose();
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => table(1)));
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => global()));
        }
    }
}
