using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Examples;

/// <summary>guests/examples/app.wasm: its imports implemented by the host, then by the two driver
/// guests (forwarded by hand here; the run-time linker does this for real), swapped between runs.</summary>
public class ThermometerAppTests
{
    private sealed class App
    {
        public App(Engine engine, Store store, Func<string, ComponentCallback?> implementation, Action<CanonicalInstance> resources)
        {
            (Instance, Canonical) = ExampleGuests.Instantiate(engine, store, "app", (linker, canonical) =>
            {
                resources(canonical);
                linker.DefineInterface(canonical, ExampleGuests.Thermometer, function => implementation(function.CanonicalName));
            });
            RunFunction = GuestFunction.FromExport(Canonical, Instance, null, ExampleGuests.Run);
        }

        public Instance Instance { get; }
        public CanonicalInstance Canonical { get; }
        public GuestFunction RunFunction { get; }

        public string Run(uint samples) => RunFunction.Invoke(V.U32(samples))!.Value.AsString();
    }

    [Fact]
    public void RunReportsEveryReadingOfAHostImplementedThermometer()
    {
        var engine = new Engine();
        var destroyed = new List<int>();
        var probe = new ResourceType("probe", destroyed.Add);
        var channels = new List<byte>();
        int reads = 0;
        var app = new App(engine, new Store(engine), name => name switch
        {
            "driver-name" => (arguments, results) => results[0] = V.String("host thermometer"),
            "[constructor]probe" => (arguments, results) =>
            {
                channels.Add(arguments[0].AsU8());
                results[0] = V.Own(probe, 41);
            },
            "[method]probe.read" => (arguments, results) =>
            {
                Assert.Equal(V.Borrow(probe, 41), arguments[0]);
                results[0] = ++reads == 2
                    ? V.Error(V.String("sensor busy"))
                    : V.Ok(V.Record(V.F32(-3.125f * reads), V.Enum((uint)(reads % 2)), V.String("π-probe")));
            },
            _ => null,
        }, canonical => canonical.UseResource(ExampleGuests.Probe, probe));

        Assert.Equal("host thermometer, probe 0\n1: -3.13 F (π-probe)\n2: error: sensor busy\n3: -9.38 F (π-probe)\n4: -12.50 C (π-probe)\n", app.Run(4));
        Assert.Equal([(byte)0], channels);
        Assert.Equal([41], destroyed);
        Assert.Equal(0, app.Canonical.Handles.Count);
    }

    [Fact]
    public void RunWithNoSamplesStillNamesTheDriver()
    {
        var engine = new Engine();
        var destroyed = new List<int>();
        var probe = new ResourceType("probe", destroyed.Add);
        int reads = 0;
        var app = new App(engine, new Store(engine), name => name switch
        {
            "driver-name" => (arguments, results) => results[0] = V.String(""),
            "[constructor]probe" => (arguments, results) => results[0] = V.Own(probe, 1),
            "[method]probe.read" => (arguments, results) => results[0] = V.Error(V.String($"read {++reads}")),
            _ => null,
        }, canonical => canonical.UseResource(ExampleGuests.Probe, probe));
        Assert.Equal(", probe 0\n", app.Run(0));
        Assert.Equal(0, reads);
        Assert.Equal([1], destroyed);
    }

    [Fact]
    public void TheAppRunsAgainstEitherDriverSwappedBetweenRuns()
    {
        var engine = new Engine();
        var store = new Store(engine);
        var driver = new DriverGuest(engine, store, "driver_sim_v1");
        CanonicalInstance? appCanonical = null;
        // Each import forwards to the current driver: values lifted from one guest are lowered into
        // the other, so the app holds handles of the driver's own resource type.
        var app = new App(engine, store, name => name switch
        {
            "driver-name" => (arguments, results) => results[0] = driver.DriverName.Invoke()!.Value,
            "[constructor]probe" => (arguments, results) => results[0] = driver.Constructor.Invoke(arguments[0])!.Value,
            "[method]probe.read" => (arguments, results) => results[0] = driver.Read.Invoke(arguments[0])!.Value,
            _ => null,
        }, canonical => { appCanonical = canonical; canonical.UseResource(ExampleGuests.Probe, driver.Probe); });

        Assert.Equal("sim-thermometer v1, probe 0\n1: 21.50 C (ch0)\n2: 22.00 C (ch0)\n3: 22.50 C (ch0)\n", app.Run(3));
        var first = driver;
        Assert.Single(first.Destroyed);

        driver = new DriverGuest(engine, store, "driver_sim_v2");
        appCanonical!.UseResource(ExampleGuests.Probe, driver.Probe);
        Assert.Equal("sim-thermometer v2, probe 0\n1: 70.25 F (v2/probe-0)\n2: 70.50 F (v2/probe-0)\n", app.Run(2));
        Assert.Single(driver.Destroyed);
        Assert.Single(first.Destroyed);
        Assert.Equal(0, app.Canonical.Handles.Count);
    }
}
