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
        Assert.True(output.IndexOf("8. USB programs", StringComparison.Ordinal) < output.IndexOf("9. Guests that never stop", StringComparison.Ordinal), output);
        Assert.Contains("`descend` trap: call stack exhausted [StackOverflow]", output);
        Assert.Contains("Every guest ran in this one process, which is still here.", output);
    }

    [Fact]
    public void TheUsbStepRunsLsusbPingMscAndGamepadAsGuestsAndAuditsAGuestGrantedNoDevice()
    {
        var result = RunDemo("--ticks", "1", "--interval", "0");

        Assert.Equal(0, result.ExitCode);
        string usb = result.StandardOutput[result.StandardOutput.IndexOf("8. USB programs", StringComparison.Ordinal)..];
        // lsusb: the echo device, the gamepad and the FAT stick that took the blank disk's place.
        Assert.Contains("ID 1209:0001 class 00 (defined per interface) speed high (480 Mb/s) manufacturer \"IronWasm\" product \"Echo (ping) device\"", usb);
        Assert.Contains("ID 1209:0003 ", usb);
        Assert.Contains("ID 1209:0002 class 00 (defined per interface) speed high (480 Mb/s) manufacturer \"IronWasm\" product \"Simulated Mass Storage\" serial \"DEMO0001\"", usb);
        // ping, modelled (about 0.18 ms a round trip) and on the zero-latency bus (microseconds).
        var medians = System.Text.RegularExpressions.Regex.Matches(usb, @"bulk +32 bytes: 20 round trips, median (\d+\.\d+) us")
            .Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(2, medians.Length);
        Assert.True(medians[0] >= 150, usb);
        Assert.True(medians[1] < medians[0], usb);
        Assert.DoesNotContain("result type=", usb);
        // msc on the FAT16 stick made in memory.
        Assert.Contains("   $ msc ls /notes\n     -         79  2024-05-17 12:34  Notes from the stick.txt\n", usb);
        Assert.Contains("     Written by `ironwasm demo` into a FAT16 image in memory; read by msc over USB.\n", usb);
        // The gamepad program follows the scripted presses from its resting state. Each change is
        // checked on its own: on a stalled machine two steps of the script can land in one report,
        // which the program prints in field order (buttons, then axes).
        Assert.Contains("     state: buttons none; left-x 0 left-y 0 right-x 0 right-y 0\n", usb);
        foreach (var change in new[] { "button a pressed", "axis left-x 100", "button a released", "button start pressed", "button start released" })
            Assert.Contains($"     {change}\n", usb);
        // A guest granted no USB device sees none, and the policy audits it.
        Assert.Contains("the policy grants guest `rogue-display` none of the 3 USB devices present: it will see none", usb);
        Assert.Contains("msc: no USB device is visible to this program (none is plugged in, or the policy grants none)\n     (exit status 1)", usb);
        Assert.Contains("\"event\":\"denied\",\"guest\":\"rogue-display\",\"interface\":\"usb\",\"resource\":\"usb\",\"operation\":\"list-devices\",\"reason\":\"resource-not-granted\"", usb);
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
