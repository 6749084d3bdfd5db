using System.Globalization;

namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>Reads the keys of one mapping, remembering which it asked for, so that anything
/// else is reported as an unknown key with the keys that would have been understood.</summary>
internal sealed class MapReader
{
    private readonly MappingNode _node;
    private readonly string _what;
    private readonly List<string> _known = [];
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public MapReader(ConfigNode node, string what)
    {
        _node = node as MappingNode ?? throw new SimulationConfigException($"{what} must be a mapping of keys to values, not {node.What}", node.Location);
        _what = what;
    }

    public SourceLocation Location => _node.Location;

    public ConfigNode? Get(string key)
    {
        _known.Add(key);
        foreach (var entry in _node.Entries)
        {
            if (entry.Key.Value != key) continue;
            _used.Add(key);
            return entry.Value;
        }
        return null;
    }

    public ScalarNode? Scalar(string key)
    {
        ConfigNode? node = Get(key);
        if (node is null or ScalarNode) return (ScalarNode?)node;
        throw new SimulationConfigException($"'{key}' of {_what} must be a single value, not {node.What}", node.Location);
    }

    public ScalarNode RequireScalar(string key) =>
        Scalar(key) ?? throw new SimulationConfigException($"{_what} needs '{key}'", _node.Location);

    /// <summary>Reports the first key nobody asked for.</summary>
    public void Done()
    {
        foreach (var entry in _node.Entries)
        {
            if (_used.Contains(entry.Key.Value)) continue;
            string keys = _known.Count == 0 ? "none" : string.Join(", ", _known.Distinct());
            throw new SimulationConfigException($"unknown key '{entry.Key.Value}' for {_what} (known keys: {keys})", entry.Key.Location);
        }
    }
}

/// <summary>Parses scalar values; every failure names the value and says what was expected.</summary>
internal static class Values
{
    public static long Integer(ScalarNode node, long min, long max, string what)
    {
        string text = node.Value.Trim().Replace("_", "");
        bool negative = text.StartsWith('-');
        string digits = negative ? text[1..] : text;
        long value = 0;
        bool ok;
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            ok = long.TryParse(digits[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && digits.Length > 2;
        else if (digits.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            value = 0;
            ok = digits.Length > 2 && digits.Length <= 2 + 62;
            foreach (char c in digits.AsSpan(Math.Min(2, digits.Length)))
            {
                if (c is not ('0' or '1')) { ok = false; break; }
                value = value * 2 + (c - '0');
            }
        }
        else ok = digits.Length > 0 && digits.All(char.IsAsciiDigit) && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok) throw new SimulationConfigException($"bad number '{node.Value}' for {what} (decimal, 0x hex or 0b binary)", node.Location);
        if (negative) value = -value;
        if (value < min || value > max)
            throw new SimulationConfigException($"{what} {node.Value} is out of range ({Format(min)} to {Format(max)})", node.Location);
        return value;

        static string Format(long v) => v > 255 || v < 0 ? v.ToString(CultureInfo.InvariantCulture) : v.ToString(CultureInfo.InvariantCulture);
    }

    public static ushort Address(ScalarNode node) => (ushort)Integer(node, 0x03, 0x77, "I2C address");

    /// <summary>A byte count: a whole number with an optional unit B, KiB, MiB, GiB (or K, M, G, also 1024-based).</summary>
    public static long Size(ScalarNode node, string what, long min, long max)
    {
        string text = node.Value.Trim().Replace("_", "");
        int split = 0;
        while (split < text.Length && char.IsAsciiDigit(text[split])) split++;
        string unit = text[split..].Trim();
        long? scale = unit.ToLowerInvariant() switch
        {
            "" or "b" => 1,
            "k" or "kib" => 1L << 10,
            "m" or "mib" => 1L << 20,
            "g" or "gib" => 1L << 30,
            _ => null,
        };
        if (split == 0 || scale is null || !long.TryParse(text[..split], NumberStyles.None, CultureInfo.InvariantCulture, out long count) || count > long.MaxValue / scale.Value)
            throw new SimulationConfigException($"bad size '{node.Value}' for {what} (a whole number with B, KiB, MiB or GiB, e.g. 16MiB)", node.Location);
        long bytes = count * scale.Value;
        if (bytes < min || bytes > max)
            throw new SimulationConfigException($"{what} {node.Value} is out of range ({min.ToString(CultureInfo.InvariantCulture)} bytes to {(max >> 20).ToString(CultureInfo.InvariantCulture)} MiB)", node.Location);
        return bytes;
    }

    public static double Number(ScalarNode node, string what)
    {
        if (!double.TryParse(node.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
            throw new SimulationConfigException($"bad number '{node.Value}' for {what}", node.Location);
        return value;
    }

    public static TimeSpan Duration(ScalarNode node, string what)
    {
        string text = node.Value.Trim();
        int split = 0;
        while (split < text.Length && (char.IsAsciiDigit(text[split]) || text[split] == '.')) split++;
        string number = text[..split], unit = text[split..].Trim();
        if (number.Length > 0 && double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value))
        {
            double? ticks = unit switch
            {
                "ns" => value / 100,
                "us" or "µs" => value * 10,
                "ms" => value * TimeSpan.TicksPerMillisecond,
                "s" => value * TimeSpan.TicksPerSecond,
                "min" => value * TimeSpan.TicksPerMinute,
                "" when value == 0 => 0,
                _ => null,
            };
            if (ticks is { } t && t <= TimeSpan.MaxValue.Ticks) return TimeSpan.FromTicks((long)Math.Round(t));
        }
        throw new SimulationConfigException($"bad duration '{node.Value}' for {what} (a number with ns, us, ms, s or min, e.g. 5ms)", node.Location);
    }

    public static bool Boolean(ScalarNode node, string what) => node.Value.Trim().ToLowerInvariant() switch
    {
        "true" or "yes" or "on" => true,
        "false" or "no" or "off" => false,
        _ => throw new SimulationConfigException($"bad value '{node.Value}' for {what} (true/false, yes/no, on/off)", node.Location),
    };

    /// <summary>"high" or "low".</summary>
    public static bool Level(ScalarNode node, string what) => node.Value.Trim().ToLowerInvariant() switch
    {
        "high" => true,
        "low" => false,
        _ => throw new SimulationConfigException($"bad level '{node.Value}' for {what} (high or low)", node.Location),
    };

    /// <summary>A YAML list, or one value holding a space-separated list.</summary>
    public static List<ScalarNode> List(ConfigNode node, string what)
    {
        if (node is ScalarNode scalar)
            return scalar.Value.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(v => new ScalarNode(v, scalar.Location)).ToList();
        if (node is SequenceNode sequence)
            return sequence.Items.Select(i => i as ScalarNode ?? throw new SimulationConfigException($"{what} holds single values, not {i.What}", i.Location)).ToList();
        throw new SimulationConfigException($"{what} must be a list, not {node.What}", node.Location);
    }

    public static List<ConfigNode> Sequence(ConfigNode node, string what) =>
        node is SequenceNode sequence ? sequence.Items
            : throw new SimulationConfigException($"{what} must be a list (entries starting with '-'), not {node.What}", node.Location);

    public static string Name(ScalarNode node, string what)
    {
        string text = node.Value.Trim();
        if (text.Length == 0 || text.Length > 64 || !text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new SimulationConfigException($"bad {what} '{node.Value}' (1 to 64 letters, digits, '-', '_' or '.')", node.Location);
        return text;
    }
}
