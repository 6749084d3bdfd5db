using System.Globalization;

namespace IronWasm.Hardware.Deployment;

/// <summary>Where an I2C driver is attached: the bus (as the inventory and the policy name it) and
/// the device's 7-bit address.</summary>
public readonly record struct I2cAttachment(string Bus, ushort Address)
{
    /// <summary>Parses <c>BUS:ADDRESS</c>, e.g. <c>sim-i2c-1:0x27</c> (decimal or 0x hex, 0 to 0x7f).</summary>
    public static bool TryParse(string text, out I2cAttachment attachment, out string? error)
    {
        attachment = default;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || colon == text.Length - 1)
        {
            error = $"expected BUS:ADDRESS (e.g. sim-i2c-1:0x27), not '{text}'";
            return false;
        }
        string address = text[(colon + 1)..];
        bool parsed = address.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ushort.TryParse(address.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort value)
            : ushort.TryParse(address, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!parsed || value > 0x7f)
        {
            error = $"bad I2C address '{address}' in '{text}': expected a 7-bit address, decimal or 0x hex (0 to 0x7f)";
            return false;
        }
        attachment = new I2cAttachment(text[..colon], value);
        error = null;
        return true;
    }

    public override string ToString() => $"{Bus}/0x{Address:x2}";
}

/// <summary>A driver for a deployment: the guest name the policy knows it by (also its component
/// name), its module, and where to attach it (null: the first address the policy grants it).</summary>
public sealed record DriverModule(string Name, Module Module, I2cAttachment? Attachment = null);

/// <summary>The command-line form of a driver, <c>NAME=FILE[@BUS:ADDRESS]</c>, e.g.
/// <c>display=lcd_hd44780.wasm@sim-i2c-1:0x27</c>.</summary>
public readonly record struct DriverArgument(string Name, string File, I2cAttachment? Attachment)
{
    public static bool TryParse(string text, out DriverArgument driver, out string? error)
    {
        driver = default;
        int equals = text.IndexOf('=');
        if (equals <= 0 || equals == text.Length - 1)
        {
            error = $"expected NAME=FILE[@BUS:ADDRESS] (e.g. sensor=hts221.wasm or display=lcd.wasm@sim-i2c-1:0x27), not '{text}'";
            return false;
        }
        string name = text[..equals];
        if (!IsGuestName(name))
        {
            error = $"bad driver name '{name}': use letters, digits, '-', '_' and '.' (it is the guest name the policy uses)";
            return false;
        }
        string file = text[(equals + 1)..];
        I2cAttachment? attachment = null;
        int at = file.LastIndexOf('@');
        // Only a suffix with a ':' is an attachment: a file name may hold an '@' of its own.
        if (at >= 0 && file.IndexOf(':', at) > at)
        {
            if (!I2cAttachment.TryParse(file[(at + 1)..], out var parsed, out error))
            {
                error = $"driver '{name}': {error}";
                return false;
            }
            attachment = parsed;
            file = file[..at];
        }
        if (file.Length == 0)
        {
            error = $"driver '{name}': no file before '@'";
            return false;
        }
        driver = new DriverArgument(name, file, attachment);
        error = null;
        return true;
    }

    internal static bool IsGuestName(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    public override string ToString() => Attachment is { } a ? $"{Name}={File}@{a.Bus}:0x{a.Address:x2}" : $"{Name}={File}";
}
