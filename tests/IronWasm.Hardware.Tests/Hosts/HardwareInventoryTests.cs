using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>What a deployment can reach, by name, from a simulation and from parts added by hand.</summary>
public class HardwareInventoryTests
{
    private const string Simulation = "i2c:sim-i2c-1=hts221@0x5f,bme280@0x76;spi:flash0=w25q16;gpio:led=led,button=button,level=adc";

    [Fact]
    public void AnInventoryFromASimulationListsItsBusesDevicesAndPins()
    {
        using var inventory = HardwareInventory.FromSimulation(SimulatedHardware.FromInline(Simulation));
        var entries = inventory.Describe();
        Assert.Equal([("i2c", "sim-i2c-1"), ("spi", "flash0"), ("gpio", "led"), ("gpio", "button"), ("gpio", "level")],
            entries.Select(e => (e.Kind, e.Name)));
        Assert.Contains("hts221 'hts221' at 0x5f", entries[0].Description);
        Assert.Contains("bme280 'bme280' at 0x76", entries[0].Description);
        Assert.Equal("LED (lit when high) (sim-gpio line 0)", entries[2].Description);
        Assert.StartsWith("ADC input, 10 bits", entries[4].Description);
        Assert.NotNull(inventory.Simulation);
    }

    [Fact]
    public void PartsAreFoundByTheirNamesAndPinsByTheirLabels()
    {
        using var inventory = HardwareInventory.FromSimulation(SimulatedHardware.FromInline(Simulation));
        Assert.True(inventory.TryGetI2cBus("sim-i2c-1", out var bus));
        Assert.Equal("sim-i2c-1", bus.Name);
        Assert.True(inventory.TryGetSpiDevice("flash0", out var flash));
        Assert.Equal("flash0", flash.Name);
        Assert.True(inventory.TryGetGpioLine("level", out var controller));
        Assert.Equal("sim-gpio", controller.Name);
        Assert.False(inventory.TryGetI2cBus("i2c-1", out _));
        Assert.False(inventory.TryGetSpiDevice("adc0", out _));
        Assert.False(inventory.TryGetGpioLine("relay", out _));
    }

    [Fact]
    public void NamesAreUniqueAcrossEverySource()
    {
        using var inventory = HardwareInventory.FromSimulation(SimulatedHardware.FromInline(Simulation));
        Assert.StartsWith("another I2C bus is already named 'sim-i2c-1'", Assert.Throws<ArgumentException>(() => inventory.Add(new FakeI2cBus("sim-i2c-1"))).Message);
        Assert.Throws<ArgumentException>(() => inventory.Add(new FakeSpiDevice("flash0")));
        var clash = Assert.Throws<ArgumentException>(() => inventory.Add(new FakeAnalogController("fake-gpio", new FakeAnalogController.Line("button", 8))));
        Assert.Contains("GPIO line 'button'", clash.Message);
        Assert.Throws<ArgumentException>(() => inventory.Add(new FakeAnalogController("sim-gpio")));
        // A part that fits goes in, and is found.
        inventory.Add(new FakeI2cBus("i2c-1")).Add(new FakeAnalogController("fake-gpio", new FakeAnalogController.Line("dial", 12)));
        Assert.True(inventory.TryGetI2cBus("i2c-1", out _));
        Assert.True(inventory.TryGetGpioLine("dial", out var controller));
        Assert.Equal("fake-gpio", controller.Name);
        Assert.Equal("analog in/out (fake-gpio line 0)", inventory.Describe().Single(e => e.Name == "dial").Description);
    }

    [Fact]
    public void DisposingTheInventoryDisposesTheSimulationAndEveryPartAdded()
    {
        var simulation = SimulatedHardware.FromInline(Simulation);
        var inventory = HardwareInventory.FromSimulation(simulation);
        var bus = new FakeI2cBus("i2c-1");
        var device = new FakeSpiDevice("spi-1");
        inventory.Add(bus).Add(device);
        inventory.Dispose();
        Assert.True(bus.Disposed);
        Assert.True(device.Disposed);
        Assert.Throws<ObjectDisposedException>(() => simulation.GetI2cBus("sim-i2c-1").Transfer(0x5f, ReadOnlySpan<I2cMessage>.Empty));
        Assert.Throws<ObjectDisposedException>(() => inventory.Add(new FakeI2cBus("late")));
    }

    [Fact]
    public void AnEmptyInventoryTakesRealPartsByHand()
    {
        using var inventory = new HardwareInventory();
        Assert.Null(inventory.Simulation);
        Assert.Empty(inventory.Describe());
        inventory.Add(new FakeI2cBus("i2c-1"));
        Assert.Equal([new InventoryEntry("i2c", "i2c-1", "fake bus")], inventory.Describe());
    }
}
