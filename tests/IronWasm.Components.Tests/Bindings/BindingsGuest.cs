using System.Runtime.CompilerServices;
using System.Text;
using IronWasm.Components.Bindings;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Tests.Bindings.Generated;
using IronWasm.Components.Tests.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>A WAT guest of bindings-test.wit's world `guest`, whose imports are the generated
/// host bindings of `values` and `res`. For every imported function it exports a relay with the
/// same core signature that just calls the import, so a test can hand the import any core values,
/// valid or not, exactly as a guest would. It also exports `attach`, written by hand.</summary>
internal sealed class BindingsGuest
{
    /// <summary>Where relays of functions with results in memory get their return area.</summary>
    public const int ReturnArea = 1024;

    /// <summary>Free memory below the allocator's heap (which starts at 4096) for hand-made values.</summary>
    public const int Scratch = 2048;

    public static readonly WitResolvedPackage Wit = WitPackageLoader.LoadFile(Path.Combine(SourceDirectory(), "bindings-test.wit"));
    public static WitInterface Values => Wit.Package.FindInterface("values")!;
    public static WitInterface Res => Wit.Package.FindInterface("res")!;
    public static WitInterface Attach => Wit.Package.FindInterface("attach")!;
    public static WitWorld World => Wit.Package.FindWorld("guest")!;

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    public BindingsGuest(StringEncoding encoding = StringEncoding.Utf8)
    {
        var engine = new Engine();
        Store = new Store(engine);
        var linker = new Linker(engine);
        Canonical = new CanonicalInstance(encoding);
        Generated.Values.Define(linker, Canonical, ValuesHost);
        Generated.Res.Define(linker, Canonical, ResHost);
        Instance = linker.Instantiate(Store, Module.FromText(engine, "bindings-guest", Wat));
        Canonical.Bind(Instance);
        HostBindings.UseResources(Canonical, World);
    }

    public Store Store { get; }
    public Instance Instance { get; }
    public CanonicalInstance Canonical { get; }
    public ValuesHost ValuesHost { get; } = new();
    public ResHost ResHost { get; } = new();
    public Memory Memory => Instance.GetMemory("memory")!;
    public HandleTable Handles => Canonical.Handles;

    /// <summary>Calls the import <paramref name="function"/> (a canonical name in `values` or `res`)
    /// through its relay with raw core values; returns the core results.</summary>
    public WasmValue[] Raw(string function, params WasmValue[] arguments)
    {
        var relay = Instance.GetFunction("relay " + function) ?? throw new ArgumentException($"no relay for {function}");
        var results = new WasmValue[relay.Type.Results.Count];
        relay.Invoke(arguments, results);
        return results;
    }

    /// <summary>Raw i32 arguments, i32 result (or none).</summary>
    public int RawInt(string function, params int[] arguments)
    {
        var results = Raw(function, arguments.Select(WasmValue.FromInt32).ToArray());
        return results.Length == 0 ? 0 : results[0].AsInt32();
    }

    /// <summary>Calls an import with component values, lowered into the guest by the dynamic
    /// canonical ABI (the guest's side of the call), and lifts its results from the guest the
    /// same way: what the generated code lifts and lowers is checked against the dynamic path.</summary>
    public ComponentValue[] Call(string function, params ComponentValue[] arguments)
    {
        var layout = FunctionLayout.Of(Find(function));
        var cx = new LiftLowerContext(Canonical, new BorrowScope());
        var flat = new WasmValue[layout.LowerType.Parameters.Count];
        int position = 0;
        cx.LowerFlatValues(arguments, layout.ParameterTuple, FunctionLayout.MaxFlatParams, flat, ref position);
        if (layout.ResultsInMemory) flat[position] = WasmValue.FromInt32(ReturnArea);
        var results = Raw(function, flat);
        var values = new ComponentValue[layout.ResultCount];
        position = 0;
        cx.LiftFlatValues(layout.ResultTuple, FunctionLayout.MaxFlatResults,
            layout.ResultsInMemory ? [WasmValue.FromInt32(ReturnArea)] : results, ref position, values);
        return values;
    }

