namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>Reads the compact command-line form into the same tree a YAML file gives:
/// <code>
/// i2c:BUS=TYPE[@ADDR][(KEY=VALUE,...)],...      one I2C bus and its devices
/// spi:NAME=TYPE[(KEY=VALUE,...)],...            SPI devices by name
/// gpio:LABEL=KIND[(KEY=VALUE,...)],...          GPIO lines by label
/// env:KEY=VALUE,...                             the environment
/// fault:BUS[@ADDR]=KIND[(KEY=VALUE,...)],...    faults on a bus (or one address of it)
/// usb:[timing=TIMING,]TYPE[(KEY=VALUE,...)],...  the USB bus and the devices plugged into it
/// </code>
/// Sections are separated by ';'. Values never contain ',', ';' or parentheses; lists are
/// space-separated (presses=1s 2s), gamepad script steps '|'-separated.</summary>
internal static class InlineSource
{
    private readonly record struct Piece(string Text, int Offset);

    public static ConfigNode Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var i2c = new List<ConfigNode>();
        var spi = new List<ConfigNode>();
        var lines = new List<ConfigNode>();
        var environment = new List<KeyValuePair<ScalarNode, ConfigNode>>();
        var faults = new List<(Piece Bus, ConfigNode Fault)>();
        List<KeyValuePair<ScalarNode, ConfigNode>>? usb = null;
        var busNodes = new Dictionary<string, (List<ConfigNode> Faults, Piece Where)>(StringComparer.Ordinal);
        SourceLocation whole = SourceLocation.InInline(spec, 0);

        foreach (Piece section in Split(new Piece(spec, 0), ';'))
        {
            if (string.IsNullOrWhiteSpace(section.Text)) continue;
            int colon = section.Text.IndexOf(':');
            if (colon < 0) throw Error("a section starts with i2c:, spi:, gpio:, env:, fault: or usb:", section);
            string kind = section.Text[..colon].Trim();
            var body = new Piece(section.Text[(colon + 1)..], section.Offset + colon + 1);
            switch (kind)
            {
                case "i2c":
                    {
                        var (busName, items) = Assignment(body, "an I2C section is i2c:BUS=DEVICE,DEVICE,...");
                        if (busName.Text.Length == 0) throw Error("the I2C bus needs a name", body);
                        if (busNodes.ContainsKey(busName.Text)) throw Error($"bus '{busName.Text}' is declared twice", busName);
                        var devices = new List<ConfigNode>();
                        foreach (Piece item in Split(items, ','))
                        {
                            if (string.IsNullOrWhiteSpace(item.Text)) throw Error("empty device", item.Text.Length == 0 ? body : item);
                            devices.Add(Device(item));
                        }
                        var busFaults = new List<ConfigNode>();
                        busNodes.Add(busName.Text, (busFaults, busName));
                        i2c.Add(Map(body,
                            ("bus", Scalar(busName.Text, busName)),
                            ("devices", new SequenceNode(devices, At(items))),
                            ("faults", new SequenceNode(busFaults, At(items)))));
                        break;
                    }
                case "spi":
                    foreach (Piece item in Split(body, ','))
                    {
                        var (name, rest) = Assignment(item, "an SPI device is NAME=TYPE");
                        spi.Add(Entry(rest, ("name", name), "type"));
                    }
                    break;
                case "gpio":
                    foreach (Piece item in Split(body, ','))
                    {
                        var (label, rest) = Assignment(item, "a GPIO line is LABEL=KIND");
                        lines.Add(Entry(rest, ("label", label), "kind"));
                    }
                    break;
                case "env":
                    foreach (Piece item in Split(body, ','))
                    {
                        var (key, value) = Assignment(item, "an environment setting is KEY=VALUE");
                        if (environment.Any(e => e.Key.Value == key.Text)) throw Error($"'{key.Text}' is given twice", item);
                        environment.Add(new(Scalar(key.Text, item), Scalar(value.Text.Trim(), item)));
                    }
                    break;
                case "fault":
                    {
                        var (target, items) = Assignment(body, "a fault section is fault:BUS[@ADDRESS]=KIND,...");
                        int at = target.Text.IndexOf('@');
                        Piece bus = at < 0 ? target : new Piece(target.Text[..at], target.Offset);
                        string? address = at < 0 ? null : target.Text[(at + 1)..];
                        foreach (Piece item in Split(items, ','))
                        {
                            ConfigNode fault = Entry(item, default, "kind");
                            if (address is not null) ((MappingNode)fault).Entries.Insert(1, new(Scalar("address", item), Scalar(address, target)));
                            faults.Add((bus, fault));
                        }
                        break;
                    }
                case "usb":
                    {
                        if (usb is not null) throw Error("the usb section is given twice", section);
                        usb = [];
                        var devices = new List<ConfigNode>();
                        foreach (Piece item in Split(body, ','))
                        {
                            if (string.IsNullOrWhiteSpace(item.Text)) throw Error("empty USB device", item.Text.Length == 0 ? body : item);
                            int equals = item.Text.IndexOf('='), open = item.Text.IndexOf('(');
                            if (equals >= 0 && (open < 0 || equals < open))
                            {
                                // A bus setting (timing=zero-latency) rather than a device.
                                var (key, value) = Assignment(item, "a USB bus setting is KEY=VALUE");
                                if (usb.Any(e => e.Key.Value == key.Text)) throw Error($"'{key.Text}' is given twice", item);
                                usb.Add(new(Scalar(key.Text, key), Scalar(value.Text, value)));
                            }
                            else devices.Add(Entry(item, default, "type"));
                        }
                        usb.Add(new(Scalar("devices", body), new SequenceNode(devices, At(body))));
                        break;
                    }
                default:
                    throw Error($"unknown section '{kind}' (sections: i2c, spi, gpio, env, fault, usb)", section);
            }
        }

