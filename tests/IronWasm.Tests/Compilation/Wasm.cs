namespace IronWasm.Tests.Compilation;

/// <summary>Instantiates a WAT module through the public API, so compiler tests run the code the
/// engine really runs (lazy compilation included).</summary>
internal static class Wasm
{
    public static Instance Instantiate(string wat, Config? config = null, Action<Linker>? define = null) =>
        Instantiate(wat, new Store(new Engine(config)), define);

    public static Instance Instantiate(string wat, Store store, Action<Linker>? define = null)
    {
        var module = Module.FromText(store.Engine, "test", wat);
        var linker = new Linker(store.Engine);
        define?.Invoke(linker);
        return linker.Instantiate(store, module);
    }

    /// <summary>A module with one exported function "f" of the given signature and body.</summary>
    public static Instance Function(string signature, string body, string extra = "") =>
        Instantiate($"(module {extra} (func (export \"f\") {signature} {body}))");

    public static TrapCode Traps(Action action) => Assert.Throws<TrapException>(action).Code;
}
