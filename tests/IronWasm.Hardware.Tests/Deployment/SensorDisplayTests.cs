using IronWasm.Hardware.Deployment;

namespace IronWasm.Hardware.Tests.Deployment;

public sealed class SensorDisplayTests
{
    [Theory]
    [InlineData("hts221", "23.4 C 51 %")]
    [InlineData("bme280", "23.4 C 51 %\n1008 hPa")]
    public void TheAppShowsTheReadingOnTheCharacterLcd(string sensor, string shown)
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay(sensor, "lcd_hd44780");

        Assert.Equal(shown, deployment.Tick());
        var lines = shown.Split('\n');
        Assert.Equal(lines[0].PadRight(16), kit.Lcd.VisibleLines()[0]);
        Assert.Equal((lines.Length > 1 ? lines[1] : "").PadRight(16), kit.Lcd.VisibleLines()[1]);
        Assert.True(kit.Lcd.BacklightOn);
    }

    [Theory]
    [InlineData("hts221")]
    [InlineData("bme280")]
    public void TheAppShowsTheTemperatureAloneOnTheSevenSegmentDisplay(string sensor)
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay(sensor, "tm1650");

        Assert.Equal("23.4", deployment.Tick());
        Assert.Equal("23.4 ", kit.SevenSegment.RenderText());   // three digits lit, the point after the second, the fourth blank
    }

    [Theory]
    [InlineData("hts221", "23.4 C 51 %\nhts221 1.0", 2)]
    [InlineData("bme280", "23.4 C 51 %\n1008 hPa\nbme280 1.0", 3)]
    public void TheAppShowsTheReadingAndTheSensorDriverOnTheOled(string sensor, string shown, int textRows)
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay(sensor, "ssd1306");

        Assert.Equal(shown, deployment.Tick());
        Assert.True(kit.Oled.IsLit);
        // 8x8-pixel text rows: the ones written have lit pixels, the rest of the panel is dark.
        for (int row = 0; row < 8; row++)
        {
            bool lit = Enumerable.Range(row * 8, 8).Any(y => Enumerable.Range(0, 128).Any(x => kit.Oled.PixelLit(x, y)));
            Assert.Equal(row < textRows, lit);
        }
    }

    [Fact]
    public void ReadingsFollowTheEnvironmentFromTickToTick()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("bme280", "lcd_hd44780");
        Assert.StartsWith("23.4 C", deployment.Tick());

        kit.Simulation.Environment.Set(18.04, 62.2, 995.3);

        Assert.Equal("18.0 C 62 %\n995 hPa", deployment.Tick());
        Assert.Equal("995 hPa".PadRight(16), kit.Lcd.VisibleLines()[1]);
    }

    [Fact]
    public void EachDriverIsAttachedWhereItWasToldAndReportsItsName()
    {
        using var kit = new DeploymentKit();
        var deployment = kit.StartSensorDisplay("hts221", "lcd_hd44780");

        var sensor = deployment.DriverFor(DeviceWorld.SensorDriver)!;
        var display = deployment.DriverFor(DeviceWorld.DisplayDriver)!;
        Assert.Equal(("sensor", "hts221 1.0", new I2cAttachment("sim-i2c-1", 0x5f)), (sensor.Guest, sensor.DriverName, sensor.Attachment));
        Assert.Equal(("display", new I2cAttachment("sim-i2c-1", 0x27)), (display.Guest, display.Attachment));
        Assert.StartsWith("hd44780", display.DriverName);
        Assert.Same(kit.Lcd, deployment.SimulatedDeviceOf("display"));
    }

    [Fact]
    public void ADriverWithoutAnAddressIsAttachedAtTheOneAddressThePolicyGrantsIt()
    {
        using var kit = new DeploymentKit(DeploymentKit.DemoPolicy.Replace("[0x5f, 0x76]", "[0x5f]").Replace("[0x27, 0x24, 0x34-0x37, 0x3c]", "[0x3c]"));
        var deployment = kit.Start("sensor_display", kit.Driver("sensor", "hts221"), kit.Driver("display", "ssd1306"));

        Assert.Equal(new I2cAttachment("sim-i2c-1", 0x5f), deployment.DriverFor(DeviceWorld.SensorDriver)!.Attachment);
        Assert.Equal(new I2cAttachment("sim-i2c-1", 0x3c), deployment.DriverFor(DeviceWorld.DisplayDriver)!.Attachment);
    }

    [Fact]
    public void ADriverWithoutAnAddressWhoseGuestIsGrantedSeveralIsRefusedRatherThanGuessed()
    {
        using var kit = new DeploymentKit();
        var error = Assert.Throws<DeploymentException>(() =>
            kit.Start("sensor_display", kit.Driver("sensor", "hts221", 0x5f), kit.Driver("display", "lcd_hd44780")));

        Assert.Equal("display", error.Guest);
        Assert.Contains("granted several addresses on sim-i2c-1 (0x24, 0x27, 0x34, 0x35, 0x36, 0x37, 0x3c)", error.Message);
        Assert.Contains("display=FILE@sim-i2c-1:0xNN", error.Message);
    }
}
