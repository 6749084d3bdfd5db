using IronWasm.Components.Linking;
using static IronWasm.Components.Tests.Linking.ThermometerGuests;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Linking;

/// <summary>Link plans: a JSON file naming the components and the wiring.</summary>
public sealed class LinkPlanTests : IDisposable
{
    private readonly Engine _engine = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("ironwasm-link-").FullName;

    public LinkPlanTests()
    {
        File.WriteAllText(Path.Combine(_folder, "driver-v1.wat"), Driver());
        File.WriteAllText(Path.Combine(_folder, "driver-v2.wat"), Driver("sim-v2", unit: 1, baseValue: 70, probe: "v2-probe"));
        File.WriteAllText(Path.Combine(_folder, "app.wat"), App);
        Directory.CreateDirectory(Path.Combine(_folder, "wit"));
        File.WriteAllText(Path.Combine(_folder, "wit", "thermometer.wit"), ExampleWitText);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private const string Plan = """
        // An app and a driver.
        {
          "wit": "wit",
          "components": [
            { "name": "sensor", "module": "driver-v1.wat", "world": "driver" },
            { "name": "app", "module": "app.wat", "world": "app" },
          ],
          "links": [
            { "import": "app", "interface": "ironwasm:example/thermometer@0.1.0", "export": "sensor" },
          ],
        }
        """;

    private string Write(string text, string name = "plan.json")
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void APlanLoadsItsComponentsAndLinks()
    {
        var plan = LinkPlan.Load(Write(Plan));
        Assert.Equal(["sensor", "app"], plan.Components.Select(c => c.Name));
        Assert.Equal(new PlannedComponent("sensor", "driver-v1.wat", "driver", null), plan.Components[0]);
        Assert.Equal([new PlannedLink("app", Interface, "sensor")], plan.Links);
        Assert.Equal(Path.Combine(_folder, "app.wat"), plan.ResolvePath("app.wat"));
    }

    [Fact]
    public void DescribePrintsThePlan()
    {
        var path = Write(Plan);
        Assert.Equal($"""
            link plan {path}
            wit: wit
            components:
              sensor: module driver-v1.wat, world driver
              app: module app.wat, world app
            links:
              app.import {Interface} <- sensor.export {Interface}

            """.ReplaceLineEndings(), LinkPlan.Load(path).Describe().ReplaceLineEndings());
    }

    [Fact]
    public void APlanCreatesAHostThatRunsAndSwaps()
    {
        var host = LinkPlan.Load(Write(Plan)).CreateHost(_engine);
        host.Instantiate();
        Assert.Equal(V.String("sim-v1\nv1-probe 21 C\n"), host.GetFunction("app", "run").Invoke(V.U32(1)));
        host.Swap("sensor", Module.FromFile(_engine, Path.Combine(_folder, "driver-v2.wat")));
        Assert.Equal(V.String("sim-v2\nv2-probe 71 F\n"), host.GetFunction("app", "run").Invoke(V.U32(1)));
    }

    [Fact]
    public void AComponentMayNameItsOwnWitAndAMismatchNamesBothSidesAndTypes()
    {
        Write(ExampleWitText.Replace("probe: string", "probe: list<u8>"), "driver.wit");
        var plan = LinkPlan.Load(Write(Plan.Replace("\"world\": \"driver\"", "\"world\": \"driver\", \"wit\": \"driver.wit\"")));
        Assert.Equal("driver.wit", plan.Components[0].Wit);
        var error = Assert.Throws<ComponentLinkException>(() => plan.CreateHost(_engine));
        Assert.Equal(("app", "sensor"), (error.Importer, error.Exporter));
        Assert.Equal(("string", "list<u8>"), (error.ImportedType, error.ExportedType));
    }

    [Fact]
    public void APlanLinkToAComponentThatExportsNothingIsALinkError()
    {
        var plan = LinkPlan.Load(Write(Plan.Replace("\"world\": \"driver\"", "\"world\": \"app\"")));
        var error = Assert.Throws<ComponentLinkException>(() => plan.CreateHost(_engine));
        Assert.Contains($"app imports {Interface}, but sensor (world ironwasm:example/app@0.1.0) does not export {Interface}; it exports no interfaces", error.Message);
    }

    [Theory]
    [InlineData("\"export\": \"sensor\"", "\"export\": \"thermostat\"", "names `thermostat`, which is not a component of the plan (sensor, app)")]
    [InlineData("\"module\": \"app.wat\", ", "", "component `app` needs a string \"module\"")]
    [InlineData("{ \"name\": \"app\"", "{ \"name\": \"sensor\"", "two components are named `sensor`")]
    [InlineData("\"wit\": \"wit\",", "", "component `sensor` names no \"wit\", and the plan has none")]
    [InlineData("\"links\": [", "\"links\": [[", "not valid JSON")]
    public void AnInvalidPlanIsRejectedWithTheReason(string replace, string with, string message)
    {
        var path = Write(Plan.Replace(replace, with));
        var error = Assert.Throws<ComponentLinkException>(() => LinkPlan.Load(path));
        Assert.StartsWith(path + ": ", error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void AMissingModuleFileIsReportedWithItsComponent()
    {
        var plan = LinkPlan.Load(Write(Plan.Replace("driver-v1.wat", "nowhere.wasm")));
        var error = Assert.Throws<ComponentLinkException>(() => plan.CreateHost(_engine));
        Assert.Contains("component `sensor`: module not found:", error.Message);
    }
}
