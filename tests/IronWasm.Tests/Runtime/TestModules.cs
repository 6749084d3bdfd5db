namespace IronWasm.Tests.Runtime;

/// <summary>Small helpers shared by the runtime tests.</summary>
internal static class TestModules
{
    public static Instance Instantiate(string wat, Linker? linker = null, Store? store = null)
    {
        store ??= new Store(linker?.Engine ?? new Engine());
        linker ??= new Linker(store.Engine);
        return linker.Instantiate(store, Module.FromText(store.Engine, "test", wat));
    }
}
