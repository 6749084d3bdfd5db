namespace IronWasm.Tests.Runtime;

public class GlobalTests
{
    [Fact]
    public void MutableGlobalCanBeSet()
    {
        using var store = new Store(new Engine());
        var global = new Global(store, ValueKind.I64, WasmValue.FromInt64(5), mutable: true);
        global.SetValue(WasmValue.FromInt64(-9));
        Assert.Equal(-9L, global.GetValue().AsInt64());
    }

    [Fact]
    public void ImmutableGlobalRejectsSet()
    {
        using var store = new Store(new Engine());
        var global = new Global(store, ValueKind.I32, WasmValue.FromInt32(1), mutable: false);
        Assert.Throws<InvalidOperationException>(() => global.SetValue(WasmValue.FromInt32(2)));
    }

    [Fact]
    public void GlobalRejectsValueOfOtherKind()
    {
        using var store = new Store(new Engine());
        Assert.Throws<ArgumentException>(() => new Global(store, ValueKind.F32, WasmValue.FromInt32(1), mutable: true));
        var global = new Global(store, ValueKind.F32, WasmValue.FromSingle(1), mutable: true);
        Assert.Throws<ArgumentException>(() => global.SetValue(WasmValue.FromDouble(1)));
    }

    [Fact]
    public void FloatGlobalKeepsNaNPayload()
    {
        using var store = new Store(new Engine());
        var global = new Global(store, ValueKind.F64, WasmValue.FromDoubleBits(0xFFF0_0000_0000_0001), mutable: false);
        Assert.Equal(0xFFF0_0000_0000_0001UL, global.GetValue().AsDoubleBits());
    }

    [Fact]
    public void ImportedMutableGlobalIsSharedWithGuest()
    {
        using var store = new Store(new Engine());
        var global = new Global(store, ValueKind.I32, WasmValue.FromInt32(10), mutable: true);
        var linker = new Linker(store.Engine);
        linker.Define("env", "g", global);
        var instance = TestModules.Instantiate("""
            (module (import "env" "g" (global $g (mut i32)))
              (func (export "bump") global.get $g i32.const 1 i32.add global.set $g))
            """, linker, store);
        instance.GetAction("bump")!();
        Assert.Equal(11, global.GetValue().AsInt32());
    }

    [Fact]
    public void GlobalInitializersReadImportedGlobals()
    {
        using var store = new Store(new Engine());
        var linker = new Linker(store.Engine);
        linker.Define("env", "base", new Global(store, ValueKind.I32, WasmValue.FromInt32(40), mutable: false));
        var instance = TestModules.Instantiate("""
            (module (import "env" "base" (global $b i32))
              (global (export "copy") i32 (global.get $b))
              (global (export "v") v128 (v128.const i32x4 1 2 3 4))
              (global (export "r") funcref (ref.null func)))
            """, linker, store);
        Assert.Equal(40, instance.GetGlobal("copy")!.GetValue().AsInt32());
        Assert.Equal(System.Runtime.Intrinsics.Vector128.AsByte(System.Runtime.Intrinsics.Vector128.Create(1, 2, 3, 4)), instance.GetGlobal("v")!.GetValue().AsVector());
        Assert.True(instance.GetGlobal("r")!.GetValue().IsNullReference);
    }
}
