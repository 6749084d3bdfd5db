using System.Text.RegularExpressions;
using IronWasm.Hardware.Linux;

namespace IronWasm.Hardware.Tests.Linux;

public class DeviceDiscoveryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pol-devices-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dev => Path.Combine(_root, "dev");
    private string Sys => Path.Combine(_root, "sys");

    [Fact]
    public void On_this_machine_discovery_lists_exactly_the_device_files_present()
    {
        var devices = LinuxDeviceDiscovery.Discover();
        var expected = Directory.Exists("/dev")
            ? Directory.EnumerateFileSystemEntries("/dev").Select(Path.GetFileName)
                .Where(n => Regex.IsMatch(n!, @"^(i2c-\d+|gpiochip\d+|spidev\d+\.\d+)$")).Order().ToArray()
            : [];
        Assert.Equal(expected, devices.Select(d => d.Name).Order().ToArray());
    }

    [Fact]
    public void A_missing_dev_directory_gives_an_empty_list()
    {
        Assert.Empty(LinuxDeviceDiscovery.Discover(Path.Combine(_root, "nothing"), Sys));
    }

    [Fact]
    public void Device_files_that_do_not_answer_are_listed_as_unusable_with_the_reason()
    {
        Directory.CreateDirectory(Dev);
        foreach (var name in new[] { "i2c-10", "i2c-2", "gpiochip0", "spidev0.1", "ttyS0", "i2c-x" })
            File.WriteAllText(Path.Combine(Dev, name), "");
        Directory.CreateDirectory(Path.Combine(Dev, "i2c-7"));
        Directory.CreateDirectory(Path.Combine(Sys, "class", "i2c-dev", "i2c-2"));
        File.WriteAllText(Path.Combine(Sys, "class", "i2c-dev", "i2c-2", "name"), "SMBus stub driver\n");

        var devices = LinuxDeviceDiscovery.Discover(Dev, Sys);

        Assert.Equal(["i2c-2", "i2c-10", "gpiochip0", "spidev0.1"], devices.Select(d => d.Name));
        Assert.Equal([LinuxDeviceKind.I2c, LinuxDeviceKind.I2c, LinuxDeviceKind.Gpio, LinuxDeviceKind.Spi], devices.Select(d => d.Kind));
        Assert.All(devices, d => Assert.False(d.Usable));
        Assert.All(devices, d => Assert.DoesNotContain('\n', d.Description));
        Assert.StartsWith($"Linux i2c-dev {Dev}/i2c-2 (SMBus stub driver): not usable: {Dev}/i2c-2 is not an i2c-dev device", devices[0].Description);
        Assert.Contains("(ENOTTY)", devices[0].Description);
        Assert.StartsWith($"Linux i2c-dev {Dev}/i2c-10: not usable:", devices[1].Description);
        Assert.StartsWith($"Linux GPIO chip {Dev}/gpiochip0: not usable: {Dev}/gpiochip0 is not a GPIO character device", devices[2].Description);
        Assert.StartsWith($"Linux spidev {Dev}/spidev0.1 (bus 0, chip select 1): not usable:", devices[3].Description);
        Assert.Equal(Path.Combine(Dev, "spidev0.1"), devices[3].DevicePath);
    }

    [Fact]
    public void The_adapter_name_is_read_from_the_i2c_dev_class_or_the_bus()
    {
        Directory.CreateDirectory(Path.Combine(Sys, "class", "i2c-dev", "i2c-0"));
        File.WriteAllText(Path.Combine(Sys, "class", "i2c-dev", "i2c-0", "name"), "SMBus I801 adapter at efa0\n");
        Directory.CreateDirectory(Path.Combine(Sys, "bus", "i2c", "devices", "i2c-1"));
        File.WriteAllText(Path.Combine(Sys, "bus", "i2c", "devices", "i2c-1", "name"), "SMBus stub driver");
        Assert.Equal("SMBus I801 adapter at efa0", LinuxSysfs.I2cAdapterName("i2c-0", Sys));
        Assert.Equal("SMBus stub driver", LinuxSysfs.I2cAdapterName("i2c-1", Sys));
        Assert.Null(LinuxSysfs.I2cAdapterName("i2c-2", Sys));
    }

    [Fact]
    public void Buses_are_found_by_adapter_name()
    {
        foreach (var (bus, name) in new[] { (3, "SMBus stub driver"), (1, "Other"), (12, "SMBus stub driver") })
        {
            var dir = Path.Combine(Sys, "class", "i2c-dev", $"i2c-{bus}");
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "name"), name + "\n");
        }
        Assert.Equal([3, 12], LinuxSysfs.I2cBusesNamed("SMBus stub driver", Sys));
        Assert.Empty(LinuxSysfs.I2cBusesNamed("SMBus stub driver", Path.Combine(_root, "none")));
    }
}