        foreach (var (bus, fault) in faults)
        {
            if (!busNodes.TryGetValue(bus.Text, out var target))
                throw Error($"fault on unknown bus '{bus.Text}' (buses: {string.Join(", ", busNodes.Keys)})", bus);
            target.Faults.Add(fault);
        }

        var root = new List<KeyValuePair<ScalarNode, ConfigNode>>();
        if (environment.Count > 0) root.Add(new(new ScalarNode("environment", whole), new MappingNode(environment, whole)));
        if (i2c.Count > 0) root.Add(new(new ScalarNode("i2c", whole), new SequenceNode(i2c, whole)));
        if (spi.Count > 0) root.Add(new(new ScalarNode("spi", whole), new SequenceNode(spi, whole)));
        if (lines.Count > 0)
            root.Add(new(new ScalarNode("gpio", whole), new MappingNode([new(new ScalarNode("lines", whole), new SequenceNode(lines, whole))], whole)));
        if (usb is not null) root.Add(new(new ScalarNode("usb", whole), new MappingNode(usb, whole)));
        return new MappingNode(root, whole);
    }

    /// <summary>TYPE[@ADDRESS][(KEY=VALUE,...)] of an I2C device.</summary>
    private static ConfigNode Device(Piece item)
    {
        var (head, parameters) = HeadAndParameters(item);
        int at = head.IndexOf('@');
        var entries = new List<KeyValuePair<ScalarNode, ConfigNode>>
        {
            new(Scalar("type", item), Scalar(at < 0 ? head : head[..at], item)),
        };
        if (at >= 0) entries.Add(new(Scalar("address", item), Scalar(head[(at + 1)..], item)));
        AddParameters(entries, parameters, item);
        return new MappingNode(entries, At(item));
    }

    /// <summary>HEAD[(KEY=VALUE,...)] where HEAD becomes <paramref name="headKey"/>.</summary>
    private static ConfigNode Entry(Piece item, (string Key, Piece Value) first, string headKey)
    {
        var (head, parameters) = HeadAndParameters(item);
        var entries = new List<KeyValuePair<ScalarNode, ConfigNode>>();
        if (first.Key is not null)
        {
            if (first.Value.Text.Length == 0) throw Error($"the {first.Key} is empty", item);
            entries.Add(new(Scalar(first.Key, item), Scalar(first.Value.Text, first.Value)));
        }
        entries.Add(new(Scalar(headKey, item), Scalar(head, item)));
        AddParameters(entries, parameters, item);
        return new MappingNode(entries, At(item));
    }

    private static (string Head, Piece? Parameters) HeadAndParameters(Piece item)
    {
        string text = item.Text.Trim();
        int lead = item.Text.IndexOf(text, StringComparison.Ordinal);
        int open = text.IndexOf('(');
        if (open < 0) return (text, null);
        if (!text.EndsWith(')')) throw Error("parameters end with ')' and nothing follows them", item);
        return (text[..open].Trim(), new Piece(text[(open + 1)..^1], item.Offset + lead + open + 1));
    }

    private static void AddParameters(List<KeyValuePair<ScalarNode, ConfigNode>> entries, Piece? parameters, Piece item)
    {
        if (parameters is not { } list || string.IsNullOrWhiteSpace(list.Text)) return;
        foreach (Piece parameter in Split(list, ','))
        {
            var (key, value) = Assignment(parameter, "a parameter is KEY=VALUE");
            if (entries.Any(e => e.Key.Value == key.Text)) throw Error($"'{key.Text}' is given twice", item);
            entries.Add(new(Scalar(key.Text, item), Scalar(value.Text.Trim(), item)));
        }
    }

    private static (Piece Left, Piece Right) Assignment(Piece piece, string expected)
    {
        int equals = piece.Text.IndexOf('=');
        if (equals < 0) throw Error(expected, piece);
        string left = piece.Text[..equals].Trim();
        if (left.Length == 0) throw Error(expected, piece);
        return (new Piece(left, piece.Offset), new Piece(piece.Text[(equals + 1)..], piece.Offset + equals + 1));
    }

    /// <summary>Splits at <paramref name="separator"/> outside parentheses.</summary>
    private static List<Piece> Split(Piece piece, char separator)
    {
        var parts = new List<Piece>();
        int depth = 0, start = 0;
        for (int i = 0; i < piece.Text.Length; i++)
        {
            char c = piece.Text[i];
            if (c == '(') depth++;
            else if (c == ')' && --depth < 0) throw Error("')' without '('", piece);
            else if (c == separator && depth == 0)
            {
                parts.Add(new Piece(piece.Text[start..i], piece.Offset + start));
                start = i + 1;
            }
        }
        if (depth != 0) throw Error("'(' without ')'", piece);
        parts.Add(new Piece(piece.Text[start..], piece.Offset + start));
        return parts;
    }

    private static ScalarNode Scalar(string value, Piece where) => new(value.Trim(), At(where));

    private static MappingNode Map(Piece where, params (string Key, ConfigNode Value)[] entries) =>
        new(entries.Select(e => new KeyValuePair<ScalarNode, ConfigNode>(new ScalarNode(e.Key, At(where)), e.Value)).ToList(), At(where));

    private static SourceLocation At(Piece piece) => SourceLocation.InInline(piece.Text.Trim(), piece.Offset);

    private static SimulationConfigException Error(string problem, Piece piece) => new(problem, At(piece));
}
