namespace IronWasm.Cli.Tests.Cli;

public sealed class DemoTests : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("ironwasm-demo-test-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    private GuestResult RunDemo(params string[] options) => CliRun.InProcess(["demo", "--out", _out, .. options]);

    [Fact]
    public void TheDemoRunsEveryStepOnBuiltInGuestsAndSucceeds()
    {
        var result = RunDemo("--ticks", "1", "--interval", "0");

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        var output = result.StandardOutput;
        Assert.Contains("sensor: hts221 1.0 (module `hts221`, guest `sensor`) at sim-i2c-1/0x5f", output);
        Assert.Contains("display: hd44780-pcf8574 1.0 (module `lcd_hd44780`, guest `display`) at sim-i2c-1/0x27", output);
        Assert.Contains("+----------------+ backlight on", output);
        Assert.Contains("display: tm1650 1.0 (module `tm1650`, guest `display`) at sim-i2c-1/0x24 (instance #2)", output);
        Assert.Contains("display: ssd1306 1.0 (module `ssd1306`, guest `display`) at sim-i2c-1/0x3c (instance #3)", output);
        Assert.Contains("sensor: bme280 1.0 (module `bme280`, guest `sensor`) at sim-i2c-1/0x76 (instance #2)", output);
        Assert.Contains(" hPa | bme280 1.0", output);
        Assert.Contains("display: rogue-display 1.0 (module `rogue_display`, guest `rogue-display`) at sim-i2c-1/0x27 (instance #4)", output);
        Assert.Contains("the rogue driver now says: rogue-display 1.0 (eeprom read at 0x50 failed: other)", output);
        Assert.Contains("\"event\":\"denied\",\"guest\":\"rogue-display\",\"interface\":\"i2c\",\"resource\":\"sim-i2c-1/0x50\"", output);
        Assert.Contains("\"reason\":\"address-not-granted\"", output);
        Assert.Contains("1 denied; the EEPROM is untouched", output);
        Assert.Contains("press 3: led on", output);
        Assert.Contains("read back \"hello from ironwasm\": match", output);
        Assert.Contains("`spin` trap: all fuel consumed [OutOfFuel]", output);
        Assert.Contains("`descend` trap: call stack exhausted [StackOverflow]", output);
        Assert.Contains("Every guest ran in this one process, which is still here.", output);
    }

    [Fact]
    public void TheOledIsSavedAsPngWhereTheDemoSays()
    {
        var output = RunDemo("--ticks", "1", "--interval", "0").StandardOutput;

        foreach (var file in new[] { "oled-hts221.png", "oled-bme280.png" })
        {
            string path = Path.Combine(_out, file);
            Assert.Contains($"the OLED as a picture: {path}", output);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A], File.ReadAllBytes(path)[..8]);
        }
    }

    [Fact]
    public void TheAppKeepsRunningWhileItsDisplayDriverIsSwappedTwiceAndItsSensorOnce()
    {
        var output = RunDemo().StandardOutput;   // the default ticks and interval

        int lcd = output.IndexOf("module `lcd_hd44780`", StringComparison.Ordinal);
        int digits = output.IndexOf("module `tm1650`", StringComparison.Ordinal);
        int oled = output.IndexOf("module `ssd1306`", StringComparison.Ordinal);
        int bme280 = output.IndexOf("module `bme280`", StringComparison.Ordinal);
        int rogue = output.IndexOf("module `rogue_display`", StringComparison.Ordinal);
        Assert.True(0 <= lcd && lcd < digits && digits < oled && oled < bme280 && bme280 < rogue, output);
        for (int tick = 1; tick <= 15; tick++) Assert.Contains($"   tick {tick}: ", output);
    }

    [Theory]
    [InlineData("--ticks", "0", "ironwasm: error: --ticks: bad count '0': expected a whole number, 1 or more\n")]
    [InlineData("--interval", "soon", "ironwasm: error: --interval: ")]
    public void BadDemoOptionsAreUsageErrors(string option, string value, string expected)
    {
        var result = RunDemo(option, value);

        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith(expected, result.StandardError);
    }
}
