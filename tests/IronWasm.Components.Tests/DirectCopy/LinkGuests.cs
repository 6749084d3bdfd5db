using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Components.Tests.Robustness;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.DirectCopy;

/// <summary>An app and a driver linked through interface `xfer`, whose functions take and return
/// every type of <see cref="FuzzWit"/> without handles, for comparing the direct copy with the
/// ComponentValue path. The app exports a relay per import (any core values reach the link); the
/// driver's exports store their core parameters at <see cref="Received"/> (8 bytes each), count
/// calls in `calls`, and return what the test put in the global of their core result type
/// (`g-i32` holds the pointer of results passed in memory); their post-return functions count in
/// `posts`. Both have a bump allocator (global `bump`) from <see cref="HeapStart"/>, unless the
/// test forces what it returns (global `forced-realloc`).</summary>
internal static class LinkGuests
{
    public const string Interface = "test:link/xfer@1.0.0";
    public const int HeapStart = 65536;
    public const int Received = 256;

    /// <summary>Indices into <see cref="FuzzWit.Types"/> of the types `xfer` echoes.</summary>
    public static readonly int[] Types = Enumerable.Range(0, FuzzWit.Types.Length).Where(t => !FuzzWit.HasHandle(FuzzWit.Types[t])).ToArray();

    public static readonly WitPackage Wit = WitPackageLoader.LoadText(BuildWit(), "link.wit").Package;
    public static WitInterface Xfer => Wit.FindInterface("xfer")!;

    private static string BuildWit()
    {
        var text = new StringBuilder("package test:link@1.0.0;\n");
        text.AppendLine(FuzzWit.TypesInterface);
        text.AppendLine("interface xfer {\n    use types.{point, mixed, shape, error-code, color, big-enum, perms, many, all32};");
        foreach (int t in Types) text.AppendLine($"    echo{t}: func(x: {FuzzWit.Types[t]}) -> {FuzzWit.Types[t]};");
        text.AppendLine("""
                spill: func(a: string, b: list<u8>, c: mixed, d: shape, e: option<string>, f: u64, g: char, h: f32,
                            k: list<u16, 3>, l: result<list<u8>, error-code>) -> tuple<string, list<u8>, mixed>;
                transfer: func(data: list<u8>) -> result<list<u8>, error-code>;
                split: func(a: u32, b: string) -> (x: u8, y: string);
                nothing: func();
            }
            world app { import xfer; }
            world driver { export xfer; }
            """);
        return text.ToString();
    }

    private static readonly string Runtime = $$"""
          (memory (export "memory") 2)
          (global $forced (export "forced-realloc") (mut i32) (i32.const 0))
          (global $bump (export "bump") (mut i32) (i32.const {{HeapStart}}))
          (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
            (local $p i32)
            (if (global.get $forced) (then (return (global.get $forced))))
            (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                                   (i32.sub (i32.const 0) (local.get $align))))
            (global.set $bump (i32.add (local.get $p) (local.get $size)))
            (local.get $p))
        """;

    public static string AppWat => BuildApp();
    public static string DriverWat => BuildDriver();

    private static string BuildApp()
    {
        var wat = new StringBuilder("(module\n");
        var functions = Xfer.Functions;
        for (int i = 0; i < functions.Count; i++)
            wat.AppendLine($"  (import \"{Interface}\" \"{functions[i].CanonicalName}\" (func $i{i} {FuzzGuest.Signature(FunctionLayout.Of(functions[i]).LowerType)}))");
        for (int i = 0; i < functions.Count; i++)
        {
            var type = FunctionLayout.Of(functions[i]).LowerType;
            var arguments = string.Concat(Enumerable.Range(0, type.Parameters.Count).Select(p => $" (local.get {p})"));
            wat.AppendLine($"  (func (export \"relay {functions[i].CanonicalName}\") {FuzzGuest.Signature(type)} (call $i{i}{arguments}))");
        }
        wat.AppendLine(Runtime);
        return wat.Append(')').ToString();
    }

