using IronWasm.Components.Linking;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Linking;

/// <summary>The C example guests (guests/examples: an app and two drivers, built by the C SDK)
/// linked by the plan thermometer.link.json beside this file.</summary>
public class ExampleGuestLinkingTests
{
    internal static string Examples => Path.Combine(ThermometerGuests.RepositoryRoot, "guests", "examples");

    private static string PlanPath => Path.Combine(ThermometerGuests.RepositoryRoot, "tests", "IronWasm.Components.Tests", "Linking", "thermometer.link.json");

    private readonly Engine _engine = new();

    [ExampleGuestsFact]
    public void TheCAppRunsAgainstTheFirstDriverAndThenTheSecondAfterASwap()
    {
        var host = LinkPlan.Load(PlanPath).CreateHost(_engine);
        host.Instantiate();
        var first = host.GetFunction("app", "run").Invoke(V.U32(2))!.Value.AsString();
        Assert.StartsWith("sim-thermometer v1, probe 0\n1: 21.50 C (ch0)\n2: 22.00 C (ch0)\n", first);

        host.Swap("sensor", Module.FromFile(_engine, Path.Combine(Examples, "driver_sim_v2.wasm")));
        var second = host.GetFunction("app", "run").Invoke(V.U32(2))!.Value.AsString();
        Assert.StartsWith("sim-thermometer v2, probe 0\n1: 70.25 F (v2/probe-0)\n", second);
        Assert.Equal(3, second.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        // Each run drops its probe, so the app holds no handles across the swap.
        Assert.Equal(0, host["app"].Canonical!.Handles.Count);
    }

    [ExampleGuestsFact]
    public void RepeatedRunsOfTheCAppLeaveNoHandlesInEitherTable()
    {
        var host = LinkPlan.Load(PlanPath).CreateHost(_engine);
        host.Instantiate();
        for (int i = 0; i < 3; i++) host.GetFunction("app", "run").Invoke(V.U32(1));
        // Each run makes a probe in the driver, moves it to the app, and drops it there.
        Assert.Equal(0, host["sensor"].Canonical!.Handles.Count);
        Assert.Equal(0, host["app"].Canonical!.Handles.Count);
    }
}

/// <summary>A fact about the C example guests, skipped (not passed) when they have not been built.</summary>
public sealed class ExampleGuestsFactAttribute : FactAttribute
{
    public ExampleGuestsFactAttribute()
    {
        if (!new[] { "app.wasm", "driver_sim_v1.wasm", "driver_sim_v2.wasm" }.All(f => File.Exists(Path.Combine(ExampleGuestLinkingTests.Examples, f))))
            Skip = "guests/examples/*.wasm are not built (guests/build.sh)";
    }
}
