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

    private WasmValue[]? _spareFlat;

    /// <summary>Calls the function for another guest, <paramref name="caller"/>, whose import of it
    /// received the core <paramref name="arguments"/> (CanonicalABI.md's canon lower of this canon
    /// lift): values are copied from memory to memory by <see cref="ValueCopier"/>, without
    /// ComponentValues, and the results go to <paramref name="results"/> or to the caller's return
    /// area. Traps as <see cref="Invoke(ReadOnlySpan{ComponentValue}, Span{ComponentValue})"/> and
    /// lowering would. One difference in order: the results are copied into the caller before the
    /// post-return function runs, as in CanonicalABI.md (Invoke must copy them out first), so a
    /// trap while copying them skips it. Only for functions whose types hold no handles
    /// (<see cref="ValueCopier.Supports"/>).</summary>
    internal void InvokeFrom(CanonicalInstance caller, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results)
    {
        var layout = Layout;
        var parameters = layout.ParameterTuple;
        var inward = new ValueCopier(caller, _instance);
        // Check everything before the callee sees anything, as lifting all arguments first does.
        uint spilled = 0;
        if (layout.ParametersInMemory)
        {
            spilled = (uint)arguments[0].AsInt32();
            inward.CheckSpilled(parameters, spilled);
        }
        else
        {
            int position = 0;
            inward.CheckFlat(parameters, arguments, ref position);
        }

        int parameterCount = layout.LiftType.Parameters.Count, resultCount = layout.LiftType.Results.Count;
        // A buffer per function, reused: a nested call of the same function (reentry) makes its own.
        var buffer = _spareFlat ?? new WasmValue[parameterCount + resultCount];
        _spareFlat = null;
        try
        {
            var flatArguments = buffer.AsSpan(0, parameterCount);
            var flatResults = buffer.AsSpan(parameterCount, resultCount);
            if (layout.ParametersInMemory)
            {
                uint ptr = _instance.Reallocate(0, 0, parameters.Alignment, (uint)parameters.Size);
                flatArguments[0] = WasmValue.FromInt32((int)ptr);
                inward.CopyStored(parameters, spilled, ptr);
            }
            else
            {
                int position = 0;
                inward.CopyFlat(parameters, arguments, flatArguments, ref position);
            }

            _core.Invoke(flatArguments, flatResults);

            var outward = new ValueCopier(_instance, caller);
            var resultTuple = layout.ResultTuple;
            if (layout.ResultsInMemory)
            {
                uint ptr = (uint)flatResults[0].AsInt32();
                outward.CheckSpilled(resultTuple, ptr);
                uint area = (uint)arguments[^1].AsInt32();
                LiftLowerContext.CheckRange(caller.RequireMemory().Length, area, resultTuple.Size, resultTuple.Alignment, "the return area");
                outward.CopyStored(resultTuple, ptr, area);
            }
            else if (resultCount > 0)
            {
                int position = 0;
                outward.CheckFlat(resultTuple, flatResults, ref position);
                position = 0;
                outward.CopyFlat(resultTuple, flatResults, results, ref position);
            }

            if (_postReturn is not null)
            {
                _instance.MayLeave = false;
                try
                {
                    _postReturn.Invoke(flatResults, []);
                }
                finally
                {
                    _instance.MayLeave = true;
                }
            }
        }
        finally
        {
            _spareFlat = buffer;
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