    private static string BuildDriver()
    {
        var wat = new StringBuilder("(module\n");
        foreach (var kind in new[] { "i32", "i64", "f32", "f64" })
            wat.AppendLine($"  (global $g{kind} (export \"g-{kind}\") (mut {kind}) ({kind}.const 0))");
        wat.AppendLine("""
              (global $calls (export "calls") (mut i32) (i32.const 0))
              (global $posts (export "posts") (mut i32) (i32.const 0))
            """);
        foreach (var function in Xfer.Functions)
        {
            var type = FunctionLayout.Of(function).LiftType;
            string name = CoreNames.ExportName(Interface, function.CanonicalName);
            var body = new StringBuilder("(global.set $calls (i32.add (global.get $calls) (i32.const 1)))");
            for (int p = 0; p < type.Parameters.Count; p++)
            {
                string kind = type.Parameters[p].ToString().ToLowerInvariant();
                body.Append($" ({kind}.store (i32.const {Received + 8 * p}) (local.get {p}))");
            }
            if (type.Results.Count == 1)
            {
                string kind = type.Results[0].ToString().ToLowerInvariant();
                body.Append($" (global.get $g{kind})");
                wat.AppendLine($"  (func (export \"{CoreNames.PostReturn(name)}\") (param {kind}) (global.set $posts (i32.add (global.get $posts) (i32.const 1))))");
            }
            wat.AppendLine($"  (func (export \"{name}\") {FuzzGuest.Signature(type)} {body})");
        }
        wat.AppendLine(Runtime);
        return wat.Append(')').ToString();
    }

    private static readonly Lazy<(Engine Engine, Module App, Module Driver)> Modules = new(() =>
    {
        var engine = new Engine();
        return (engine, Module.FromText(engine, "link-app", AppWat), Module.FromText(engine, "link-driver", DriverWat));
    });

    /// <summary>The app linked to the driver, copying values directly or through ComponentValues.</summary>
    public static ComponentHost Host(bool directCopy)
    {
        var (engine, app, driver) = Modules.Value;
        var host = new ComponentHost(engine) { DirectCopy = directCopy };
        host.AddComponent("driver", driver, Wit.FindWorld("driver")!);
        host.AddComponent("app", app, Wit.FindWorld("app")!);
        host.Link("app", Interface, "driver");
        host.Instantiate();
        return host;
    }

    public static Memory AppMemory(this ComponentHost host) => host["app"].Instance!.GetMemory("memory")!;

    public static Memory DriverMemory(this ComponentHost host) => host["driver"].Instance!.GetMemory("memory")!;

    public static int DriverGlobal(this ComponentHost host, string name) => host["driver"].Instance!.GetGlobal(name)!.GetValue().AsInt32();

    /// <summary>Empties both heaps, sets what the driver's exports return and what the app's and
    /// the driver's cabi_realloc return (0: they allocate).</summary>
    public static void Prepare(this ComponentHost host, WasmValue? result, uint appRealloc = 0, uint driverRealloc = 0)
    {
        host["app"].Instance!.GetGlobal("forced-realloc")!.SetValue(WasmValue.FromInt32((int)appRealloc));
        host["driver"].Instance!.GetGlobal("forced-realloc")!.SetValue(WasmValue.FromInt32((int)driverRealloc));
        host["app"].Instance!.GetGlobal("bump")!.SetValue(WasmValue.FromInt32(HeapStart));
        host["driver"].Instance!.GetGlobal("bump")!.SetValue(WasmValue.FromInt32(HeapStart));
        if (result is { } value) host["driver"].Instance!.GetGlobal("g-" + value.Kind.ToString().ToLowerInvariant())!.SetValue(value);
    }

    /// <summary>Calls the app's import of <paramref name="function"/> with core values.</summary>
    public static void Call(this ComponentHost host, string function, WasmValue[] arguments, WasmValue[] results) =>
        host["app"].Instance!.GetFunction("relay " + function)!.Invoke(arguments, results);
}
