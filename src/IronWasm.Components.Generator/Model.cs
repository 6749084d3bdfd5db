using System.Collections;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IronWasm.Components.Generator;

// The values that flow between the generator's incremental steps. Each has value equality, so a
// step whose inputs did not change hands on an equal value and the steps after it are skipped.

/// <summary>An array compared by its elements.</summary>
internal readonly struct EquatableArray<T>(ImmutableArray<T> items) : IEquatable<EquatableArray<T>>, IEnumerable<T>
    where T : IEquatable<T>
{
    private readonly ImmutableArray<T> _items = items;

    public ImmutableArray<T> Items => _items.IsDefault ? ImmutableArray<T>.Empty : _items;

    public int Count => Items.Length;

    public bool Equals(EquatableArray<T> other) => Items.SequenceEqual(other.Items);

    public override bool Equals(object? obj) => obj is EquatableArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var item in Items) hash = unchecked(hash * 31 + item.GetHashCode());
        return hash;
    }

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)Items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

/// <summary>A source location without a reference to a syntax tree (which would keep old
/// compilations alive and never compare equal).</summary>
internal sealed record LocationInfo(string FilePath, TextSpan Span, LinePositionSpan LineSpan)
{
    public Location ToLocation() => Location.Create(FilePath, Span, LineSpan);

    public static LocationInfo? From(Location? location) =>
        location is { SourceTree: not null } ? new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span) : null;
}

/// <summary>One `.wit` file from AdditionalFiles.</summary>
internal sealed record WitSource(string Path, string? Text);

/// <summary>One [assembly: WitHostBindings(...)] attribute.</summary>
internal sealed record Selection(string InterfaceName, string? Namespace, LocationInfo? Location);

internal sealed record DiagnosticInfo(string Id, string Message, LocationInfo? Location)
{
    public Diagnostic ToDiagnostic() => Diagnostic.Create(Diagnostics.Get(Id), Location?.ToLocation() ?? Microsoft.CodeAnalysis.Location.None, Message);
}

internal sealed record GeneratedFile(string HintName, string Text);

internal sealed record GeneratorOutput(EquatableArray<GeneratedFile> Files, EquatableArray<DiagnosticInfo> Diagnostics);
