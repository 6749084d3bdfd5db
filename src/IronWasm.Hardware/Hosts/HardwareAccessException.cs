using IronWasm.Hardware.Policy;

namespace IronWasm.Hardware.Hosts;

/// <summary>The policy does not let a guest have what the host was asked to hand it (for example
/// the I2C bus of <see cref="HardwareHost.OpenI2cForAttach"/>). The policy engine has audited the
/// denial by the time this is thrown.</summary>
public sealed class HardwareAccessException : Exception
{
    internal HardwareAccessException(string guest, string interfaceName, string resource, PolicyVerdict verdict)
        : base($"guest '{guest}' may not use {interfaceName} '{resource}': the policy says {verdict.ToReasonText()}")
    {
        Guest = guest;
        Resource = resource;
        Verdict = verdict;
    }

    /// <summary>The guest, as the policy names it.</summary>
    public string Guest { get; }

    /// <summary>The bus, SPI device or pin asked for.</summary>
    public string Resource { get; }

    /// <summary>Why the policy denied it.</summary>
    public PolicyVerdict Verdict { get; }
}
