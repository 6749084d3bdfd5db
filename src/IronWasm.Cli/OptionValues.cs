using System.Globalization;

namespace IronWasm.Cli;

/// <summary>A <c>--dir HOST[::GUEST]</c> mapping: the host directory and the name the guest sees it by.</summary>
internal sealed record DirectoryMapping(string HostPath, string GuestPath);

/// <summary>Parses the values of <c>ironwasm run</c>'s options. Each parser returns null and sets an
/// error that names the option and shows the accepted form.</summary>
internal static class OptionValues
{
    /// <summary>A byte count with an optional binary unit: 65536, 64k, 64KiB, 16MiB, 1g, 1.5GiB.</summary>
    public static long? ParseSize(string text, out string? error)
    {
        error = null;
        var (number, unit) = SplitUnit(text);
        long multiplier = unit.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kb" or "kib" => 1L << 10,
            "m" or "mb" or "mib" => 1L << 20,
            "g" or "gb" or "gib" => 1L << 30,
            "t" or "tb" or "tib" => 1L << 40,
            _ => 0,
        };
        if (multiplier == 0 || !decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"`{text}` is not a size: use bytes with an optional unit, e.g. 65536, 64KiB, 16MiB, 1GiB (k/m/g are binary units too)";
            return null;
        }
        decimal bytes = decimal.Floor(value * multiplier);
        if (bytes > long.MaxValue)
        {
            error = $"`{text}` is too large a size";
            return null;
        }
        return (long)bytes;
    }

    /// <summary>A duration with a unit: 500ms, 2s, 1.5m, 1h (a bare number is seconds). Must be positive.</summary>
    public static TimeSpan? ParseDuration(string text, out string? error)
    {
        error = null;
        var (number, unit) = SplitUnit(text);
        double secondsPerUnit = unit.ToLowerInvariant() switch
        {
            "us" or "µs" => 1e-6,
            "ms" => 1e-3,
            "" or "s" => 1,
            "m" or "min" => 60,
            "h" => 3600,
            _ => 0,
        };
        if (secondsPerUnit == 0 || !double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
        {
            error = $"`{text}` is not a duration: use a number with a unit, e.g. 500ms, 2s, 1m, 1h";
            return null;
        }
        double seconds = value * secondsPerUnit;
        if (seconds <= 0 || seconds > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            error = $"`{text}` is not a usable timeout: it must be positive and below 100 years";
            return null;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A non-negative whole number of fuel units (underscores allowed as separators: 1_000_000).</summary>
    public static long? ParseFuel(string text, out string? error)
    {
        error = null;
        if (!long.TryParse(text.Replace("_", ""), NumberStyles.None, CultureInfo.InvariantCulture, out var fuel))
        {
            error = $"`{text}` is not an amount of fuel: use a whole number from 0 to {long.MaxValue}";
            return null;
        }
        return fuel;
    }

    /// <summary>HOST or HOST::GUEST; the guest path defaults to HOST as written.</summary>
    public static DirectoryMapping? ParseDirectory(string text, out string? error)
    {
        error = null;
        int separator = text.IndexOf("::", StringComparison.Ordinal);
        string host = separator < 0 ? text : text[..separator];
        string guest = separator < 0 ? text : text[(separator + 2)..];
        if (host.Length == 0 || guest.Length == 0 || text.Contains('\0'))
        {
            error = $"`{text}` is not a directory mapping: use HOST or HOST::GUEST, e.g. --dir ./data::/data";
            return null;
        }
        return new DirectoryMapping(host, guest);
    }

    /// <summary>KEY=VALUE, with a non-empty KEY; VALUE may be empty and may contain '='.</summary>
    public static KeyValuePair<string, string>? ParseEnvironment(string text, out string? error)
    {
        error = null;
        int equals = text.IndexOf('=');
        if (equals <= 0 || text.Contains('\0'))
        {
            error = $"`{text}` is not an environment variable: use KEY=VALUE, e.g. --env LANG=C";
            return null;
        }
        return new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..]);
    }

    private static (string Number, string Unit) SplitUnit(string text)
    {
        var trimmed = text.Trim();
        int end = 0;
        while (end < trimmed.Length && (char.IsAsciiDigit(trimmed[end]) || trimmed[end] == '.')) end++;
        return (trimmed[..end], trimmed[end..].Trim());
    }
}
