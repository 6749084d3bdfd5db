using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Linux;
using IronWasm.Hardware.Linux.Usb;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Configuration;

namespace IronWasm.Cli;

/// <summary>The hardware and policy of <c>ironwasm run --sim/--policy</c> and <c>ironwasm devices</c>,
/// read from the command line with every failure as a one-line <see cref="CliException"/>.</summary>
internal static class DeviceHardware
{
    /// <summary>The word for the built-in simulation in <c>--sim</c>.</summary>
    public const string DefaultSimulation = "default";

    /// <summary><c>--sim default</c>, a YAML file, or the inline form.</summary>
    public static SimulatedHardware OpenSimulation(string argument)
    {
        try
        {
            return argument == DefaultSimulation ? SimulatedHardware.CreateDefault() : SimulatedHardware.FromArgument(argument);
        }
        catch (SimulationConfigException e)
        {
            throw new CliException(ExitCodes.BadModule, $"--sim: {ModuleFile.OneLine(e.Message)}");
        }
    }

    /// <summary>The simulation when <paramref name="simulation"/> is given, else the usable Linux devices.</summary>
    public static HardwareInventory OpenInventory(string? simulation)
    {
        if (simulation is not null) return HardwareInventory.FromSimulation(OpenSimulation(simulation));
        var inventory = new HardwareInventory();
        foreach (var device in LinuxDeviceDiscovery.Discover().Where(d => d.Usable))
        {
            try
            {
                switch (device.Kind)
                {
                    case LinuxDeviceKind.I2c: inventory.Add(new LinuxI2cBus(device.DevicePath, device.Name)); break;
                    case LinuxDeviceKind.Spi: inventory.Add(new LinuxSpiDevice(device.Name, new LinuxSpiOptions(device.DevicePath))); break;
                    case LinuxDeviceKind.Gpio: inventory.Add(new LinuxGpioChip(device.DevicePath)); break;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
            {
                // Listed as usable a moment ago; a device that went away is simply not offered.
            }
        }
        // USB through libusb where it is installed; without it a deployment simply has no USB.
        if (LibusbBackend.TryCreate(out _) is { } usb) inventory.Add(usb);
        return inventory;
    }

    public static AccessPolicy LoadPolicy(string path)
    {
        try
        {
            return AccessPolicy.Load(path);
        }
        catch (PolicyFormatException e)
        {
            throw new CliException(ExitCodes.BadModule, $"--policy: {ModuleFile.OneLine(e.Message)}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.NoInput, $"--policy {path}: cannot read the policy: {(e is FileNotFoundException or DirectoryNotFoundException ? "no such file" : ModuleFile.OneLine(e.Message))}");
        }
    }
}
