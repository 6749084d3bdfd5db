namespace IronWasm.Cli.Tests.Cli;

public sealed class DevicesCommandTests
{
    [Fact]
    public void WithoutASimulationTheLinuxDevicesAreListedAndTheWayToTheBuiltInSimulationIsShown()
    {
        var result = CliRun.InProcess(["devices"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardError);
        Assert.StartsWith("Linux devices:\n", result.StandardOutput);
        Assert.Contains("`ironwasm devices --sim default` lists the built-in simulation", result.StandardOutput);
    }

    [Fact]
    public void TheBuiltInSimulationIsListedOnePartALine()
    {
        var output = CliRun.InProcess(["devices", "--sim", "default"]).StandardOutput;

        Assert.Contains("Simulated devices (the built-in simulation):\n", output);
        foreach (var part in new[] { "sim-i2c-1", "sim-i2c-1@0x5f", "sim-i2c-1@0x76", "sim-i2c-1@0x27", "sim-i2c-1@0x24", "sim-i2c-1@0x3c", "sim-i2c-1@0x50", "flash0", "sim-gpio/button", "sim-gpio/led", "sim-usb", "usb 1-1", "usb 1-2" })
            Assert.Single(output.Split('\n'), line => line.TrimStart().StartsWith(part + " ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheBuiltInSimulationListsItsUsbDevicesByBusAndPort()
    {
        var output = CliRun.InProcess(["devices", "--sim", "default"]).StandardOutput;

        Assert.Matches(@"(?m)^ +usb 1-1 +1209:0001 IronWasm echo \(bulk, interrupt, isochronous\)$", output);
        Assert.Matches(@"(?m)^ +usb 1-2 +1209:0002 IronWasm mass-storage 1 MiB \(bulk\)$", output);
    }

    [Fact]
    public void AnInlineSimulationIsListed()
    {
        var output = CliRun.InProcess(["devices", "--sim", "i2c:bench=bme280@0x77"]).StandardOutput;

        Assert.Contains("  bench@0x77", output);
        Assert.Contains("BME280", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void ABadSimulationIsOneLineOnStderr()
    {
        var result = CliRun.InProcess(["devices", "--sim", "i2c:bench=hts222"]);

        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith("ironwasm: error: --sim: unknown I2C device type 'hts222'", result.StandardError);
        Assert.Single(result.StandardError.TrimEnd('\n').Split('\n'));
    }
}
