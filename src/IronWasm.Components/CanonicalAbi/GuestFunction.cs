using System.Buffers;
using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>A guest export called from the host through the canonical ABI (`canon lift`): the
/// host's arguments are lowered into the guest (spilling to a cabi_realloc'd tuple beyond 16 flat
/// values), the core function runs, its results are lifted (through the returned pointer when they
/// do not fit one flat value), borrows lent to the guest must have been dropped, and then the
/// guest's `cabi_post_*` function, if any, frees what the results used.</summary>
public sealed class GuestFunction
{
    private readonly CanonicalInstance _instance;
    private readonly Function _core;
    private readonly Function? _postReturn;

    public GuestFunction(CanonicalInstance instance, WitFunction function, Function core, Function? postReturn = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(core);
        _instance = instance;
        Layout = FunctionLayout.Of(function);
        if (!core.Type.Equals(Layout.LiftType))
            throw new WasmLinkException($"the core export for {function.CanonicalName} has type {core.Type}; the canonical ABI needs {Layout.LiftType}");
        var postType = new FunctionType(Layout.LiftType.Results, []);
        if (postReturn is not null && !postReturn.Type.Equals(postType))
            throw new WasmLinkException($"the post-return function for {function.CanonicalName} has type {postReturn.Type}; the canonical ABI needs {postType}");
        _core = core;
        _postReturn = postReturn;
    }

    /// <summary>Finds the export <c>iface#name</c> (or <c>name</c> for a world-level function) and
    /// its <c>cabi_post_</c> function in <paramref name="guest"/>.</summary>
    public static GuestFunction FromExport(CanonicalInstance instance, Instance guest, WitInterface? @interface, WitFunction function)
    {
        ArgumentNullException.ThrowIfNull(guest);
        ArgumentNullException.ThrowIfNull(function);
        string name = CoreNames.ExportName(@interface?.QualifiedName, function.CanonicalName);
        var core = guest.GetFunction(name) ?? throw new WasmLinkException($"the guest does not export `{name}`");
        return new GuestFunction(instance, function, core, guest.GetFunction(CoreNames.PostReturn(name)));
    }

    public FunctionLayout Layout { get; }

    /// <summary>Calls the function; <paramref name="results"/> receives <see cref="FunctionLayout.ResultCount"/> values.</summary>
    public void Invoke(ReadOnlySpan<ComponentValue> arguments, Span<ComponentValue> results)
    {
        if (arguments.Length != Layout.ParameterCount)
            throw new ArgumentException($"{Layout.Function.CanonicalName} takes {Layout.ParameterCount} arguments, not {arguments.Length}", nameof(arguments));
        if (results.Length < Layout.ResultCount)
            throw new ArgumentException($"{Layout.Function.CanonicalName} returns {Layout.ResultCount} results; the span holds {results.Length}", nameof(results));
        int paramCount = Layout.LiftType.Parameters.Count, resultCount = Layout.LiftType.Results.Count;
        var flatArguments = ArrayPool<WasmValue>.Shared.Rent(paramCount);
        var flatResults = ArrayPool<WasmValue>.Shared.Rent(Math.Max(resultCount, 1));
        var scope = _instance.RentScope();
        try
        {
            var cx = new LiftLowerContext(_instance, scope);
            int position = 0;
            cx.LowerFlatValues(arguments, Layout.ParameterTuple, FunctionLayout.MaxFlatParams, flatArguments, ref position);
            _core.Invoke(flatArguments.AsSpan(0, paramCount), flatResults.AsSpan(0, resultCount));
            position = 0;
            cx.LiftFlatValues(Layout.ResultTuple, FunctionLayout.MaxFlatResults, flatResults.AsSpan(0, resultCount), ref position, results);
            scope.EndCallee();
            if (_postReturn is not null)
            {
                _instance.MayLeave = false;
                try
                {
                    _postReturn.Invoke(flatResults.AsSpan(0, resultCount), []);
                }
                finally
                {
                    _instance.MayLeave = true;
                }
            }
        }
        finally
        {
            if (scope.IsActive) scope.EndCalleeWithoutCheck();
            _instance.ReturnScope(scope);
            ArrayPool<WasmValue>.Shared.Return(flatArguments, clearArray: true);
            ArrayPool<WasmValue>.Shared.Return(flatResults, clearArray: true);
        }
    }

    /// <summary>Calls the function and returns its single result (null for a function without results).</summary>
    public ComponentValue? Invoke(params ComponentValue[] arguments)
    {
        if (Layout.ResultCount > 1) throw new InvalidOperationException($"{Layout.Function.CanonicalName} has {Layout.ResultCount} results; use Invoke(arguments, results)");
        var results = new ComponentValue[Layout.ResultCount];
        Invoke(arguments, results);
        return results.Length == 0 ? null : results[0];
    }

    public override string ToString() => Layout.Function.ToString();
}
