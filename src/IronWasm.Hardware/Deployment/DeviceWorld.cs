using System.Reflection;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Hardware.Deployment;

/// <summary>The worlds of wit/devices.wit (package <c>ironwasm:devices@0.1.0</c>) a deployment
/// knows how to run: two kinds of driver and three apps.</summary>
public enum DeviceWorld
{
    /// <summary>Exports <c>i2c-attach</c> and <c>sensor</c>; imports wasi:i2c.</summary>
    SensorDriver,
    /// <summary>Exports <c>i2c-attach</c> and <c>display</c>; imports wasi:i2c.</summary>
    DisplayDriver,
    /// <summary>Imports <c>sensor</c> and <c>display</c>; exports <c>tick</c>.</summary>
    SensorDisplayApp,
    /// <summary>Imports wasi:gpio; exports <c>run(presses)</c>.</summary>
    ButtonLedApp,
    /// <summary>Imports wasi:spi; exports <c>run(address, text)</c>.</summary>
    SpiFlashApp,
}

/// <summary>The device WIT, loaded once from the copy of wit/devices.wit and wit/deps embedded in
/// this assembly (so a deployment works from any directory), and the recognition of a core module's
/// world from its imports and exports.</summary>
internal static class DeviceWit
{
    public const string I2cAttach = "ironwasm:devices/i2c-attach@0.1.0";
    public const string Sensor = "ironwasm:devices/sensor@0.1.0";
    public const string Display = "ironwasm:devices/display@0.1.0";

    private static readonly Lazy<WitResolvedPackage> Wit = new(Load);

    public static WitResolvedPackage Package => Wit.Value;

    public static string WitName(DeviceWorld world) => world switch
    {
        DeviceWorld.SensorDriver => "sensor-driver",
        DeviceWorld.DisplayDriver => "display-driver",
        DeviceWorld.SensorDisplayApp => "sensor-display-app",
        DeviceWorld.ButtonLedApp => "button-led-app",
        _ => "spi-flash-app",
    };

    public static bool IsDriver(DeviceWorld world) => world is DeviceWorld.SensorDriver or DeviceWorld.DisplayDriver;

    public static WitWorld World(DeviceWorld world) => Package.SelectWorld(WitName(world));

    /// <summary>The world <paramref name="module"/> plays: every export the world requires is there,
    /// and every function it imports comes from an interface the world imports. Among several
    /// (a module that imports nothing), the one that requires the most exports wins; a tie is an error.</summary>
    /// <exception cref="DeploymentException">The module plays none of the worlds, or more than one.</exception>
    public static DeviceWorld Recognize(Module module, string what)
    {
        var exports = module.Exports.Where(e => e.Kind == ExternalKind.Function).Select(e => e.Name).ToHashSet(StringComparer.Ordinal);
        var importModules = module.Imports.Where(i => i.Kind == ExternalKind.Function).Select(i => i.ModuleName).ToHashSet(StringComparer.Ordinal);
        var matches = new List<(DeviceWorld World, int Required)>();
        var nearest = new List<string>();
        foreach (var world in Enum.GetValues<DeviceWorld>())
        {
            var witWorld = World(world);
            var required = RequiredExports(witWorld);
            var allowed = witWorld.Imports.Where(i => i.Interface is not null).Select(i => CoreNames.ImportModule(i.Interface!)).ToHashSet(StringComparer.Ordinal);
            var missing = required.Where(e => !exports.Contains(e)).ToList();
            var foreign = importModules.Where(m => !allowed.Contains(m)).ToList();
            if (missing.Count == 0 && foreign.Count == 0)
                matches.Add((world, required.Count));
            else if (missing.Count < required.Count)
                nearest.Add($"not {WitName(world)}: " + string.Join("; ", new[]
                {
                    missing.Count == 0 ? null : $"it lacks the export{(missing.Count == 1 ? "" : "s")} {string.Join(", ", missing)}",
                    foreign.Count == 0 ? null : $"it imports from {string.Join(", ", foreign)}",
                }.Where(s => s is not null)));
        }
        if (matches.Count == 0)
        {
            string exported = exports.Count == 0 ? "no functions" : string.Join(", ", exports.Where(e => !e.StartsWith(CoreNames.PostReturnPrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal));
            throw new DeploymentException(
                $"{what} (module `{module.Name}`) plays none of the device worlds of ironwasm:devices@0.1.0 " +
                $"({string.Join(", ", Enum.GetValues<DeviceWorld>().Select(WitName))}): it exports {exported}" +
                (nearest.Count > 0 ? $" ({string.Join("; ", nearest)})" : ""));
        }
        int best = matches.Max(m => m.Required);
        var winners = matches.Where(m => m.Required == best).ToList();
        if (winners.Count > 1)
            throw new DeploymentException($"{what} (module `{module.Name}`) could play {string.Join(" or ", winners.Select(w => WitName(w.World)))}: it imports nothing that tells them apart");
        return winners[0].World;
    }

    /// <summary>The core export names a module playing <paramref name="world"/> must have.</summary>
    private static List<string> RequiredExports(WitWorld world)
    {
        var names = new List<string>();
        foreach (var item in world.Exports)
        {
            if (item.Interface is { } exported)
                names.AddRange(exported.Functions.Select(f => CoreNames.ExportName(exported.QualifiedName, f.CanonicalName)));
            else if (item.Function is { } function)
                names.Add(CoreNames.ExportName(null, function.CanonicalName));
        }
        return names;
    }

    private static WitResolvedPackage Load()
    {
        var assembly = typeof(DeviceWit).Assembly;
        var resources = assembly.GetManifestResourceNames()
            .Select(name => (Resource: name, Path: name.Replace('\\', '/')))
            .Where(r => r.Path.StartsWith("wit/", StringComparison.Ordinal) && r.Path.EndsWith(".wit", StringComparison.Ordinal))
            .OrderBy(r => r.Path, StringComparer.Ordinal)
            .ToList();
        var root = resources.Where(r => !r.Path.StartsWith("wit/deps/", StringComparison.Ordinal)).Select(r => (r.Path, Read(assembly, r.Resource))).ToList();
        var dependencies = resources.Where(r => r.Path.StartsWith("wit/deps/", StringComparison.Ordinal))
            .GroupBy(r => r.Path.Split('/')[2], StringComparer.Ordinal)
            .Select(g => g.Select(r => (r.Path, Read(assembly, r.Resource))).ToList())
            .ToList();
        if (root.Count == 0) throw new InvalidOperationException("wit/devices.wit is missing from IronWasm.Hardware's embedded resources");
        return WitPackageLoader.LoadTexts(root, dependencies);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
