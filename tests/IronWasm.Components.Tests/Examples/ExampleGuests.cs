using System.Runtime.CompilerServices;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Examples;

/// <summary>The committed example guests of guests/examples (built by guests/build.sh, so the tests
/// need no C toolchain) and wit/example/thermometer.wit, which they implement.</summary>
internal static class ExampleGuests
{
    public const string Interface = "ironwasm:example/thermometer@0.1.0";

    private static readonly Lazy<string> Root = new(() =>
    {
        // The source file's own path finds the checkout even when the build output lives elsewhere
        // (--artifacts-path); walking up from the output directory is the fallback.
        foreach (var start in new[] { Path.GetDirectoryName(SourcePath()), AppContext.BaseDirectory })
        {
            for (var directory = start is null ? null : new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "IronWasm.slnx"))) return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no IronWasm.slnx above {SourcePath()} or {AppContext.BaseDirectory}");
    });

    private static string SourcePath([CallerFilePath] string path = "") => path;

    public static string Wasm(string name) => Path.Combine(Root.Value, "guests", "examples", name + ".wasm");

    private static readonly Lazy<WitPackage> Package = new(() =>
        WitPackageLoader.LoadFile(Path.Combine(Root.Value, "wit", "example", "thermometer.wit")).Package);

    public static WitInterface Thermometer => Package.Value.FindInterface("thermometer")!;
    public static WitNamedType Probe => Thermometer.FindType("probe")!;
    public static WitFunction Function(string canonicalName) => Thermometer.FindFunction(canonicalName)!;
    public static WitFunction Run => Package.Value.FindWorld("app")!.FindExport("run")!.Function!;

    /// <summary>Instantiates a reactor: defines its imports, runs `_initialize`, binds its memory
    /// and allocator.</summary>
    public static (Instance Instance, CanonicalInstance Canonical) Instantiate(Engine engine, Store store, string name,
        Action<Linker, CanonicalInstance> imports)
    {
        var linker = new Linker(engine);
        var canonical = new CanonicalInstance();
        imports(linker, canonical);
        var instance = linker.Instantiate(store, Module.FromFile(engine, Wasm(name)));
        instance.GetFunction("_initialize")?.Invoke([], []);
        canonical.Bind(instance);
        return (instance, canonical);
    }
}

/// <summary>A driver instance (driver_sim_v1 or _v2) called from the host through its canonical-ABI
/// exports, as the run-time linker does.</summary>
internal sealed class DriverGuest
{
    public DriverGuest(Engine engine, Store store, string name)
    {
        Instance? instance = null;
        (Instance, Canonical) = ExampleGuests.Instantiate(engine, store, name, (linker, canonical) =>
        {
            Probe = canonical.DefineResource(ExampleGuests.Probe, rep =>
            {
                Destroyed.Add(rep);
                instance!.GetFunction($"{ExampleGuests.Interface}#[dtor]probe")!.Invoke([WasmValue.FromInt32(rep)], []);
            });
            linker.DefineResourceIntrinsics(canonical, ExampleGuests.Interface, ExampleGuests.Probe);
        });
        instance = Instance;
        DriverName = Export("driver-name");
        Constructor = Export("[constructor]probe");
        Read = Export("[method]probe.read");
    }

    public Instance Instance { get; }
    public CanonicalInstance Canonical { get; }
    public ResourceType Probe { get; private set; } = null!;
    public List<int> Destroyed { get; } = new();
    public GuestFunction DriverName { get; }
    public GuestFunction Constructor { get; }
    public GuestFunction Read { get; }

    public long MemoryBytes => Instance.GetMemory("memory")!.Length;

    private GuestFunction Export(string function) =>
        GuestFunction.FromExport(Canonical, Instance, ExampleGuests.Thermometer, ExampleGuests.Function(function));
}
