using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>Reads YAML text into a <see cref="ConfigNode"/> tree, keeping each node's line and
/// column. Duplicate keys, anchors and aliases, and more than one document are errors.</summary>
internal static class YamlSource
{
    public static ConfigNode? Parse(string text, string source)
    {
        var parser = new Parser(new StringReader(text));
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _)) return null;
            parser.Consume<DocumentStart>();
            ConfigNode? root = parser.Current is DocumentEnd ? null : ReadNode(parser, source);
            parser.Consume<DocumentEnd>();
            if (parser.Current is DocumentStart next)
                throw new SimulationConfigException("a simulation file holds one YAML document", At(source, next.Start));
            return root;
        }
        catch (YamlException e) when (e is not null)
        {
            throw new SimulationConfigException($"YAML syntax: {Clean(e.Message)}", At(source, e.Start), e);
        }
    }

    private static string Clean(string message)
    {
        // YamlDotNet prefixes its own "(Line: .., Col: ..)"; the location is ours to give.
        int close = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && close > 0 ? message[(close + 3)..] : message;
    }

    private static SourceLocation At(string source, Mark mark) => SourceLocation.InYaml(source, (int)mark.Line, (int)mark.Column);

    private static ConfigNode ReadNode(IParser parser, string source)
    {
        ParsingEvent current = parser.Current!;
        if (current is NodeEvent { Anchor.IsEmpty: false } anchored)
            throw new SimulationConfigException("anchors (&name) are not supported in simulation files", At(source, anchored.Start));
        switch (current)
        {
            case Scalar scalar:
                parser.MoveNext();
                return new ScalarNode(scalar.Value, At(source, scalar.Start));
            case SequenceStart start:
                {
                    parser.MoveNext();
                    var items = new List<ConfigNode>();
                    while (!parser.TryConsume<SequenceEnd>(out _)) items.Add(ReadNode(parser, source));
                    return new SequenceNode(items, At(source, start.Start));
                }
            case MappingStart start:
                {
                    parser.MoveNext();
                    var entries = new List<KeyValuePair<ScalarNode, ConfigNode>>();
                    var seen = new Dictionary<string, SourceLocation>(StringComparer.Ordinal);
                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        if (ReadNode(parser, source) is not ScalarNode key)
                            throw new SimulationConfigException("a key must be plain text", At(source, parser.Current!.Start));
                        if (seen.TryGetValue(key.Value, out SourceLocation first))
                            throw new SimulationConfigException($"duplicate key '{key.Value}' (first at line {first.Line})", key.Location);
                        seen.Add(key.Value, key.Location);
                        entries.Add(new(key, ReadNode(parser, source)));
                    }
                    return new MappingNode(entries, At(source, start.Start));
                }
            case AnchorAlias alias:
                throw new SimulationConfigException("aliases (*name) are not supported in simulation files", At(source, alias.Start));
            default:
                throw new SimulationConfigException($"unexpected {current.GetType().Name}", At(source, current.Start));
        }
    }
}
