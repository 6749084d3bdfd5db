namespace IronWasm.Components.Wit;

/// <summary>A package name: `namespace:name` with an optional semantic version.</summary>
public sealed record WitPackageName(string Namespace, string Name, string? Version)
{
    public override string ToString() => Version is null ? $"{Namespace}:{Name}" : $"{Namespace}:{Name}@{Version}";

    /// <summary>The interface or world name as components see it: `ns:name/item@version`.</summary>
    public string Qualify(string item) => Version is null ? $"{Namespace}:{Name}/{item}" : $"{Namespace}:{Name}/{item}@{Version}";
}
