namespace IronWasm.Components.Wit;

public enum WitFunctionKind { Freestanding, Constructor, Method, Static }

/// <summary>How a function returns: nothing, one type, or (old syntax) named results.</summary>
public enum WitResultsKind { None, Single, Named }

public sealed record WitParameter(string Name, WitType Type);

/// <summary>A function of an interface or world, or of a resource. Resource functions are
/// desugared as WIT.md describes: a method's first parameter is `self: borrow&lt;R&gt;`, and a
/// constructor without a written result returns own&lt;R&gt;.</summary>
public sealed class WitFunction
{
    internal WitFunction(string name, WitFunctionKind kind, WitNamedType? resource, bool isAsync,
        IReadOnlyList<WitParameter> parameters, WitType? result, IReadOnlyList<WitParameter>? namedResults,
        string? docs, WitFeatureGate? gate, string? externalId)
    {
        Name = name; Kind = kind; Resource = resource; IsAsync = isAsync; Parameters = parameters;
        Result = result; NamedResults = namedResults; Docs = docs; Gate = gate; ExternalId = externalId;
    }

    /// <summary>The name as written (for a constructor, the resource name).</summary>
    public string Name { get; }

    public WitFunctionKind Kind { get; }

    /// <summary>The resource a constructor, method or static function belongs to.</summary>
    public WitNamedType? Resource { get; }

    public bool IsAsync { get; }

    public IReadOnlyList<WitParameter> Parameters { get; }

    /// <summary>The single result type, when <see cref="ResultsKind"/> is Single.</summary>
    public WitType? Result { get; }

    /// <summary>The named results, when <see cref="ResultsKind"/> is Named.</summary>
    public IReadOnlyList<WitParameter>? NamedResults { get; }

    public WitResultsKind ResultsKind => Result is not null ? WitResultsKind.Single
        : NamedResults is not null ? WitResultsKind.Named : WitResultsKind.None;

    public string? Docs { get; }

    public WitFeatureGate? Gate { get; }

    /// <summary>The `@external-id("...")` annotation, if any.</summary>
    public string? ExternalId { get; }

    /// <summary>The component-level name: <c>[constructor]r</c>, <c>[method]r.m</c>,
    /// <c>[static]r.m</c>, or the plain name.</summary>
    public string CanonicalName => Kind switch
    {
        WitFunctionKind.Constructor => $"[constructor]{Resource!.Name}",
        WitFunctionKind.Method => $"[method]{Resource!.Name}.{Name}",
        WitFunctionKind.Static => $"[static]{Resource!.Name}.{Name}",
        _ => Name,
    };

    public override string ToString()
    {
        var results = ResultsKind switch
        {
            WitResultsKind.Single => $" -> {Result}",
            WitResultsKind.Named => $" -> ({string.Join(", ", NamedResults!.Select(p => $"{p.Name}: {p.Type}"))})",
            _ => "",
        };
        return $"{CanonicalName}: {(IsAsync ? "async " : "")}func({string.Join(", ", Parameters.Select(p => $"{p.Name}: {p.Type}"))}){results}";
    }
}
