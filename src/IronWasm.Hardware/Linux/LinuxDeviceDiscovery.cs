using System.Globalization;
using System.Text.RegularExpressions;

namespace IronWasm.Hardware.Linux;

public enum LinuxDeviceKind : byte
{
    I2c,
    Gpio,
    Spi,
}

/// <summary>One device file found by <see cref="LinuxDeviceDiscovery"/>.</summary>
/// <param name="Kind">What kind of device it is.</param>
/// <param name="Name">"i2c-1", "gpiochip0" or "spidev0.0".</param>
/// <param name="DevicePath">The device file.</param>
/// <param name="Usable">False when it could not be opened or did not answer as its kind should.</param>
/// <param name="Description">One line for `ironwasm devices`; for an unusable device, why.</param>
public sealed record LinuxDevice(LinuxDeviceKind Kind, string Name, string DevicePath, bool Usable, string Description);

/// <summary>Finds the I2C buses, GPIO chips and SPI devices a Linux machine offers. It never
/// throws: devices that cannot be opened are listed as unusable with the reason, and a machine
/// (or an OS) without any gives an empty list.</summary>
public static partial class LinuxDeviceDiscovery
{
    public static IReadOnlyList<LinuxDevice> Discover() => Discover("/dev", "/sys");

    internal static IReadOnlyList<LinuxDevice> Discover(string devRoot, string sysRoot)
    {
        var found = new List<(LinuxDeviceKind Kind, long Order, LinuxDevice Device)>();
        foreach (var path in ListDeviceFiles(devRoot))
        {
            string name = Path.GetFileName(path);
            if (I2cName().Match(name) is { Success: true } i2c)
                found.Add((LinuxDeviceKind.I2c, Number(i2c.Groups[1].Value), DescribeI2c(name, path, sysRoot)));
            else if (GpioName().Match(name) is { Success: true } gpio)
                found.Add((LinuxDeviceKind.Gpio, Number(gpio.Groups[1].Value), DescribeGpio(name, path)));
            else if (SpiName().Match(name) is { Success: true } spi)
                found.Add((LinuxDeviceKind.Spi, Number(spi.Groups[1].Value) * 65536 + Number(spi.Groups[2].Value), DescribeSpi(name, path, spi)));
        }
        return found.OrderBy(f => f.Kind).ThenBy(f => f.Order).Select(f => f.Device).ToArray();
    }

    private static IEnumerable<string> ListDeviceFiles(string devRoot)
    {
        try
        {
            if (!Directory.Exists(devRoot)) return [];
            return Directory.EnumerateFileSystemEntries(devRoot).Where(p => !Directory.Exists(p)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static LinuxDevice DescribeI2c(string name, string path, string sysRoot)
    {
        string? adapter = LinuxSysfs.I2cAdapterName(name, sysRoot);
        string prefix = $"Linux i2c-dev {path}" + (adapter is null ? "" : $" ({adapter})");
        try
        {
            using var bus = new LinuxI2cBus(path, name);
            return new(LinuxDeviceKind.I2c, name, path, true,
                $"Linux i2c-dev {path} ({(adapter is null ? "" : adapter + ", ")}{(bus.SupportsI2c ? "I2C" : "SMBus only")})");
        }
        catch (Exception e) when (IsDeviceProblem(e))
        {
            return new(LinuxDeviceKind.I2c, name, path, false, $"{prefix}: not usable: {e.Message}");
        }
    }

    private static LinuxDevice DescribeGpio(string name, string path)
    {
        try
        {
            using var chip = new LinuxGpioChip(path);
            return new(LinuxDeviceKind.Gpio, name, path, true, chip.Description);
        }
        catch (Exception e) when (IsDeviceProblem(e))
        {
            return new(LinuxDeviceKind.Gpio, name, path, false, $"Linux GPIO chip {path}: not usable: {e.Message}");
        }
    }

    private static LinuxDevice DescribeSpi(string name, string path, Match match)
    {
        string where = $"bus {match.Groups[1].Value}, chip select {match.Groups[2].Value}";
        try
        {
            // Only reads the settings: listing devices must not reconfigure them.
            using var fd = Libc.OpenDevice(path, Libc.O_RDWR, LinuxNames.SpiDevice);
            var settings = LinuxSpiDevice.ReadSettings(fd);
            if (settings is null)
                return new(LinuxDeviceKind.Spi, name, path, false, $"Linux spidev {path} ({where}): not usable: it does not answer the spidev ioctls");
            return new(LinuxDeviceKind.Spi, name, path, true,
                $"Linux spidev {path} ({where}; mode {settings.Mode & 3}, {settings.BitsPerWord} bits, {settings.MaxSpeedHz} Hz)");
        }
        catch (Exception e) when (IsDeviceProblem(e))
        {
            return new(LinuxDeviceKind.Spi, name, path, false, $"Linux spidev {path} ({where}): not usable: {e.Message}");
        }
    }

    private static bool IsDeviceProblem(Exception e) =>
        e is IOException or UnauthorizedAccessException or InvalidOperationException or PlatformNotSupportedException
            or DllNotFoundException or EntryPointNotFoundException;

    private static long Number(string digits) =>
        long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : long.MaxValue;

    [GeneratedRegex(@"^i2c-(\d+)$")]
    private static partial Regex I2cName();

    [GeneratedRegex(@"^gpiochip(\d+)$")]
    private static partial Regex GpioName();

    [GeneratedRegex(@"^spidev(\d+)\.(\d+)$")]
    private static partial Regex SpiName();
}

/// <summary>What sysfs says about devices, read defensively: a missing file gives null.</summary>
internal static class LinuxSysfs
{
    /// <summary>The adapter name of i2c-N: /sys/class/i2c-dev/i2c-N/name, else /sys/bus/i2c/devices/i2c-N/name.</summary>
    public static string? I2cAdapterName(string deviceName, string sysRoot = "/sys") =>
        ReadLine(Path.Combine(sysRoot, "class", "i2c-dev", deviceName, "name"))
        ?? ReadLine(Path.Combine(sysRoot, "bus", "i2c", "devices", deviceName, "name"));

    /// <summary>The i2c-dev bus numbers whose adapter has exactly the name <paramref name="adapterName"/>.</summary>
    public static IReadOnlyList<int> I2cBusesNamed(string adapterName, string sysRoot = "/sys")
    {
        var buses = new List<int>();
        try
        {
            var root = Path.Combine(sysRoot, "class", "i2c-dev");
            if (!Directory.Exists(root)) return buses;
            foreach (var dir in Directory.EnumerateFileSystemEntries(root))
            {
                var name = Path.GetFileName(dir);
                if (!name.StartsWith("i2c-", StringComparison.Ordinal)) continue;
                if (!int.TryParse(name.AsSpan(4), NumberStyles.None, CultureInfo.InvariantCulture, out int number)) continue;
                if (ReadLine(Path.Combine(dir, "name")) == adapterName) buses.Add(number);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        buses.Sort();
        return buses;
    }

    private static string? ReadLine(string path)
    {
        try
        {
            if (!File.Exists(path)) return null;
            var text = File.ReadAllText(path).Trim();
            return text.Length == 0 ? null : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
