using System.CommandLine;
using IronWasm.Hardware.Linux;
using IronWasm.Hardware.Linux.Usb;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;

namespace IronWasm.Cli;

/// <summary><c>ironwasm devices [--sim FILE|SPEC]</c>: the hardware a deployment can name, one line
/// each: the Linux I2C buses, GPIO chips, SPI devices and USB devices (through libusb) of this machine, and with <c>--sim</c> the
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
        var command = new Command("devices", "List the hardware guests can be granted: Linux I2C buses, GPIO chips, SPI devices and USB devices (libusb), and simulated ones with --sim.")
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
        ListUsb(output);

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

    /// <summary>The USB devices libusb sees, named as USB policy rules name them.</summary>
    private static void ListUsb(TextWriter output)
    {
        using var usb = LibusbBackend.TryCreate(out string? why);
        if (usb is null)
        {
            output.WriteLine($"  usb  none: {why}");
            return;
        }
        var devices = new List<IUsbDevice>();
        var error = usb.GetDevices(devices);
        if (error != UsbError.Success) output.WriteLine($"  usb  none: libusb cannot list devices: {error.Describe()}");
        else if (devices.Count == 0) output.WriteLine($"  usb  none found ({usb.Description})");
        foreach (var device in devices.OrderBy(d => d.Location.BusNumber).ThenBy(d => d.Location.DeviceAddress))
            output.WriteLine($"  usb  {UsbDeviceIdentity.Of(device).Name}  {device.Product ?? "USB device"} ({device.Descriptor}, {device.Location}, {usb.Name})");
    }

    private static string Kind(LinuxDeviceKind kind) => kind switch
    {
        LinuxDeviceKind.I2c => "i2c",
        LinuxDeviceKind.Spi => "spi",
        _ => "gpio",
    };
}
