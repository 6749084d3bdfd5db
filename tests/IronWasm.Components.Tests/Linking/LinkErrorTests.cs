using IronWasm.Components.Linking;
using static IronWasm.Components.Tests.Linking.ThermometerGuests;

namespace IronWasm.Components.Tests.Linking;

/// <summary>Links that cannot be made fail before anything runs, naming both sides.</summary>
public class LinkErrorTests
{
    private readonly Engine _engine = new();

    private const string Hygrometer = """
        package ironwasm:example@0.1.0;
        interface hygrometer { humidity: func() -> f32; }
        world driver { export hygrometer; }
        """;

    [Fact]
    public void AnExporterWithoutTheInterfaceIsALinkErrorNamingBothSides()
    {
        var error = Assert.Throws<ComponentLinkException>(() => Host(_engine, driverWit: Hygrometer));
        Assert.Equal("app", error.Importer);
        Assert.Equal("sensor", error.Exporter);
        Assert.Contains($"app imports {Interface}, but sensor (world ironwasm:example/driver@0.1.0) does not export {Interface}", error.Message);
        Assert.Contains("it exports ironwasm:example/hygrometer@0.1.0", error.Message);
    }

    [Fact]
    public void AnImporterWithoutTheInterfaceIsALinkError()
    {
        var host = new ComponentHost(_engine);
        host.AddComponent("sensor", Module.FromText(_engine, "sim-v1", Driver()), Example.SelectWorld("driver"));
        host.AddComponent("other", Module.FromText(_engine, "sim-v2", Driver()), Example.SelectWorld("driver"));
        var error = Assert.Throws<ComponentLinkException>(() => host.Link("other", Interface, "sensor"));
        Assert.Contains($"other (world ironwasm:example/driver@0.1.0) does not import {Interface}; it imports no interfaces", error.Message);
    }

    [Fact]
    public void AMissingFunctionIsALinkErrorNamingBothSides()
    {
        var withoutName = ExampleWitText.Replace("driver-name: func() -> string;", "");
        var error = Assert.Throws<ComponentLinkException>(() => Host(_engine, driverWit: withoutName));
        Assert.Contains($"app imports `driver-name` of {Interface} (driver-name: func() -> string), but the {Interface} that sensor exports has no such function", error.Message);
    }

    [Fact]
    public void AMismatchedFieldTypeIsALinkErrorGivingBothTypes()
    {
        var f64 = ExampleWitText.Replace("value: f32", "value: f64");
        var error = Assert.Throws<ComponentLinkException>(() => Host(_engine, driverWit: f64));
        Assert.Equal("f32", error.ImportedType);
        Assert.Equal("f64", error.ExportedType);
        Assert.Contains("`[method]probe.read` has different types", error.Message);
        Assert.Contains("field `value` of record `reading` is `f32` in app but `f64` in sensor", error.Message);
    }

    [Fact]
    public void AMismatchedResultTypeIsALinkErrorGivingBothTypes()
    {
        var error = Assert.Throws<ComponentLinkException>(() =>
            Host(_engine, driverWit: ExampleWitText.Replace("result<reading, string>", "result<reading, u32>")));
        Assert.Equal("string", error.ImportedType);
        Assert.Equal("u32", error.ExportedType);
        Assert.Contains("the error type of result<reading, string> in the result is `string` in app but `u32` in sensor", error.Message);
    }

    [Fact]
    public void DifferentEnumCasesAreALinkError()
    {
        var error = Assert.Throws<ComponentLinkException>(() =>
            Host(_engine, driverWit: ExampleWitText.Replace("enum unit { celsius, fahrenheit }", "enum unit { celsius, kelvin }")));
        Assert.Equal("celsius, fahrenheit", error.ImportedType);
        Assert.Equal("celsius, kelvin", error.ExportedType);
    }

    [Fact]
    public void ADriverModuleMissingAnExportFailsValidationNamingBothSides()
    {
        var host = Host(_engine, driver: Driver(withDriverName: false));
        var error = Assert.Throws<ComponentLinkException>(host.Instantiate);
        Assert.Contains($"module `sim-v1` of sensor does not export the function `{Interface}#driver-name` (driver-name: func() -> string), which app imports", error.Message);
        Assert.Null(host["app"].Instance);
    }

    [Fact]
    public void ADriverExportOfTheWrongCoreTypeFailsValidation()
    {
        var wrong = Driver(withDriverName: false, extra: $$"""(func (export "{{Interface}}#driver-name") (param i32) (result i32) (i32.const 0))""");
        var error = Assert.Throws<ComponentLinkException>(Host(_engine, driver: wrong).Instantiate);
        Assert.Contains($"exports `{Interface}#driver-name` with core type [i32] -> [i32]", error.Message);
        Assert.Equal("[] -> [i32]", error.ImportedType);
    }

    [Fact]
    public void AnAppImportingAFunctionTheInterfaceLacksFailsValidation()
    {
        var app = App.Replace("(import \"" + Interface + "\" \"driver-name\"",
            "(import \"" + Interface + "\" \"[method]probe.calibrate\" (func (param i32)))\n  (import \"" + Interface + "\" \"driver-name\"");
        var host = new ComponentHost(_engine);
        host.AddComponent("sensor", Module.FromText(_engine, "sim-v1", Driver()), Example.SelectWorld("driver"));
        host.AddComponent("app", Module.FromText(_engine, "probe-app", app), ProbeAppWorld(ExampleWitText));
        host.Link("app", Interface, "sensor");
        var error = Assert.Throws<ComponentLinkException>(host.Validate);
        Assert.Contains($"module `probe-app` of app imports `{Interface}::[method]probe.calibrate`, which is not a function of {Interface} (that sensor exports)", error.Message);
    }

    [Fact]
    public void LinksInACycleAreRejected()
    {
        var both = """
            package test:cycle;
            interface a { f: func(); }
            interface b { g: func(); }
            world ab { import a; export b; }
            world ba { import b; export a; }
            """;
        var wit = IronWasm.Components.Wit.WitPackageLoader.LoadText(both);
        var host = new ComponentHost(_engine);
        host.AddComponent("x", Module.FromText(_engine, "x", """(module (import "test:cycle/a" "f" (func)) (func (export "test:cycle/b#g")))"""), wit.SelectWorld("ab"));
        host.AddComponent("y", Module.FromText(_engine, "y", """(module (import "test:cycle/b" "g" (func)) (func (export "test:cycle/a#f")))"""), wit.SelectWorld("ba"));
        host.Link("x", "a", "y");
        host.Link("y", "b", "x");
        var error = Assert.Throws<ComponentLinkException>(host.Instantiate);
        Assert.Contains("the links form a cycle: x -> y -> x", error.Message);
    }
}
