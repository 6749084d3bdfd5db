namespace IronWasm.Hardware.Policy;

/// <summary>The hardware interface a grant, a check or an audit record is about.</summary>
public enum PolicyInterface : byte
{
    I2c,
    Spi,
    Gpio,
    Usb,
}

/// <summary>The rights a guest needs on one I2C address: an I2C transaction that both writes and
/// reads needs <see cref="ReadWrite"/>.</summary>
[Flags]
public enum I2cAccess : byte
{
    None = 0,
    Read = 1,
    Write = 2,
    ReadWrite = Read | Write,
}

/// <summary>The answer to a policy check: <see cref="Granted"/>, or why not.</summary>
public enum PolicyVerdict : byte
{
    Granted,
    /// <summary>The policy names no such guest and has no <c>default</c> grants.</summary>
    UnknownGuest,
    /// <summary>The guest has no grant on this bus, SPI device, pin or USB device.</summary>
    ResourceNotGranted,
    /// <summary>The I2C bus is granted, this address on it is not.</summary>
    AddressNotGranted,
    /// <summary>The I2C address is granted, but not for this read or write.</summary>
    AccessNotGranted,
    /// <summary>The pin is granted, but not in this direction (or not as an analog pin).</summary>
    DirectionNotGranted,
    /// <summary>The pin is granted in this direction, but not with this pull resistor.</summary>
    PullNotGranted,
    /// <summary>The lease was revoked: a policy replacement stopped granting what it was opened for.</summary>
    Revoked,
    /// <summary>The USB device is granted, this interface of it is not.</summary>
    InterfaceNotGranted,
    /// <summary>The resource is granted, but another guest instance holds it (a USB device is open in one at a time).</summary>
    InUse,
}

public static class PolicyVerdictExtensions
{
    public static bool IsGranted(this PolicyVerdict verdict) => verdict == PolicyVerdict.Granted;

    /// <summary>True when the resource itself is granted and only the way it is used is not;
    /// wasi:gpio reports these as <c>pin-mode-not-allowed</c> rather than <c>pin-not-allowed</c>.</summary>
    public static bool IsModeDenial(this PolicyVerdict verdict) =>
        verdict is PolicyVerdict.AccessNotGranted or PolicyVerdict.DirectionNotGranted or PolicyVerdict.PullNotGranted;

    /// <summary>The verdict as it appears in audit records, e.g. "address-not-granted".</summary>
    public static string ToReasonText(this PolicyVerdict verdict) => verdict switch
    {
        PolicyVerdict.Granted => "granted",
        PolicyVerdict.UnknownGuest => "unknown-guest",
        PolicyVerdict.ResourceNotGranted => "resource-not-granted",
        PolicyVerdict.AddressNotGranted => "address-not-granted",
        PolicyVerdict.AccessNotGranted => "access-not-granted",
        PolicyVerdict.DirectionNotGranted => "direction-not-granted",
        PolicyVerdict.PullNotGranted => "pull-not-granted",
        PolicyVerdict.Revoked => "revoked",
        PolicyVerdict.InterfaceNotGranted => "interface-not-granted",
        PolicyVerdict.InUse => "in-use",
        _ => "unknown",
    };

    internal static string ToText(this PolicyInterface kind) => kind switch
    {
        PolicyInterface.I2c => "i2c",
        PolicyInterface.Spi => "spi",
        PolicyInterface.Gpio => "gpio",
        PolicyInterface.Usb => "usb",
        _ => "unknown",
    };

    internal static string ToText(this I2cAccess access) => access switch
    {
        I2cAccess.Read => "read",
        I2cAccess.Write => "write",
        I2cAccess.ReadWrite => "read-write",
        _ => "none",
    };
}
