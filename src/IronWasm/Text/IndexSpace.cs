namespace IronWasm.Text;

/// <summary>One index space of a module being parsed (types, functions, tables, ...): how many entries it
/// has so far and which symbolic identifiers name them (the spec's "identifier context").</summary>
internal sealed class IndexSpace
{
    private readonly Dictionary<string, uint> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, uint>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public IndexSpace(string kind)
    {
        Kind = kind;
        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The spec's word for the space, used in messages ("duplicate func", "unknown table").</summary>
    public string Kind { get; }

    public uint Count { get; private set; }

    public void Clear()
    {
        _names.Clear();
        Count = 0;
    }

    /// <summary>Adds an entry, named by <paramref name="id"/> when it is an identifier token; returns its index.</summary>
    public uint Define(WatReader reader, WatToken id)
    {
        if (id.Kind == WatTokenKind.Identifier)
        {
            var name = reader.Text(id);
            if (_lookup.ContainsKey(name)) throw reader.Error(id, $"duplicate {Kind} {name}");
            _lookup[name] = Count;
        }
        return Count++;
    }

    /// <summary>An index written as a natural number or as an identifier of this space.</summary>
    public uint Resolve(WatReader reader, WatToken token)
    {
        switch (token.Kind)
        {
            case WatTokenKind.Natural:
                if (!WatNumbers.TryParseUnsigned(reader.Text(token), uint.MaxValue, out ulong value))
                    throw reader.Error(token, "i32 constant out of range");
                return (uint)value;
            case WatTokenKind.Identifier:
                if (_lookup.TryGetValue(reader.Text(token), out uint index)) return index;
                throw reader.Error(token, $"unknown {Kind} {reader.Text(token)}");
            default:
                throw reader.Unexpected(token);
        }
    }

    public static bool IsIndex(WatToken token) => token.Kind is WatTokenKind.Natural or WatTokenKind.Identifier;
}
