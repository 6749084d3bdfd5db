using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using static IronWasm.Components.Tests.Linking.ThermometerGuests;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Linking;

/// <summary>An app and a driver in separate instances, linked through the thermometer interface.</summary>
public class RuntimeLinkingTests
{
    private readonly Engine _engine = new();

    private ComponentHost Started(string? driver = null)
    {
        var host = Host(_engine, driver);
        host.Instantiate();
        return host;
    }

    private static V Call(ComponentHost host, string name, params V[] arguments) => host.GetFunction("app", name).Invoke(arguments)!.Value;

    private static int Global(ComponentHost host, string component, string name) => host[component].Instance!.GetGlobal(name)!.GetValue().AsInt32();

    private static V Reading(float value, uint unit, string probe) => V.Ok(V.Record(V.F32(value), V.Enum(unit), V.String(probe)));

    [Fact]
    public void AStringResultIsCopiedFromTheDriversMemoryIntoTheApps()
    {
        var host = Started();
        Assert.Equal(V.String("sim-v1"), Call(host, "name"));
        Assert.Equal(1, Global(host, "sensor", "posts"));
    }

    [Fact]
    public void TheAppAndTheDriverHaveSeparateMemories()
    {
        var host = Started();
        Assert.NotSame(host["app"].Instance!.GetMemory("memory"), host["sensor"].Instance!.GetMemory("memory"));
        Assert.Same(host["app"].Instance!.GetMemory("memory"), host["app"].Canonical!.Memory);
    }

    [Fact]
    public void ARecordWithAnEnumAndAStringCrossesInAnOkResult()
    {
        var host = Started(Driver(unit: 1, baseValue: 60, probe: "porch"));
        var probe = Call(host, "open", V.U8(0));
        Assert.Equal(Reading(61, 1, "porch"), Call(host, "sample", probe));
        Assert.Equal(Reading(62, 1, "porch"), Call(host, "sample", probe));
    }

    [Fact]
    public void AnErrorResultCarriesTheDriversMessage()
    {
        var host = Started();
        var probe = Call(host, "open", V.U8(7));
        Assert.Equal(V.Error(V.String("no probe on channel 7")), Call(host, "sample", probe));
    }

    [Fact]
    public void TheAppsHandleStandsForTheDriversResourceAcrossCalls()
    {
        var host = Started();
        var first = Call(host, "open", V.U8(0));
        var second = Call(host, "open", V.U8(3));
        Assert.NotEqual(first, second);
        Call(host, "sample", first);
        Call(host, "sample", first);
        // Each handle reaches its own probe: the second's read count starts again.
        Assert.Equal(Reading(21, 0, "v1-probe"), Call(host, "sample", second));
        Assert.Equal(Reading(23, 0, "v1-probe"), Call(host, "sample", first));
        Assert.Equal(2, host["app"].Canonical!.Handles.Count);
        // The driver implements the resource, but ownership moved to the app: its own table is empty.
        Assert.Equal(0, host["sensor"].Canonical!.Handles.Count);
    }

    [Fact]
    public void DroppingTheAppsHandleRunsTheDriversDestructor()
    {
        var host = Started();
        var probe = Call(host, "open", V.U8(5));
        Assert.Equal(0, Global(host, "sensor", "dtors"));
        host.GetFunction("app", "close").Invoke(probe);
        Assert.Equal(1, Global(host, "sensor", "dtors"));
        Assert.Equal(5, Global(host, "sensor", "last-dtor"));
        Assert.Equal(0, host["app"].Canonical!.Handles.Count);
    }

    [Fact]
    public void AMethodCallThroughADroppedHandleTraps()
    {
        var host = Started();
        var probe = Call(host, "open", V.U8(0));
        host.GetFunction("app", "close").Invoke(probe);
        var trap = Assert.Throws<CanonicalAbiTrapException>(() => Call(host, "sample", probe));
        Assert.Equal(CanonicalAbiError.UseAfterDrop, trap.Error);
    }

    [Fact]
    public void TheAppsRunFormatsReadingsFromTheDriver()
    {
        var host = Started();
        Assert.Equal(V.String("sim-v1\nv1-probe 21 C\nv1-probe 22 C\nv1-probe 23 C\n"), Call(host, "run", V.U32(3)));
        Assert.Equal(1, Global(host, "sensor", "dtors"));
    }

