namespace IronWasm;

/// <summary>A function signature. Equality is structural, so types from different modules compare
/// equal when their parameters and results match (the rule `call_indirect` and linking use).</summary>
public sealed class FunctionType : IEquatable<FunctionType>
{
    public FunctionType(IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results)
    {
        _parameters = Copy(parameters);
        _results = Copy(results);
    }

    // Arrays, compared and hashed as bytes: going through IReadOnlyList (LINQ, interface enumerators
    // over an enum) is generic code the runtime JIT-compiles at every start, for every type decoded.
    private readonly ValueKind[] _parameters;
    private readonly ValueKind[] _results;

    public IReadOnlyList<ValueKind> Parameters => _parameters;
    public IReadOnlyList<ValueKind> Results => _results;

    private static ValueKind[] Copy(IReadOnlyList<ValueKind> kinds)
    {
        if (kinds is ValueKind[] array) return array.Length == 0 ? [] : (ValueKind[])array.Clone();
        if (kinds is List<ValueKind> list) return list.Count == 0 ? [] : list.ToArray();
        var copy = new ValueKind[kinds.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = kinds[i];
        return copy;
    }

    private static ReadOnlySpan<byte> Bytes(ValueKind[] kinds) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(kinds.AsSpan());

    public bool Equals(FunctionType? other) =>
        other is not null && Bytes(_parameters).SequenceEqual(Bytes(other._parameters)) && Bytes(_results).SequenceEqual(Bytes(other._results));

    public override bool Equals(object? obj) => Equals(obj as FunctionType);

    public override int GetHashCode()
    {
        int hash = 17;
        foreach (var kind in _parameters) hash = hash * 31 + (int)kind;
        hash = hash * 31 + 0xFF;
        foreach (var kind in _results) hash = hash * 31 + (int)kind;
        return hash;
    }

    public override string ToString() =>
        $"[{string.Join(" ", Parameters.Select(p => p.ToText()))}] -> [{string.Join(" ", Results.Select(r => r.ToText()))}]";
}
