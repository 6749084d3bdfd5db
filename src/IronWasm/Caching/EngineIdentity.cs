using System.Reflection;
using IronWasm.Runtime;

namespace IronWasm.Caching;

/// <summary>What a compiled module must have been compiled by and for to be usable: this exact engine
/// build on this runtime, and the settings that change generated code.</summary>
internal static class EngineIdentity
{
    private static string? _current;

    /// <summary>The engine's informational version, the module version id of the engine assembly (it
    /// changes with every build whose output differs, so two builds of one version number never share
    /// compiled code) and the runtime version, e.g.
    /// "IronWasm 1.0.0+3a4b; build 0f8e...; .NET 10.0.12".</summary>
    public static string Current => _current ??= Compute();

    private static string Compute()
    {
        var assembly = typeof(EngineIdentity).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "unknown";
        Span<byte> build = stackalloc byte[16];
        assembly.ManifestModule.ModuleVersionId.TryWriteBytes(build);
        return $"IronWasm {version}; build {Hex.Lower(build)}; .NET {Environment.Version}";
    }

    [Flags]
    private enum Settings : uint
    {
        ConsumeFuel = 1,
        Interruptible = 2,
    }

    /// <summary>Every <see cref="Config"/> setting that changes generated code, as bits. (The call
    /// depth limit, store limits and the cache itself do not change code.)</summary>
    public static uint Fingerprint(EngineOptions options) =>
        (uint)((options.ConsumeFuel ? Settings.ConsumeFuel : 0) | (options.Interruptible ? Settings.Interruptible : 0));

    /// <summary>A fingerprint in words, for messages.</summary>
    public static string Describe(uint fingerprint)
    {
        var settings = (Settings)fingerprint;
        if ((settings & ~(Settings.ConsumeFuel | Settings.Interruptible)) != 0) return $"unknown settings 0x{fingerprint:X}";
        return $"fuel consumption {(settings.HasFlag(Settings.ConsumeFuel) ? "on" : "off")}, epoch interruption {(settings.HasFlag(Settings.Interruptible) ? "on" : "off")}";
    }
}