    [Fact]
    public void AfterASwapTheNextCallReachesTheNewDriver()
    {
        var host = Started();
        Assert.Equal(V.String("sim-v1"), Call(host, "name"));
        host.Swap("sensor", Module.FromText(_engine, "sim-v2", Driver("sim-v2", unit: 1, baseValue: 70, probe: "v2-probe")));
        Assert.Equal(V.String("sim-v2"), Call(host, "name"));
        Assert.Equal(V.String("sim-v2\nv2-probe 71 F\nv2-probe 72 F\n"), Call(host, "run", V.U32(2)));
        Assert.Equal(2, host["sensor"].Generation);
    }

    [Fact]
    public void AHandleFromASwappedOutDriverTrapsOnUseWithBothDriversNamed()
    {
        var host = Started();
        var old = Call(host, "open", V.U8(0));
        host.Swap("sensor", Module.FromText(_engine, "sim-v2", Driver("sim-v2")));
        var trap = Assert.Throws<CanonicalAbiTrapException>(() => Call(host, "sample", old));
        Assert.Equal(CanonicalAbiError.StaleHandle, trap.Error);
        Assert.Contains("sensor #1 (module `sim-v1`)", trap.Message);
        Assert.Contains("sensor #2 (module `sim-v2`)", trap.Message);
    }

    [Fact]
    public void DroppingAHandleFromASwappedOutDriverRunsThatDriversDestructor()
    {
        var host = Started();
        var oldInstance = host["sensor"].Instance!;
        var old = Call(host, "open", V.U8(4));
        host.Swap("sensor", Module.FromText(_engine, "sim-v2", Driver("sim-v2")));
        host.GetFunction("app", "close").Invoke(old);
        Assert.Equal(1, oldInstance.GetGlobal("dtors")!.GetValue().AsInt32());
        Assert.Equal(4, oldInstance.GetGlobal("last-dtor")!.GetValue().AsInt32());
        Assert.Equal(0, Global(host, "sensor", "dtors"));
    }

    [Fact]
    public void HandlesMadeAfterASwapReachTheNewDriver()
    {
        var host = Started();
        Call(host, "sample", Call(host, "open", V.U8(0)));
        host.Swap("sensor", Module.FromText(_engine, "sim-v2", Driver("sim-v2", baseValue: 40, probe: "v2-probe")));
        var probe = Call(host, "open", V.U8(0));
        Assert.Equal(Reading(41, 0, "v2-probe"), Call(host, "sample", probe));
    }

    [Fact]
    public void ASwapToAModuleThatDoesNotMatchFailsAndKeepsTheOldDriver()
    {
        var host = Started();
        var error = Assert.Throws<ComponentLinkException>(() =>
            host.Swap("sensor", Module.FromText(_engine, "broken", Driver("broken", withDriverName: false))));
        Assert.Contains($"`{Interface}#driver-name`", error.Message);
        Assert.Equal(V.String("sim-v1"), Call(host, "name"));
        Assert.Equal(1, host["sensor"].Generation);
    }

    [Fact]
    public void AForgedHandleFromTheAppTrapsBeforeReachingTheDriver()
    {
        var host = Started();
        var probe = Call(host, "open", V.U8(0));
        var trap = Assert.Throws<CanonicalAbiTrapException>(() => Call(host, "sample", V.U32(probe.AsU32() + 5)));
        Assert.Equal(CanonicalAbiError.InvalidHandle, trap.Error);
        Assert.Equal(Reading(21, 0, "v1-probe"), Call(host, "sample", probe));
    }

    [Fact]
    public void ADriverTrapReachesTheHostThroughTheAppAndLeavesTheHandleUsable()
    {
        var host = Started();
        var probe = Call(host, "open", V.U8(9));
        var trap = Assert.Throws<TrapException>(() => Call(host, "sample", probe));
        Assert.Equal(TrapCode.Unreachable, trap.Code);
        // The borrow lent for the failed call was given back, so the handle can still be dropped.
        host.GetFunction("app", "close").Invoke(probe);
        Assert.Equal(9, Global(host, "sensor", "last-dtor"));
    }

    [Fact]
    public void DescribeListsTheLinkAndItsCoreNames()
    {
        var host = Started();
        var text = host.Describe();
        Assert.Contains($"app.import {Interface} <- sensor.export {Interface}", text);
        Assert.Contains($"app imports `{Interface}::[method]probe.read` -> sensor exports `{Interface}#[method]probe.read`", text);
    }
}
