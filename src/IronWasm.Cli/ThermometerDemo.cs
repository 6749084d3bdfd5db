using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Components.Wit;

namespace IronWasm.Cli;

/// <summary>The pluggable-driver part of <c>ironwasm demo</c>: the example app (guests/examples/app.c)
/// imports wit/example/thermometer.wit from a driver module; the demo runs it with the first
/// simulated driver, swaps in the second while the app instance lives on, and runs it again.</summary>
internal static class ThermometerDemo
{
    private const string Interface = "ironwasm:example/thermometer@0.1.0";

    public static void Run(TextWriter output)
    {
        var engine = new Engine();
        var wit = WitPackageLoader.LoadText(BuiltInGuests.ReadText("thermometer.wit"), "thermometer.wit");
        var host = new ComponentHost(engine);
        host.AddComponent("driver", Module.FromBytes(engine, "driver_sim_v1", BuiltInGuests.Read("driver_sim_v1.wasm")), wit.SelectWorld("driver"));
        host.AddComponent("app", Module.FromBytes(engine, "app", BuiltInGuests.Read("app.wasm")), wit.SelectWorld("app"));
        host.Link("app", Interface, "driver");
        host.Instantiate();

        var run = host.GetFunction("app", "run");
        Report(output, "app with driver_sim_v1.wasm", run.Invoke(ComponentValue.U32(3))!.Value);

        host.Swap("driver", Module.FromBytes(engine, "driver_sim_v2", BuiltInGuests.Read("driver_sim_v2.wasm")));
        Report(output, "same app instance, driver swapped for driver_sim_v2.wasm", run.Invoke(ComponentValue.U32(3))!.Value);
    }

    private static void Report(TextWriter output, string title, ComponentValue result)
    {
        output.WriteLine($"   {title}:");
        foreach (var line in result.AsString().Split('\n', StringSplitOptions.RemoveEmptyEntries))
            output.WriteLine($"     {line}");
    }
}
