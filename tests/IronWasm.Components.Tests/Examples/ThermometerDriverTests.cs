using IronWasm.Components.CanonicalAbi;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Examples;

/// <summary>guests/examples/driver_sim_v1.wasm and driver_sim_v2.wasm called through their
/// canonical-ABI exports: the C bindings' layouts (string return area, result&lt;reading, string&gt;,
/// the record and enum inside) must read back as the values the drivers wrote.</summary>
public class ThermometerDriverTests
{
    private static DriverGuest Driver(string name)
    {
        var engine = new Engine();
        return new DriverGuest(engine, new Store(engine), name);
    }

    private static V Reading(float value, uint unit, string probe) => V.Ok(V.Record(V.F32(value), V.Enum(unit), V.String(probe)));

    [Theory]
    [InlineData("driver_sim_v1", "sim-thermometer v1")]
    [InlineData("driver_sim_v2", "sim-thermometer v2")]
    public void DriverNameIsReturnedThroughTheReturnArea(string driver, string name)
    {
        Assert.Equal(V.String(name), Driver(driver).DriverName.Invoke());
    }

    [Fact]
    public void TheConstructorReturnsAnOwnedHandleToANewProbe()
    {
        var driver = Driver("driver_sim_v1");
        var probe = driver.Constructor.Invoke(V.U8(3))!.Value;
        Assert.Equal(ComponentValueKind.Own, probe.Kind);
        Assert.Same(driver.Probe, probe.Resource);
        Assert.NotEqual(0, probe.Representation);
        Assert.Equal(0, driver.Canonical.Handles.Count);
    }

    [Fact]
    public void V1ReadsCelsiusInAFixedPatternOffsetByTheChannel()
    {
        var driver = Driver("driver_sim_v1");
        var probe = driver.Constructor.Invoke(V.U8(3))!.Value;
        var self = V.Borrow(driver.Probe, probe.Representation);
        Assert.Equal(
            [Reading(24.5f, 0, "ch3"), Reading(25.0f, 0, "ch3"), Reading(25.5f, 0, "ch3"), Reading(25.0f, 0, "ch3"), Reading(24.5f, 0, "ch3")],
            Enumerable.Range(0, 5).Select(_ => driver.Read.Invoke(self)!.Value));
    }

    [Fact]
    public void ProbesKeepTheirOwnState()
    {
        var driver = Driver("driver_sim_v1");
        var first = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(0))!.Value.Representation);
        var second = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(1))!.Value.Representation);
        driver.Read.Invoke(first);
        Assert.Equal(Reading(22.0f, 0, "ch0"), driver.Read.Invoke(first));
        Assert.Equal(Reading(22.5f, 0, "ch1"), driver.Read.Invoke(second));
    }

    [Fact]
    public void V2ReadsFahrenheit()
    {
        var driver = Driver("driver_sim_v2");
        var self = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(1))!.Value.Representation);
        Assert.Equal(Reading(72.25f, 1, "v2/probe-1"), driver.Read.Invoke(self));
        Assert.Equal(Reading(72.5f, 1, "v2/probe-1"), driver.Read.Invoke(self));
    }

    [Fact]
    public void V2ReportsAnErrorForAnUnconnectedChannel()
    {
        var driver = Driver("driver_sim_v2");
        var self = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(2))!.Value.Representation);
        Assert.Equal(V.Error(V.String("channel 2 is not connected")), driver.Read.Invoke(self));
    }

    [Fact]
    public void DroppingTheLastHandleRunsTheDriversDestructor()
    {
        var driver = Driver("driver_sim_v1");
        int rep = driver.Constructor.Invoke(V.U8(0))!.Value.Representation;
        // A handle table holding the probe, as an app's would; dropping it calls [dtor]probe.
        int handle = driver.Canonical.Handles.New(driver.Probe, rep);
        driver.Canonical.Handles.Drop(driver.Probe, handle);
        Assert.Equal([rep], driver.Destroyed);
    }

    [Fact]
    public void PostReturnFunctionsFreeTheResultsMemory()
    {
        // Without cabi_post_* freeing the strings, 20000 calls leak about 1 MiB and grow the memory.
        var driver = Driver("driver_sim_v2");
        var connected = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(0))!.Value.Representation);
        var unconnected = V.Borrow(driver.Probe, driver.Constructor.Invoke(V.U8(7))!.Value.Representation);
        driver.DriverName.Invoke();
        driver.Read.Invoke(connected);
        driver.Read.Invoke(unconnected);
        long before = driver.MemoryBytes;
        for (int i = 0; i < 20000; i++)
        {
            driver.DriverName.Invoke();
            driver.Read.Invoke(connected);
            driver.Read.Invoke(unconnected);
        }
        Assert.Equal(before, driver.MemoryBytes);
    }
}
