using System.CommandLine;
using IronWasm.Hardware.Linux;

namespace IronWasm.Cli;

/// <summary><c>ironwasm devices [--sim FILE|SPEC]</c>: the hardware a deployment can name, one line
/// each: the Linux I2C buses, GPIO chips and SPI devices of this machine, and with <c>--sim</c> the
/// parts of a simulation (<c>--sim default</c>: the built-in one of <c>ironwasm demo</c>).</summary>
internal static class DevicesCommand
{
    public static Command Create(CliConsole console)
    {
        var simulation = new Option<string>("--sim")
        {
            Description = $"Also list a simulation: a YAML file, the inline form, or `{DeviceHardware.DefaultSimulation}` for the built-in one.",
            HelpName = "FILE|SPEC",
        };
        var command = new Command("devices", "List the hardware guests can be granted: Linux I2C buses, GPIO chips and SPI devices, and simulated ones with --sim.")
        {
            simulation,
        };
        command.SetAction(parse => Execute(parse.GetValue(simulation), console));
        return command;
    }

    public static int Execute(string? simulation, CliConsole console)
    {
        var output = console.Out;
        var real = LinuxDeviceDiscovery.Discover();
        output.WriteLine("Linux devices:");
        if (real.Count == 0) output.WriteLine("  none found (no /dev/i2c-*, /dev/gpiochip* or /dev/spidev*)");
        int width = real.Count == 0 ? 0 : real.Max(d => d.Name.Length);
        foreach (var device in real)
            output.WriteLine($"  {Kind(device.Kind),-4} {device.Name.PadRight(width)}  {device.Description}");

        if (simulation is null)
        {
            output.WriteLine();
            output.WriteLine($"Simulated devices: `ironwasm devices --sim {DeviceHardware.DefaultSimulation}` lists the built-in simulation; --sim FILE.yaml or an inline SPEC lists another.");
            return ExitCodes.Success;
        }
        using var hardware = DeviceHardware.OpenSimulation(simulation);
        output.WriteLine();
        output.WriteLine($"Simulated devices ({(simulation == DeviceHardware.DefaultSimulation ? "the built-in simulation" : simulation)}):");
        foreach (var line in hardware.DescribeText().Split('\n', StringSplitOptions.RemoveEmptyEntries)) output.WriteLine("  " + line);
        return ExitCodes.Success;
    }

    private static string Kind(LinuxDeviceKind kind) => kind switch
    {
        LinuxDeviceKind.I2c => "i2c",
        LinuxDeviceKind.Spi => "spi",
        _ => "gpio",
    };
}
