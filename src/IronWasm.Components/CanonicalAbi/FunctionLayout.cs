using System.Runtime.CompilerServices;
using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>How one WIT function crosses the boundary (CanonicalABI.md's <c>flatten_functype</c>,
/// synchronous): parameters flat when they flatten to at most 16 core values, else one pointer to a
/// tuple in memory; results flat when they flatten to at most 1, else through memory (a returned
/// pointer for a guest export, a trailing out-pointer parameter for a guest import).</summary>
public sealed class FunctionLayout
{
    public const int MaxFlatParams = 16;
    public const int MaxFlatResults = 1;

    private static readonly ConditionalWeakTable<WitFunction, FunctionLayout> Cache = new();

    private FunctionLayout(WitFunction function)
    {
        Function = function;
        var parameters = function.Parameters.Select(p => CanonicalLayout.Of(p.Type)).ToArray();
        WitType[] results = function.ResultsKind switch
        {
            WitResultsKind.Single => [function.Result!],
            WitResultsKind.Named => function.NamedResults!.Select(p => p.Type).ToArray(),
            _ => [],
        };
        ParameterTuple = CanonicalLayout.Tuple(parameters);
        ResultTuple = CanonicalLayout.Tuple(results.Select(CanonicalLayout.Of).ToArray());

        var flatParams = ParametersInMemory ? [ValueKind.I32] : ParameterTuple.Flat;
        var flatResults = ResultsInMemory ? [ValueKind.I32] : ResultTuple.Flat;
        LiftType = new FunctionType(flatParams, flatResults);
        LowerType = ResultsInMemory ? new FunctionType([.. flatParams, ValueKind.I32], []) : new FunctionType(flatParams, flatResults);
    }

    public static FunctionLayout Of(WitFunction function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.IsAsync) throw new NotSupportedException($"{function.CanonicalName} is async; only the synchronous canonical ABI is supported");
        return Cache.GetValue(function, f => new FunctionLayout(f));
    }

    public WitFunction Function { get; }

    /// <summary>The parameters as a tuple: its fields are the parameters' layouts.</summary>
    internal CanonicalLayout ParameterTuple { get; }

    /// <summary>The results as a tuple (empty, one, or the named results).</summary>
    internal CanonicalLayout ResultTuple { get; }

    public int ParameterCount => ParameterTuple.Fields.Length;

    public int ResultCount => ResultTuple.Fields.Length;

    public IReadOnlyList<CanonicalLayout> Parameters => ParameterTuple.Fields;

    public IReadOnlyList<CanonicalLayout> Results => ResultTuple.Fields;

    public bool ParametersInMemory => ParameterTuple.Flat.Length > MaxFlatParams;

    public bool ResultsInMemory => ResultTuple.Flat.Length > MaxFlatResults;

    /// <summary>The core type of the guest export that implements the function (`canon lift`).</summary>
    public FunctionType LiftType { get; }

    /// <summary>The core type of the guest import that calls the function (`canon lower`).</summary>
    public FunctionType LowerType { get; }
}
