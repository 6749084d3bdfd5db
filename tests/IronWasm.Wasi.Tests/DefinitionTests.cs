namespace IronWasm.Wasi.Tests;

/// <summary>What <c>DefineWasi</c> puts in a linker: every preview 1 function, or only a module's imports.</summary>
public class DefinitionTests
{
    private const string Wasi = WasiLinkerExtensions.ModuleName;

    [Fact]
    public void DefineWasiDefinesEveryPreview1Function()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var linker = new Linker(engine).DefineWasi(context);
        Assert.Equal(46, WasiLinkerExtensions.FunctionNames.Distinct().Count());
        foreach (var name in WasiLinkerExtensions.FunctionNames)
            Assert.IsType<Function>(linker.Get(store, Wasi, name));
        Assert.Null(linker.Get(store, Wasi, "no_such_function"));
    }

    [Fact]
    public void DefineWasiForAModuleDefinesOnlyItsImportsOnce()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var module = Module.FromText(engine, "m", """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "fd_write" (func $again (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
              (import "env" "args_get" (func (param i32 i32) (result i32)))
              (memory (export "memory") 1))
            """);
        var linker = new Linker(engine).DefineWasi(context, module);
        Assert.IsType<Function>(linker.Get(store, Wasi, "fd_write"));
        Assert.IsType<Function>(linker.Get(store, Wasi, "proc_exit"));
        Assert.Equal(
            ["fd_write", "proc_exit"],
            WasiLinkerExtensions.FunctionNames.Where(name => linker.Get(store, Wasi, name) is not null).ToArray());
    }

    [Fact]
    public void DefineWasiForAModuleGivesTheSameFunctionTypes()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var all = new Linker(engine).DefineWasi(context);
        var imports = string.Concat(WasiLinkerExtensions.FunctionNames.Select(name =>
            $"(import \"{Wasi}\" \"{name}\" (func {Signature(((Function)all.Get(store, Wasi, name)!).Type)}))"));
        var module = Module.FromText(engine, "m", $"(module {imports} (memory (export \"memory\") 1))");
        var some = new Linker(engine).DefineWasi(context, module);
        foreach (var name in WasiLinkerExtensions.FunctionNames)
            Assert.Equal(((Function)all.Get(store, Wasi, name)!).Type, ((Function)some.Get(store, Wasi, name)!).Type);
        some.Instantiate(store, module);
    }

    [Fact]
    public void AnUnknownWasiImportStillFailsToLink()
    {
        using var engine = new Engine();
        using var context = new WasiContext(new WasiConfiguration());
        using var store = new Store(engine);
        var module = Module.FromText(engine, "m", $"(module (import \"{Wasi}\" \"fd_frobnicate\" (func)))");
        var linker = new Linker(engine).DefineWasi(context, module);
        var error = Assert.Throws<WasmLinkException>(() => linker.Instantiate(store, module));
        Assert.Contains("fd_frobnicate", error.Message);
    }

    private static string Signature(FunctionType type) =>
        $"(param {string.Join(" ", type.Parameters.Select(Text))}) (result {string.Join(" ", type.Results.Select(Text))})";

    private static string Text(ValueKind kind) => kind switch
    {
        ValueKind.I32 => "i32",
        ValueKind.I64 => "i64",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
