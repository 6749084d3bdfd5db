namespace IronWasm.Hardware.Simulation.Configuration;

/// <summary>The YAML file and the inline form both become this small tree, so one interpreter
/// checks both and reports errors at the place the value came from.</summary>
internal abstract class ConfigNode(SourceLocation location)
{
    public SourceLocation Location { get; } = location;

    public abstract string What { get; }
}

internal sealed class ScalarNode(string value, SourceLocation location) : ConfigNode(location)
{
    public string Value { get; } = value;

    public override string What => $"'{Value}'";
}

internal sealed class SequenceNode(List<ConfigNode> items, SourceLocation location) : ConfigNode(location)
{
    public List<ConfigNode> Items { get; } = items;

    public override string What => "a list";
}

internal sealed class MappingNode(List<KeyValuePair<ScalarNode, ConfigNode>> entries, SourceLocation location) : ConfigNode(location)
{
    public List<KeyValuePair<ScalarNode, ConfigNode>> Entries { get; } = entries;

    public override string What => "a mapping";
}
