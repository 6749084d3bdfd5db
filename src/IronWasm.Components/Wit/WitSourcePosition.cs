namespace IronWasm.Components.Wit;

/// <summary>Where a token or a definition starts in a WIT file (1-based line and column).</summary>
internal readonly record struct WitSourcePosition(string File, int Line, int Column)
{
    public WitException Error(string reason) => new(File, Line, Column, reason);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
