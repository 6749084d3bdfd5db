using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Wit;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>A WAT guest of <see cref="FuzzWit"/>'s world, for the dynamic canonical ABI. Its
/// imports of `fuzz` are host functions defined with <see cref="ComponentLinkerExtensions.DefineInterface"/>
/// that echo what they get; for each it exports a relay of the same core type that only calls the
/// import, so a test hands the import any core values. Its exports of `results` return whatever
/// the test put in its globals (`g-i32` holds the pointer of results passed in memory), and their
/// post-return functions count calls in `posts`. A bump allocator from 64 KiB (global `bump`)
/// serves cabi_realloc, unless the test forces what it returns (global `forced-realloc`).</summary>
internal sealed class FuzzGuest
{
    public const int HeapStart = 65536;

    public FuzzGuest(Module module, StringEncoding encoding)
    {
        Store = new Store(module.Engine);
        var linker = new Linker(module.Engine);
        Canonical = new CanonicalInstance(encoding);
        Canonical.UseResource(FuzzWit.Thing, Thing);
        linker.DefineInterface(Canonical, FuzzWit.Fuzz, Echo);
        Instance = linker.Instantiate(Store, module);
        Canonical.Bind(Instance);
    }

    public Store Store { get; }
    public Instance Instance { get; }
    public CanonicalInstance Canonical { get; }
    public ResourceType Thing { get; } = new("thing");
    public Memory Memory => Instance.GetMemory("memory")!;
    public HandleTable Handles => Canonical.Handles;

    /// <summary>Post-return calls so far.</summary>
    public int PostReturns => Instance.GetGlobal("posts")!.GetValue().AsInt32();

    /// <summary>Frees everything cabi_realloc handed out.</summary>
    public void ResetHeap() => Instance.GetGlobal("bump")!.SetValue(WasmValue.FromInt32(HeapStart));

    /// <summary>Makes cabi_realloc return <paramref name="ptr"/>, whatever is asked (0: allocate again).</summary>
    public void ForceRealloc(uint ptr) => Instance.GetGlobal("forced-realloc")!.SetValue(WasmValue.FromInt32((int)ptr));

    /// <summary>Calls the import <paramref name="function"/> of `fuzz` through its relay.</summary>
    public void CallImport(WitFunction function, WasmValue[] arguments, WasmValue[] results) =>
        Instance.GetFunction("relay " + function.CanonicalName)!.Invoke(arguments, results);

    /// <summary>An export of `results`, as the host calls it.</summary>
    public GuestFunction Export(WitFunction function) => GuestFunction.FromExport(Canonical, Instance, FuzzWit.Results, function);

    /// <summary>Sets what the exports whose core result is of <paramref name="value"/>'s type return.</summary>
    public void SetResult(WasmValue value) => Instance.GetGlobal("g-" + value.Kind.ToString().ToLowerInvariant())!.SetValue(value);

    /// <summary>Keeps at least <paramref name="count"/> live own handles in the table, so that small
    /// handle numbers in arbitrary data often name real handles.</summary>
    public void AddHandles(int count)
    {
        while (Handles.Count < count) Handles.New(Thing, Handles.Count + 100);
    }

    /// <summary>The echo: each `echo` returns its argument (or 0 for borrows, which cannot be returned);
    /// `spill` returns its first three arguments.</summary>
    private static ComponentCallback Echo(WitFunction function) =>
        function.Name == "spill" ? (arguments, results) => results[0] = V.Tuple(arguments[0], arguments[1], arguments[2])
        : FuzzWit.HasBorrow(FuzzWit.Types[int.Parse(function.Name["echo".Length..])]) ? (arguments, results) => results[0] = V.U32(0)
        : (arguments, results) => results[0] = arguments[0];

    public static string Wat { get; } = BuildWat();

    private static string BuildWat()
    {
        var wat = new StringBuilder("(module\n");
        string module = FuzzWit.Fuzz.QualifiedName!;
        var imports = FuzzWit.Fuzz.Functions.ToList();
        for (int i = 0; i < imports.Count; i++)
            wat.AppendLine($"  (import \"{module}\" \"{imports[i].CanonicalName}\" (func $i{i} {Signature(FunctionLayout.Of(imports[i]).LowerType)}))");
        for (int i = 0; i < imports.Count; i++)
        {
            var type = FunctionLayout.Of(imports[i]).LowerType;
            var arguments = string.Concat(Enumerable.Range(0, type.Parameters.Count).Select(p => $" (local.get {p})"));
            wat.AppendLine($"  (func (export \"relay {imports[i].CanonicalName}\") {Signature(type)} (call $i{i}{arguments}))");
        }
        foreach (var kind in new[] { "i32", "i64", "f32", "f64" })
            wat.AppendLine($"  (global $g{kind} (export \"g-{kind}\") (mut {kind}) ({kind}.const 0))");
        foreach (var function in FuzzWit.Results.Functions)
        {
            string name = CoreNames.ExportName(FuzzWit.Results.QualifiedName, function.CanonicalName);
            var kind = FunctionLayout.Of(function).LiftType.Results.Single().ToString().ToLowerInvariant();
            wat.AppendLine($"  (func (export \"{name}\") (result {kind}) (global.get $g{kind}))");
            wat.AppendLine($"  (func (export \"{CoreNames.PostReturn(name)}\") (param {kind}) (global.set $posts (i32.add (global.get $posts) (i32.const 1))))");
        }
        wat.AppendLine($$"""
              (global $posts (export "posts") (mut i32) (i32.const 0))
              (memory (export "memory") 2)
              (global $forced (export "forced-realloc") (mut i32) (i32.const 0))
              (global $bump (export "bump") (mut i32) (i32.const {{HeapStart}}))
              (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
                (local $p i32)
                (if (global.get $forced) (then (return (global.get $forced))))
                (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                                       (i32.sub (i32.const 0) (local.get $align))))
                (global.set $bump (i32.add (local.get $p) (local.get $size)))
                (local.get $p)))
            """);
        return wat.ToString();
    }

    public static string Signature(FunctionType type)
    {
        static string Kinds(IEnumerable<ValueKind> kinds) => string.Join(" ", kinds.Select(k => k.ToString().ToLowerInvariant()));
        var text = type.Parameters.Count == 0 ? "" : $"(param {Kinds(type.Parameters)})";
        return type.Results.Count == 0 ? text : $"{text} (result {Kinds(type.Results)})";
    }
}
