using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class DriverSwapTests
{
    [Fact]
    public void SwappingTheDisplayDriverMovesTheOutputToTheNewDisplayWithoutRestartingTheApp()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");
        Assert.Equal("23.4 C 51 %", deployment.Tick());

        var swapped = deployment.SwapDriver("display", kit.Guest("tm1650"), new I2cAttachment("sim-i2c-1", 0x24));

        Assert.Equal("23.4", deployment.Tick());
        Assert.Equal("23.4 ", kit.SevenSegment.RenderText());
        Assert.Equal(2, swapped.Generation);
        Assert.Equal("tm1650", swapped.ModuleName);
        Assert.Equal(1, deployment.Components[deployment.AppName].Generation);
    }

    [Fact]
    public void SwappingTheSensorDriverChangesWhatTheAppReads()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");
        Assert.Equal("23.4 C 51 %", deployment.Tick());

        deployment.SwapDriver("sensor", kit.Guest("bme280"), new I2cAttachment("sim-i2c-1", 0x76));

        Assert.Equal("23.4 C 51 %\n1008 hPa", deployment.Tick());
        Assert.Equal("1008 hPa".PadRight(16), kit.Lcd.VisibleLines()[1]);
        Assert.Equal("bme280 1.0", deployment.DriverFor(DeviceWorld.SensorDriver)!.DriverName);
    }

    [Fact]
    public void TheAppKeepsRunningAcrossASequenceOfDisplaySwaps()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("bme280", "lcd_hd44780");

        deployment.SwapDriver("display", kit.Guest("tm1650"), new I2cAttachment("sim-i2c-1", 0x24));
        Assert.Equal("23.4", deployment.Tick());
        deployment.SwapDriver("display", kit.Guest("ssd1306"), new I2cAttachment("sim-i2c-1", 0x3c));
        Assert.Equal("23.4 C 51 %\n1008 hPa\nbme280 1.0", deployment.Tick());
        deployment.SwapDriver("display", kit.Guest("lcd_hd44780"), new I2cAttachment("sim-i2c-1", 0x27));
        Assert.Equal("23.4 C 51 %\n1008 hPa", deployment.Tick());

        Assert.Equal(4, deployment.DriverFor(DeviceWorld.DisplayDriver)!.Generation);
        Assert.Same(kit.Lcd, deployment.SimulatedDeviceOf("display"));
    }

    [Fact]
    public void TheSwappedOutDriversBusHandleIsClosedWithItsLease()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");
        Assert.Equal(2, kit.Policy.LiveLeaseCount);

        deployment.SwapDriver("display", kit.Guest("tm1650"), new I2cAttachment("sim-i2c-1", 0x24));
        deployment.SwapDriver("display", kit.Guest("ssd1306"), new I2cAttachment("sim-i2c-1", 0x3c));

        Assert.Equal(2, kit.Policy.LiveLeaseCount);
    }

    [Fact]
    public void ADriverThatFailsToAttachIsReplacedByThePreviousOneAgain()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");

        // 0x76 is granted to the sensor, but the chip there is a BME280, not an HTS221.
        var error = Assert.Throws<DeploymentException>(() => deployment.SwapDriver("sensor", kit.Guest("hts221"), new I2cAttachment("sim-i2c-1", 0x76)));

        Assert.Contains("failed to attach at sim-i2c-1/0x76", error.Message);
        Assert.Contains("is back to module `hts221`", error.Message);
        Assert.Equal(new I2cAttachment("sim-i2c-1", 0x5f), deployment.DriverFor(DeviceWorld.SensorDriver)!.Attachment);
        Assert.Equal("23.4 C 51 %", deployment.Tick());
    }

    [Fact]
    public void ADriverOfAnotherWorldCannotBeSwappedIn()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");

        var error = Assert.Throws<DeploymentException>(() => deployment.SwapDriver("display", kit.Guest("bme280")));

        Assert.Equal("cannot swap driver `display` (display-driver) for module `bme280`: it is a sensor-driver", error.Message);
        Assert.Equal("23.4 C 51 %", deployment.Tick());
    }

    [Fact]
    public void SwappingADriverThatIsNotThereIsAClearError()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");

        var error = Assert.Throws<DeploymentException>(() => deployment.SwapDriver("screen", kit.Guest("tm1650")));

        Assert.Equal("there is no driver named `screen` to swap (drivers: sensor, display)", error.Message);
    }
}
