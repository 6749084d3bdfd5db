using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>Where two WIT types differ, as the innermost pair of differing types and the path to it
/// (e.g. "the error type of the result", "field `value` of record `reading`").</summary>
internal sealed record WitTypeDifference(string Where, string Imported, string Exported);

/// <summary>Structural comparison of the WIT types two components were built against. Values cross
/// by position, so what must agree is the shape (and the field, case and flag names, which are part
/// of a component type); the names of type definitions and of parameters need not.</summary>
internal static class WitTypeComparer
{
    public static WitTypeDifference? CompareFunctions(WitFunction imported, WitFunction exported)
    {
        if (imported.Kind != exported.Kind)
            return new("the kind of function", imported.Kind.ToString().ToLowerInvariant(), exported.Kind.ToString().ToLowerInvariant());
        if (imported.Parameters.Count != exported.Parameters.Count)
            return new("the parameters", Parameters(imported), Parameters(exported));
        for (int i = 0; i < imported.Parameters.Count; i++)
        {
            if (Compare(imported.Parameters[i].Type, exported.Parameters[i].Type, $"parameter `{imported.Parameters[i].Name}`") is { } d) return d;
        }
        var importedResults = Results(imported);
        var exportedResults = Results(exported);
        if (importedResults.Count != exportedResults.Count)
            return new("the results", ResultText(imported), ResultText(exported));
        for (int i = 0; i < importedResults.Count; i++)
        {
            if (Compare(importedResults[i], exportedResults[i], importedResults.Count == 1 ? "the result" : $"result {i}") is { } d) return d;
        }
        return null;
    }

    public static WitTypeDifference? Compare(WitType? imported, WitType? exported, string where)
    {
        if (imported is null || exported is null)
            return imported is null && exported is null ? null : new(where, imported?.ToString() ?? "none", exported?.ToString() ?? "none");
        imported = Unalias(imported);
        exported = Unalias(exported);
        var named = (imported as WitNamedType, exported as WitNamedType);
        if (named is ({ } a, { } b))
        {
            if (a.IsResource || b.IsResource)
                return a.IsResource && b.IsResource && a.Original.Name == b.Original.Name ? null : new(where, a.Name, b.Name);
            return CompareDefinitions(a.Name, a.Definition, b.Name, b.Definition, where);
        }
        return (imported, exported) switch
        {
            (WitPrimitiveType p, WitPrimitiveType q) => p.Kind == q.Kind ? null : Differ(),
            (WitListType p, WitListType q) => p.Length != q.Length ? Differ()
                : Compare(p.Element, q.Element, $"the element type of {p} in {where}"),
            (WitOptionType p, WitOptionType q) => Compare(p.Some, q.Some, $"the payload of option in {where}"),
            (WitResultType p, WitResultType q) => Compare(p.Ok, q.Ok, $"the ok type of {p} in {where}")
                ?? Compare(p.Err, q.Err, $"the error type of {p} in {where}"),
            (WitTupleType p, WitTupleType q) => p.Types.Count != q.Types.Count ? Differ()
                : p.Types.Select((t, i) => Compare(t, q.Types[i], $"element {i} of {p} in {where}")).FirstOrDefault(d => d is not null),
            (WitMapType p, WitMapType q) => Compare(p.Key, q.Key, $"the key type of {p} in {where}")
                ?? Compare(p.Value, q.Value, $"the value type of {p} in {where}"),
            (WitFutureType p, WitFutureType q) => Compare(p.Payload, q.Payload, $"the payload of {p} in {where}"),
            (WitStreamType p, WitStreamType q) => Compare(p.Payload, q.Payload, $"the payload of {p} in {where}"),
            (WitOwnType p, WitOwnType q) => p.ResourceType.Name == q.ResourceType.Name ? null : Differ(),
            (WitBorrowType p, WitBorrowType q) => p.ResourceType.Name == q.ResourceType.Name ? null : Differ(),
            _ => Differ(),
        };

        WitTypeDifference Differ() => new(where, imported.ToString()!, exported.ToString()!);
    }

    private static WitTypeDifference? CompareDefinitions(string importedName, WitType imported, string exportedName, WitType exported, string where)
    {
        string Kind(WitType t) => t switch
        {
            WitRecordType => "record", WitVariantType => "variant", WitEnumType => "enum", WitFlagsType => "flags", _ => "type",
        };
        var differ = new WitTypeDifference(where, $"{Kind(imported)} {importedName}", $"{Kind(exported)} {exportedName}");
        string inside = $"{Kind(imported)} `{importedName}`";
        switch (imported, exported)
        {
            case (WitRecordType p, WitRecordType q):
                if (p.Fields.Count != q.Fields.Count || p.Fields.Where((f, i) => f.Name != q.Fields[i].Name).Any())
                    return new($"the fields of {inside} in {where}", Fields(p), Fields(q));
                return p.Fields.Select((f, i) => Compare(f.Type, q.Fields[i].Type, $"field `{f.Name}` of {inside}")).FirstOrDefault(d => d is not null);
            case (WitVariantType p, WitVariantType q):
                if (p.Cases.Count != q.Cases.Count || p.Cases.Where((c, i) => c.Name != q.Cases[i].Name).Any())
                    return new($"the cases of {inside} in {where}", string.Join(", ", p.Cases.Select(c => c.Name)), string.Join(", ", q.Cases.Select(c => c.Name)));
                return p.Cases.Select((c, i) => Compare(c.Type, q.Cases[i].Type, $"case `{c.Name}` of {inside}")).FirstOrDefault(d => d is not null);
            case (WitEnumType p, WitEnumType q):
                return p.Cases.Select(c => c.Name).SequenceEqual(q.Cases.Select(c => c.Name)) ? null
                    : new($"the cases of {inside} in {where}", string.Join(", ", p.Cases.Select(c => c.Name)), string.Join(", ", q.Cases.Select(c => c.Name)));
            case (WitFlagsType p, WitFlagsType q):
                return p.Flags.Select(c => c.Name).SequenceEqual(q.Flags.Select(c => c.Name)) ? null
                    : new($"the flags of {inside} in {where}", string.Join(", ", p.Flags.Select(c => c.Name)), string.Join(", ", q.Flags.Select(c => c.Name)));
            default:
                return differ;
        }
    }

    /// <summary>Follows `use`s and `type x = ...` aliases down to a structural type or a definition.</summary>
    private static WitType Unalias(WitType type)
    {
        while (type is WitNamedType named && named.Definition is not (WitRecordType or WitVariantType or WitEnumType or WitFlagsType or WitResourceType))
            type = named.Definition;
        return type;
    }

    private static IReadOnlyList<WitType> Results(WitFunction function) => function.ResultsKind switch
    {
        WitResultsKind.Single => [function.Result!],
        WitResultsKind.Named => function.NamedResults!.Select(p => p.Type).ToArray(),
        _ => [],
    };

    private static string Parameters(WitFunction function) => $"({string.Join(", ", function.Parameters.Select(p => $"{p.Name}: {p.Type}"))})";

    private static string ResultText(WitFunction function) => function.ResultsKind switch
    {
        WitResultsKind.Single => function.Result!.ToString()!,
        WitResultsKind.Named => $"({string.Join(", ", function.NamedResults!.Select(p => $"{p.Name}: {p.Type}"))})",
        _ => "nothing",
    };

    private static string Fields(WitRecordType record) => string.Join(", ", record.Fields.Select(f => $"{f.Name}: {f.Type}"));
}
