namespace IronWasm.Tests.Runtime;

public class LinkingTests
{
    [Fact]
    public void MissingImportIsUnknownImport()
    {
        var e = Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"f\" (func)))"));
        Assert.Contains("unknown import", e.Message);
    }

    [Fact]
    public void FunctionOfOtherTypeIsIncompatible()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", (int x) => x);
        var e = Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"f\" (func (param i64))))", linker));
        Assert.Contains("incompatible import type", e.Message);
    }

    [Fact]
    public void ImportOfOtherKindIsIncompatible()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "m", new Memory(store, 1));
        var e = Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"m\" (func)))", linker, store));
        Assert.Contains("incompatible import type", e.Message);
    }

    [Fact]
    public void MemoryLimitsMustBeSubtype()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "m", new Memory(store, 1, 4));
        TestModules.Instantiate("(module (import \"env\" \"m\" (memory 1 5)))", linker, store);
        Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"m\" (memory 2)))", linker, store));
        Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"m\" (memory 1 3)))", linker, store));
    }

    [Fact]
    public void MemoryWithoutMaximumDoesNotMatchBoundedImport()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "m", new Memory(store, 1));
        Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"m\" (memory 1 10)))", linker, store));
    }

    [Fact]
    public void GrownMemoryMatchesLargerMinimum()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        var memory = new Memory(store, 1);
        linker.Define("env", "m", memory);
        memory.Grow(1);
        TestModules.Instantiate("(module (import \"env\" \"m\" (memory 2)))", linker, store);
    }

    [Fact]
    public void TableElementTypeMustMatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "t", new Table(store, ValueKind.ExternRef, null, 1));
        var e = Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"t\" (table 1 funcref)))", linker, store));
        Assert.Contains("incompatible import type", e.Message);
    }

    [Fact]
    public void GlobalMutabilityMustMatch()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        linker.Define("env", "g", new Global(store, ValueKind.I32, WasmValue.FromInt32(0), mutable: false));
        Assert.Throws<WasmLinkException>(() => TestModules.Instantiate("(module (import \"env\" \"g\" (global (mut i32))))", linker, store));
        TestModules.Instantiate("(module (import \"env\" \"g\" (global i32)))", linker, store);
    }

    [Fact]
    public void RedefinitionThrowsUnlessShadowingIsAllowed()
    {
        var linker = new Linker(new Engine());
        linker.DefineFunction("env", "f", () => 1);
        Assert.Throws<WasmLinkException>(() => linker.DefineFunction("env", "f", () => 2));
        linker.AllowShadowing = true;
        linker.DefineFunction("env", "f", () => 3);
        var instance = TestModules.Instantiate("(module (import \"env\" \"f\" (func $f (result i32))) (func (export \"g\") (result i32) call $f))", linker);
        Assert.Equal(3, instance.GetFunction<int>("g")!());
    }

    [Fact]
    public void DefineInstanceExposesItsExports()
    {
        var engine = new Engine();
        using var store = new Store(engine);
        var linker = new Linker(engine);
        var provider = TestModules.Instantiate("""
            (module (func (export "five") (result i32) i32.const 5) (memory (export "mem") 1) (global (export "g") i32 (i32.const 3)))
            """, linker, store);
        linker.DefineInstance(store, "provider", provider);
        var user = TestModules.Instantiate("""
            (module (import "provider" "five" (func $five (result i32))) (import "provider" "mem" (memory 1))
              (import "provider" "g" (global $g i32))
              (func (export "run") (result i32) call $five global.get $g i32.add i32.const 0 i32.load i32.add))
            """, linker, store);
        provider.GetMemory("mem")!.WriteInt32(0, 100);
        Assert.Equal(108, user.GetFunction<int>("run")!());
    }

    [Fact]
    public void ModuleDescribesImportsAndExports()
    {
        var module = Module.FromText(new Engine(), "m", """
            (module (import "env" "f" (func (param i32))) (import "env" "m" (memory 1))
              (func (export "g") (result i64) i64.const 0) (table (export "t") 2 externref))
            """);
        Assert.Equal(new[] { ("env", "f", ExternalKind.Function), ("env", "m", ExternalKind.Memory) },
            module.Imports.Select(i => (i.ModuleName, i.Name, i.Kind)));
        Assert.Equal(new FunctionType([ValueKind.I32], []), module.Imports[0].FunctionType);
        Assert.Equal(new FunctionType([], [ValueKind.I64]), module.Exports[0].FunctionType);
        Assert.Equal(new TableType(ValueKind.ExternRef, new Limits(2, null)), module.Exports[1].TableType);
    }

    [Fact]
    public void ValidateReportsInvalidModule()
    {
        var engine = new Engine();
        // (module (func (result i32))) : the body leaves nothing on the stack.
        byte[] invalid = [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7F, 3, 2, 1, 0, 10, 4, 1, 2, 0, 0x0B];
        Assert.Throws<WasmValidationException>(() => Module.Validate(engine, invalid));
        Assert.NotNull(Module.GetValidationError(engine, invalid));
        Assert.Null(Module.GetValidationError(engine, [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]));
        Assert.Throws<WasmFormatException>(() => Module.Validate(engine, [1, 2, 3]));
    }

    [Fact]
    public void FromFileReadsBinaryAndText()
    {
        var engine = new Engine();
        var directory = Directory.CreateTempSubdirectory();
        try
        {
            var binary = Path.Combine(directory.FullName, "a.wasm");
            File.WriteAllBytes(binary, [0, 0x61, 0x73, 0x6D, 1, 0, 0, 0]);
            var text = Path.Combine(directory.FullName, "b.wat");
            File.WriteAllText(text, "(module (func (export \"f\")))");
            Assert.Empty(Module.FromFile(engine, binary).Exports);
            Assert.Single(Module.FromFile(engine, text).Exports);
        }
        finally { directory.Delete(recursive: true); }
    }
}
