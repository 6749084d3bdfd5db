using IronWasm.Hardware.Deployment;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class WorldRecognitionTests
{
    [Theory]
    [InlineData("hts221", DeviceWorld.SensorDriver)]
    [InlineData("bme280", DeviceWorld.SensorDriver)]
    [InlineData("lcd_hd44780", DeviceWorld.DisplayDriver)]
    [InlineData("tm1650", DeviceWorld.DisplayDriver)]
    [InlineData("ssd1306", DeviceWorld.DisplayDriver)]
    [InlineData("rogue_display", DeviceWorld.DisplayDriver)]
    [InlineData("sensor_display", DeviceWorld.SensorDisplayApp)]
    [InlineData("button_led", DeviceWorld.ButtonLedApp)]
    [InlineData("spi_flash", DeviceWorld.SpiFlashApp)]
    public void EachCommittedGuestIsRecognisedByItsImportsAndExports(string guest, DeviceWorld world)
    {
        using var kit = new DeploymentKit();

        Assert.Equal(world, DeviceWit.Recognize(kit.Guest(guest), guest));
    }

    [Fact]
    public void AModuleOfNoDeviceWorldIsRefusedWithWhatItExports()
    {
        using var engine = new Engine();
        var module = Module.FromText(engine, "adder", """(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add))""");

        var error = Assert.Throws<DeploymentException>(() => DeviceWit.Recognize(module, "driver `x`"));

        Assert.StartsWith("driver `x` (module `adder`) plays none of the device worlds of ironwasm:devices@0.1.0 (sensor-driver, display-driver, " +
            "sensor-display-app, button-led-app, spi-flash-app): it exports add", error.Message);
    }

    [Fact]
    public void ADriverMissingAnExportIsToldWhichOne()
    {
        using var engine = new Engine();
        var module = Module.FromText(engine, "half-sensor", """
            (module
              (memory (export "memory") 1)
              (func (export "ironwasm:devices/i2c-attach@0.1.0#attach") (param i32 i32 i32) (result i32) i32.const 0)
              (func (export "ironwasm:devices/sensor@0.1.0#driver-name") (result i32) i32.const 0))
            """);

        var error = Assert.Throws<DeploymentException>(() => DeviceWit.Recognize(module, "driver `sensor`"));

        Assert.Contains("not sensor-driver: it lacks the export ironwasm:devices/sensor@0.1.0#read", error.Message);
    }

    [Fact]
    public void TheDeviceWitIsEmbeddedSoItLoadsFromAnyDirectory()
    {
        string previous = Environment.CurrentDirectory;
        try
        {
            Environment.CurrentDirectory = Path.GetTempPath();
            Assert.Equal("ironwasm:devices@0.1.0", DeviceWit.Package.Package.Name.ToString());
            Assert.Equal(5, Enum.GetValues<DeviceWorld>().Select(DeviceWit.World).Distinct().Count());
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
