using IronWasm.Binary;
using IronWasm.Model;
using IronWasm.Runtime;
using IronWasm.Validation;

namespace IronWasm;

/// <summary>A decoded and validated WebAssembly module, ready to instantiate any number of times in
/// stores of its engine. Creating a module compiles nothing: each function is compiled on its first
/// call (once, shared by all instances). With the compilation cache on, a binary module's code is
/// loaded from the cache, or compiled whole and stored there; a module can also be loaded from
/// compiled bytes (<see cref="Deserialize(Engine, ReadOnlySpan{byte})"/>).</summary>
public sealed partial class Module
{
    private readonly byte[] _wasm;

    private Module(Engine engine, string name, ModuleDefinition definition, byte[] wasm)
        : this(engine, name, new CompiledModule(definition, engine.Options), wasm)
    {
    }

    internal Module(Engine engine, string name, CompiledModule compiled, byte[] wasm)
    {
        Engine = engine;
        Name = name;
        Compiled = compiled;
        _wasm = wasm;
        var definition = compiled.Definition;
        Imports = definition.Imports.Select(i => new ImportDescriptor(i.Module, i.Name, i.Kind)
        {
            FunctionType = i.Kind == ExternalKind.Function ? definition.Types[(int)i.FunctionTypeIndex] : null,
            TableType = i.Table,
            MemoryType = i.Memory,
            GlobalType = i.Global,
        }).ToArray();
        Exports = definition.Exports.Select(e => new ExportDescriptor(e.Name, e.Kind)
        {
            FunctionType = e.Kind == ExternalKind.Function ? definition.FunctionSpace[(int)e.Index] : null,
            TableType = e.Kind == ExternalKind.Table ? definition.TableSpace[(int)e.Index] : null,
            MemoryType = e.Kind == ExternalKind.Memory ? definition.MemorySpace[(int)e.Index] : null,
            GlobalType = e.Kind == ExternalKind.Global ? definition.GlobalSpace[(int)e.Index] : null,
        }).ToArray();
    }

    public Engine Engine { get; }

    /// <summary>The name given when the module was created.</summary>
    public string Name { get; }

    public IReadOnlyList<ImportDescriptor> Imports { get; }
    public IReadOnlyList<ExportDescriptor> Exports { get; }

    internal CompiledModule Compiled { get; }

    /// <summary>Decodes and validates a binary module. Throws <see cref="WasmFormatException"/> for
    /// malformed bytes and <see cref="WasmValidationException"/> for an invalid module.</summary>
    public static Module FromBytes(Engine engine, string name, ReadOnlySpan<byte> bytes) => FromBytes(engine, name, bytes.ToArray());

    /// <summary>As <see cref="FromBytes(Engine, string, ReadOnlySpan{byte})"/>; the module keeps
    /// <paramref name="bytes"/>, so do not change the array afterwards. When the engine's
    /// <see cref="Config.WithCompilationCache"/> is on, the module's code comes from the cache (or is
    /// compiled whole and stored there; see <see cref="CacheResult"/>).</summary>
    public static Module FromBytes(Engine engine, string name, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentNullException.ThrowIfNull(bytes);
        if (engine.Cache is { } cache) return cache.GetModule(engine, name, bytes);
        return Compile(engine, name, bytes);
    }

    /// <summary>Decodes and validates; functions are compiled lazily.</summary>
    internal static Module Compile(Engine engine, string name, byte[] bytes)
    {
        var definition = ModuleDecoder.Decode(bytes);
        ModuleValidator.Validate(definition);
        return new Module(engine, name, definition, bytes);
    }

    /// <summary>Reads a module from a file: binary if it starts with the "\0asm" magic, else WAT text.</summary>
    public static Module FromFile(Engine engine, string path)
    {
        var bytes = File.ReadAllBytes(path);
        var name = Path.GetFileNameWithoutExtension(path);
        return bytes.AsSpan().StartsWith("\0asm"u8)
            ? FromBytes(engine, name, bytes)
            : FromText(engine, name, System.Text.Encoding.UTF8.GetString(bytes));
    }

    /// <summary>Parses a module in the WebAssembly text format (WAT), then decodes and validates it.</summary>
    public static Module FromText(Engine engine, string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FromBytes(engine, name, Text.WatParser.ParseModule(text));
    }

    /// <summary>Checks that <paramref name="bytes"/> are a valid module; throws the
    /// <see cref="WasmFormatException"/> or <see cref="WasmValidationException"/> that says why not.</summary>
    public static void Validate(Engine engine, ReadOnlySpan<byte> bytes)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ModuleValidator.Validate(ModuleDecoder.Decode(bytes));
    }

    /// <summary>Null if <paramref name="bytes"/> are a valid module, else the reason they are not.</summary>
    public static string? GetValidationError(Engine engine, ReadOnlySpan<byte> bytes)
    {
        try
        {
            Validate(engine, bytes);
            return null;
        }
        catch (WasmFormatException e) { return e.Message; }
        catch (WasmValidationException e) { return e.Message; }
    }

    public override string ToString() => $"module {Name}";
}
