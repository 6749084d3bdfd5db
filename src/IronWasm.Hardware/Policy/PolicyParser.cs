using System.Globalization;
using IronWasm.Hardware.Buses;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IronWasm.Hardware.Policy;

/// <summary>Reads the YAML policy format (Policy/README.md) into an <see cref="AccessPolicy"/>.
/// The YAML is first loaded into a small node tree of our own, keeping duplicate keys and every
/// node's position, so that each error names the line and column and says what was expected.</summary>
internal static class PolicyParser
{
    private const int SupportedVersion = 1;

    public static AccessPolicy Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var root = YamlTree.Load(yaml, source);
        return new Reader(source).ReadPolicy(root);
    }

    private sealed class Reader(string source)
    {
        public AccessPolicy ReadPolicy(Node? root)
        {
            if (root is null) throw Error(1, 1, "the policy is empty: it needs at least 'guests:' (use 'guests: {}' to deny everything)");
            var map = ExpectMapping(root, "the policy");
            var keys = ReadKeys(map, "the policy", "version", "guests", "default");

            if (keys.TryGetValue("version", out var versionNode))
            {
                var version = ExpectScalar(versionNode, "version");
                if (!int.TryParse(version.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v != SupportedVersion)
                    throw Error(version, $"unsupported policy version '{version.Value}': this IronWasm reads version {SupportedVersion}");
            }

            if (!keys.TryGetValue("guests", out var guestsNode))
                throw Error(map, "the policy has no 'guests:' section (use 'guests: {}' to deny everything)");

            GuestGrants? defaults = null;
            if (keys.TryGetValue("default", out var defaultNode))
                defaults = ReadGrants(defaultNode, "the default grants");

            var guests = new Dictionary<string, GuestGrants>(StringComparer.Ordinal);
            var guestsMap = IsNull(guestsNode) ? null : ExpectMapping(guestsNode, "'guests'");
            var firstSeen = new Dictionary<string, Node>(StringComparer.Ordinal);
            foreach (var (keyNode, value) in guestsMap?.Pairs ?? [])
            {
                var name = keyNode.Value;
                if (name.Length == 0 || name.Any(char.IsWhiteSpace) || name.Any(char.IsControl))
                    throw Error(keyNode, $"bad guest name '{name}': a guest name is a non-empty word without spaces, e.g. 'sensor'");
                if (firstSeen.TryGetValue(name, out var first))
                    throw Error(keyNode, $"duplicate guest '{name}' (first defined at line {first.Line})");
                firstSeen[name] = keyNode;
                var grants = ReadGrants(value, $"guest '{name}'");
                if (defaults is not null) grants.MergeFrom(defaults);
                guests[name] = grants;
            }
            return new AccessPolicy(source, guests, defaults);
        }

        private GuestGrants ReadGrants(Node node, string what)
        {
            var grants = new GuestGrants();
            if (IsNull(node)) return grants;
            var map = ExpectMapping(node, what);
            var keys = ReadKeys(map, what, "i2c", "spi", "gpio", "usb");
            if (keys.TryGetValue("i2c", out var i2c))
                foreach (var item in ExpectList(i2c, $"the i2c grants of {what}")) ReadI2c(item, grants);
            if (keys.TryGetValue("spi", out var spi))
                foreach (var item in ExpectList(spi, $"the spi grants of {what}")) ReadSpi(item, grants);
            if (keys.TryGetValue("gpio", out var gpio))
                foreach (var item in ExpectList(gpio, $"the gpio grants of {what}")) ReadGpio(item, grants);
            if (keys.TryGetValue("usb", out var usb))
                foreach (var item in ExpectList(usb, $"the usb grants of {what}")) grants.Usb.Add(ReadUsb(item));
            return grants;
        }

        private void ReadI2c(Node node, GuestGrants grants)
        {
            var map = ExpectMapping(node, "an i2c grant (bus, addresses, access)");
            var keys = ReadKeys(map, "an i2c grant", "bus", "addresses", "access");
            var bus = RequiredName(map, keys, "bus", "an i2c grant");
            if (!keys.TryGetValue("addresses", out var addressesNode))
                throw Error(map, $"the i2c grant for bus '{bus}' has no 'addresses' (e.g. addresses: [0x5f, 0x76-0x77])");
            if (!keys.TryGetValue("access", out var accessNode))
                throw Error(map, $"the i2c grant for bus '{bus}' has no 'access' (read, write or read-write)");
            var accessScalar = ExpectScalar(accessNode, "access");
            var access = accessScalar.Value switch
            {
                "read" => I2cAccess.Read,
                "write" => I2cAccess.Write,
                "read-write" => I2cAccess.ReadWrite,
                _ => throw Error(accessScalar, $"bad access '{accessScalar.Value}': expected read, write or read-write"),
            };

            var ranges = new List<(int First, int Last)>();
            if (addressesNode is Sequence sequence)
            {
                if (sequence.Items.Count == 0)
                    throw Error(sequence, $"the i2c grant for bus '{bus}' lists no addresses");
                foreach (var item in sequence.Items) ranges.Add(ReadAddressRange(item));
            }
            else
            {
                ranges.Add(ReadAddressRange(addressesNode));
            }

            var busGrant = grants.GetOrAddBus(bus);
            foreach (var (first, last) in ranges) busGrant.Grant(first, last, access);
        }

        private (int First, int Last) ReadAddressRange(Node node)
        {
            var scalar = ExpectScalar(node, "an address (0x5f) or an address range (0x76-0x77)");
            var text = scalar.Value.Trim();
            int dash = text.Length > 1 ? text.IndexOf('-', 1) : -1;
            if (dash < 0)
            {
                int address = ReadAddress(scalar, text);
                return (address, address);
            }
            int first = ReadAddress(scalar, text[..dash].Trim());
            int last = ReadAddress(scalar, text[(dash + 1)..].Trim());
            if (last < first)
                throw Error(scalar, $"backwards address range '{scalar.Value}': the first address must not be above the last");
            return (first, last);
        }

        private int ReadAddress(Scalar scalar, string text)
        {
            if (!TryParseNumber(text, out long value))
                throw Error(scalar, $"bad address '{scalar.Value}': expected a number (95 or 0x5f) or a range (0x76-0x77)");
            if (value >= I2cBusGrant.AddressCount)
                throw Error(scalar, $"address {text} is out of range: 7-bit I2C addresses go from 0x00 to 0x7f");
            return (int)value;
        }

        private void ReadSpi(Node node, GuestGrants grants)
        {
            var map = ExpectMapping(node, "an spi grant (device)");
            var keys = ReadKeys(map, "an spi grant", "device");
            grants.Spi.Add(RequiredName(map, keys, "device", "an spi grant"));
        }

        private void ReadGpio(Node node, GuestGrants grants)
        {
            var map = ExpectMapping(node, "a gpio grant (pin, directions, pulls, analog)");
            var keys = ReadKeys(map, "a gpio grant", "pin", "directions", "pulls", "analog");
            var pin = RequiredName(map, keys, "pin", "a gpio grant");
            var grant = new GpioPinGrant();

            bool hasDirections = keys.TryGetValue("directions", out var directionsNode);
            bool hasAnalog = keys.TryGetValue("analog", out var analogNode);
            if (!hasDirections && !hasAnalog)
                throw Error(map, $"the gpio grant for pin '{pin}' grants nothing: give 'directions' (in, out) or 'analog' (in, out)");

            if (hasDirections)
                foreach (var word in ReadWords(directionsNode!, "directions", "in", "out"))
                    grant.AllowDirection(word == "in" ? GpioDirection.Input : GpioDirection.Output);
            if (hasAnalog)
                foreach (var word in ReadWords(analogNode!, "analog", "in", "out"))
                    grant.AllowAnalog(word == "in" ? GpioDirection.Input : GpioDirection.Output);

            if (keys.TryGetValue("pulls", out var pullsNode))
            {
                if (!hasDirections)
                    throw Error(pullsNode, $"the gpio grant for pin '{pin}' has 'pulls' but no digital 'directions'");
                foreach (var word in ReadWords(pullsNode, "pulls", "none", "up", "down"))
                    grant.AllowPull(word switch { "up" => GpioPull.PullUp, "down" => GpioPull.PullDown, _ => GpioPull.None });
            }
            else
            {
                // Least privilege: a pull resistor changes the circuit, so it has to be granted by name.
                grant.AllowPull(GpioPull.None);
            }

            grants.GetOrAddPin(pin).MergeFrom(grant);
        }

        private UsbGrant ReadUsb(Node node)
        {
            var map = ExpectMapping(node, "a usb grant (vendor, product, serial, class, interfaces)");
            var keys = ReadKeys(map, "a usb grant", "vendor", "product", "serial", "class", "interfaces");
            ushort? vendor = keys.TryGetValue("vendor", out var v) ? (ushort)ReadNumber(v, "vendor id", 0xFFFF) : null;
            ushort? product = keys.TryGetValue("product", out var p) ? (ushort)ReadNumber(p, "product id", 0xFFFF) : null;
            if (product is not null && vendor is null)
                throw Error(p!, "a usb grant with a 'product' needs its 'vendor' too: product ids are per vendor");
            string? serial = null;
            if (keys.TryGetValue("serial", out var serialNode))
            {
                var scalar = ExpectScalar(serialNode, "a serial number");
                if (scalar.Value.Length == 0 || IsNull(scalar)) throw Error(scalar, "the serial number of a usb grant is empty");
                serial = scalar.Value;
            }
            byte? deviceClass = keys.TryGetValue("class", out var c) ? ReadUsbClass(c) : null;
            if (vendor is null && serial is null && deviceClass is null)
                throw Error(map, "a usb grant must name a 'vendor', 'serial' or 'class': a grant of every device is not allowed");

            UsbInterfaceSet? interfaces = null;
            if (keys.TryGetValue("interfaces", out var interfacesNode))
            {
                var items = interfacesNode is Sequence sequence ? sequence.Items : [interfacesNode];
                if (items.Count == 0)
                    throw Error(interfacesNode, "'interfaces' is empty: list interface numbers (0, 1-2), or leave it out for every interface");
                var set = UsbInterfaceSet.None;
                foreach (var item in items)
                {
                    var scalar = ExpectScalar(item, "an interface number (0) or a range (0-2)");
                    var text = scalar.Value.Trim();
                    int dash = text.Length > 1 ? text.IndexOf('-', 1) : -1;
                    int first = ReadInterface(scalar, dash < 0 ? text : text[..dash].Trim());
                    int last = dash < 0 ? first : ReadInterface(scalar, text[(dash + 1)..].Trim());
                    if (last < first)
                        throw Error(scalar, $"backwards interface range '{scalar.Value}': the first interface must not be above the last");
                    for (int i = first; i <= last; i++) set = set.With((byte)i);
                }
                interfaces = set;
            }
            return new UsbGrant { Vendor = vendor, Product = product, Serial = serial, Class = deviceClass, Interfaces = interfaces };
        }

        private int ReadInterface(Scalar scalar, string text)
        {
            if (!TryParseNumber(text, out long value) || value > 0xFF)
                throw Error(scalar, $"bad interface '{scalar.Value}': expected a number from 0 to 255 or a range (0-2)");
            return (int)value;
        }

        private long ReadNumber(Node node, string what, long max)
        {
            var scalar = ExpectScalar(node, what);
            if (!TryParseNumber(scalar.Value.Trim(), out long value))
                throw Error(scalar, $"bad {what} '{scalar.Value}': expected a number (4617 or 0x1209)");
            if (value > max)
                throw Error(scalar, $"{what} {scalar.Value} is out of range: it goes up to 0x{max:x}");
            return value;
        }

        private byte ReadUsbClass(Node node)
        {
            var scalar = ExpectScalar(node, "a class");
            foreach (var (name, code) in UsbClassNames)
                if (scalar.Value == name) return code;
            if (!TryParseNumber(scalar.Value.Trim(), out long value) || value > 0xFF)
                throw Error(scalar, $"bad class '{scalar.Value}': expected a number from 0 to 0xff or one of {string.Join(", ", UsbClassNames.Select(n => n.Name))}");
            return (byte)value;
        }

        private List<string> ReadWords(Node node, string key, params string[] allowed)
        {
            var items = node is Sequence sequence ? sequence.Items : [node];
            if (items.Count == 0)
                throw Error(node, $"'{key}' is empty: list at least one of {string.Join(", ", allowed)}");
            var words = new List<string>();
            foreach (var item in items)
            {
                var scalar = ExpectScalar(item, $"one of {string.Join(", ", allowed)}");
                if (Array.IndexOf(allowed, scalar.Value) < 0)
                    throw Error(scalar, $"bad {key} value '{scalar.Value}': expected {string.Join(", ", allowed)}");
                words.Add(scalar.Value);
            }
            return words;
        }

        private string RequiredName(Mapping map, Dictionary<string, Node> keys, string key, string what)
        {
            if (!keys.TryGetValue(key, out var node))
                throw Error(map, $"{what} has no '{key}'");
            var scalar = ExpectScalar(node, $"the {key} name");
            if (scalar.Value.Length == 0 || IsNull(scalar))
                throw Error(scalar, $"the {key} name of {what} is empty");
            return scalar.Value;
        }

        /// <summary>Indexes the mapping by key, rejecting unknown and repeated keys.</summary>
        private Dictionary<string, Node> ReadKeys(Mapping map, string what, params string[] known)
        {
            var keys = new Dictionary<string, Node>(StringComparer.Ordinal);
            var positions = new Dictionary<string, Scalar>(StringComparer.Ordinal);
            foreach (var (key, value) in map.Pairs)
            {
                if (Array.IndexOf(known, key.Value) < 0)
                    throw Error(key, $"unknown key '{key.Value}' in {what} (expected {string.Join(", ", known)})");
                if (positions.TryGetValue(key.Value, out var first))
                    throw Error(key, $"duplicate key '{key.Value}' in {what} (first at line {first.Line})");
                positions[key.Value] = key;
                keys[key.Value] = value;
            }
            return keys;
        }

        private Mapping ExpectMapping(Node node, string what) =>
            node as Mapping ?? throw Error(node, $"expected {what} to be a mapping (key: value lines), found {Describe(node)}");

        private Scalar ExpectScalar(Node node, string what) =>
            node as Scalar ?? throw Error(node, $"expected {what}, found {Describe(node)}");

        private List<Node> ExpectList(Node node, string what)
        {
            if (IsNull(node)) return [];
            return node is Sequence sequence
                ? sequence.Items
                : throw Error(node, $"expected {what} to be a list (lines starting with '- '), found {Describe(node)}");
        }

        private static string Describe(Node node) => node switch
        {
            Mapping => "a mapping",
            Sequence => "a list",
            Scalar s when IsNull(s) => "nothing",
            Scalar s => $"'{s.Value}'",
            _ => "something else",
        };

        private PolicyFormatException Error(Node node, string problem) => Error(node.Line, node.Column, problem);

        private PolicyFormatException Error(int line, int column, string problem) => new(source, line, column, problem);
    }

    /// <summary>The class codes of usb.org's list that a policy may name by word.</summary>
    internal static readonly (string Name, byte Code)[] UsbClassNames =
    [
        ("audio", 0x01), ("cdc", 0x02), ("hid", 0x03), ("printer", 0x07), ("mass-storage", 0x08),
        ("hub", 0x09), ("cdc-data", 0x0A), ("video", 0x0E), ("wireless", 0xE0), ("vendor-specific", 0xFF),
    ];

    private static bool IsNull(Node node) =>
        node is Scalar { Plain: true } s && s.Value is "" or "~" or "null" or "Null" or "NULL";

    /// <summary>Decimal or 0x-prefixed hexadecimal, nothing else (no signs, no octal).</summary>
    internal static bool TryParseNumber(string text, out long value)
    {
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private abstract class Node(int line, int column)
    {
        public int Line { get; } = line;
        public int Column { get; } = column;
    }

    private sealed class Scalar(int line, int column, string value, bool plain) : Node(line, column)
    {
        public string Value { get; } = value;
        public bool Plain { get; } = plain;
    }

    private sealed class Sequence(int line, int column) : Node(line, column)
    {
        public List<Node> Items { get; } = [];
    }

    private sealed class Mapping(int line, int column) : Node(line, column)
    {
        public List<(Scalar Key, Node Value)> Pairs { get; } = [];
    }

    /// <summary>Builds the node tree from YamlDotNet's event parser, resolving anchors and aliases.</summary>
    private static class YamlTree
    {
        public static Node? Load(string yaml, string source)
        {
            var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
            try
            {
                var parser = new Parser(new StringReader(yaml));
                parser.Consume<StreamStart>();
                if (parser.TryConsume<StreamEnd>(out _)) return null;
                parser.Consume<DocumentStart>();
                var root = ReadNode(parser, anchors, source);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    var next = parser.Current!;
                    throw new PolicyFormatException(source, (int)next.Start.Line, (int)next.Start.Column, "a policy file holds one YAML document, found a second one");
                }
                return root;
            }
            catch (YamlException e)
            {
                throw new PolicyFormatException(source, (int)e.Start.Line, (int)e.Start.Column, "not valid YAML: " + e.Message);
            }
        }

        private static Node ReadNode(IParser parser, Dictionary<string, Node> anchors, string source)
        {
            var current = parser.Current ?? throw new PolicyFormatException(source, 1, 1, "unexpected end of the YAML stream");
            int line = (int)current.Start.Line, column = (int)current.Start.Column;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return anchors.TryGetValue(alias.Value.Value, out var target)
                        ? target
                        : throw new PolicyFormatException(source, line, column, $"unknown alias '*{alias.Value.Value}'");
                case YamlDotNet.Core.Events.Scalar scalar:
                {
                    parser.MoveNext();
                    var node = new Scalar(line, column, scalar.Value, scalar.Style == ScalarStyle.Plain);
                    Remember(scalar.Anchor, node, anchors);
                    return node;
                }
                case SequenceStart start:
                {
                    parser.MoveNext();
                    var node = new Sequence(line, column);
                    Remember(start.Anchor, node, anchors);
                    while (!parser.TryConsume<SequenceEnd>(out _)) node.Items.Add(ReadNode(parser, anchors, source));
                    return node;
                }
                case MappingStart start:
                {
                    parser.MoveNext();
                    var node = new Mapping(line, column);
                    Remember(start.Anchor, node, anchors);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = ReadNode(parser, anchors, source);
                        if (key is not Scalar keyScalar)
                            throw new PolicyFormatException(source, key.Line, key.Column, "a key must be a plain word, not a list or a mapping");
                        node.Pairs.Add((keyScalar, ReadNode(parser, anchors, source)));
                    }
                    return node;
                }
                default:
                    throw new PolicyFormatException(source, line, column, $"unexpected YAML {current.GetType().Name}");
            }
        }

        private static void Remember(AnchorName anchor, Node node, Dictionary<string, Node> anchors)
        {
            if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        }
    }
}