    public ComponentValue Call1(string function, params ComponentValue[] arguments) => Call(function, arguments).Single();

    /// <summary>A guest export of `attach`, called through the dynamic path.</summary>
    public GuestFunction Export(string name) => GuestFunction.FromExport(Canonical, Instance, Attach, Attach.FindFunction(name)!);

    public void Write(int address, params byte[] bytes) => bytes.CopyTo(Memory.GetSpan(address, bytes.Length));

    private static WitFunction Find(string function) =>
        Values.FindFunction(function) ?? Res.FindFunction(function) ?? throw new ArgumentException($"no function {function}");

    /// <summary>The guest module's text.</summary>
    public static string Wat => LazyWat.Value;

    private static readonly Lazy<string> LazyWat = new(BuildWat);

    private static string BuildWat()
    {
        var wat = new StringBuilder();
        var imports = new Dictionary<string, string>();
        int n = 0;
        void Import(string module, string name, FunctionType type)
        {
            var id = $"$i{n++}";
            imports[name] = id;
            wat.AppendLine($"(import \"{module}\" \"{name}\" (func {id} {Signature(type)}))");
        }
        foreach (var iface in new[] { Values, Res })
        {
            foreach (var function in iface.Functions) Import(iface.QualifiedName!, function.CanonicalName, FunctionLayout.Of(function).LowerType);
            foreach (var resource in iface.Types.Where(t => t.IsResource && !t.IsAlias))
                Import(iface.QualifiedName!, CoreNames.ResourceDrop(resource.Name), new FunctionType([ValueKind.I32], []));
        }
        foreach (var iface in new[] { Values, Res })
        {
            foreach (var function in iface.Functions)
                Relay(wat, function.CanonicalName, imports[function.CanonicalName], FunctionLayout.Of(function).LowerType);
            foreach (var resource in iface.Types.Where(t => t.IsResource && !t.IsAlias))
            {
                var drop = CoreNames.ResourceDrop(resource.Name);
                Relay(wat, drop, imports[drop], new FunctionType([ValueKind.I32], []));
            }
        }
        string value = imports["[method]counter.value"], drop0 = imports["[resource-drop]counter"];
        const string attach = "test:bindings/attach@1.0.0#";
        wat.AppendLine($$"""
            (global $kept (mut i32) (i32.const 0))
            (func (export "{{attach}}attach") (param $c i32) (result i32) (local $v i32)
              (local.set $v (call {{value}} (local.get $c)))
              (call {{drop0}} (local.get $c))
              (local.get $v))
            (func (export "{{attach}}keep") (param $c i32) (result i32)
              (global.set $kept (local.get $c))
              (call {{value}} (local.get $c)))
            (func (export "{{attach}}use-kept") (result i32)
              (call {{value}} (global.get $kept)))
            """);
        wat.AppendLine(AbiGuest.Runtime);
        return $"(module\n{wat}\n)";
    }

    private static void Relay(StringBuilder wat, string name, string import, FunctionType type)
    {
        var arguments = string.Concat(Enumerable.Range(0, type.Parameters.Count).Select(i => $" (local.get {i})"));
        wat.AppendLine($"(func (export \"relay {name}\") {Signature(type)} (call {import}{arguments}))");
    }

    private static string Signature(FunctionType type)
    {
        static string Kinds(IEnumerable<ValueKind> kinds) => string.Join(" ", kinds.Select(k => k.ToString().ToLowerInvariant()));
        var text = type.Parameters.Count == 0 ? "" : $"(param {Kinds(type.Parameters)})";
        return type.Results.Count == 0 ? text : $"{text} (result {Kinds(type.Results)})";
    }
}
