using System.Buffers;
using IronWasm.Components.Wit;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>A host implementation of a WIT function. <paramref name="arguments"/> are lifted from
/// the guest and valid (invalid guest values trapped before the call); borrowed handles in them are
/// valid until the callback returns. Fill <paramref name="results"/> (one per result).</summary>
public delegate void ComponentCallback(ReadOnlySpan<ComponentValue> arguments, Span<ComponentValue> results);

/// <summary>Defines host functions for a guest's canonical-ABI imports (`canon lower`), under the
/// names bindings generators use.</summary>
public static class ComponentLinkerExtensions
{
    /// <summary>Defines <paramref name="function"/> as import <c>module::[method]r.m</c> (etc.) for the
    /// guest of <paramref name="instance"/>: the core arguments are lifted (from the spilled tuple
    /// beyond 16 flat values), the callback runs, and its results are lowered (into the guest's
    /// return area when they do not fit one flat value). Lent handles are returned afterwards.</summary>
    public static Linker DefineComponentFunction(this Linker linker, CanonicalInstance instance, string module, WitFunction function, ComponentCallback callback)
    {
        ArgumentNullException.ThrowIfNull(linker);
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(callback);
        var layout = FunctionLayout.Of(function);
        return linker.DefineFunction(module, CoreNames.ImportName(function), layout.LowerType,
            (caller, arguments, results) => CallHost(instance, layout, callback, caller, arguments, results));
    }

    /// <summary>Defines every function of <paramref name="interface"/> from <paramref name="implementation"/>
    /// (null for functions the host leaves undefined), plus `[resource-drop]` for each resource.</summary>
    public static Linker DefineInterface(this Linker linker, CanonicalInstance instance, WitInterface @interface, Func<WitFunction, ComponentCallback?> implementation)
    {
        ArgumentNullException.ThrowIfNull(@interface);
        ArgumentNullException.ThrowIfNull(implementation);
        string module = CoreNames.ImportModule(@interface);
        foreach (var function in @interface.Functions)
        {
            if (implementation(function) is { } callback) linker.DefineComponentFunction(instance, module, function, callback);
        }
        foreach (var type in @interface.Types)
        {
            if (type.IsResource && !type.IsAlias) linker.DefineResourceDrop(instance, module, type);
        }
        return linker;
    }

    /// <summary>Defines <c>module::[resource-drop]r</c>: the guest drops a handle; an owned handle's
    /// destructor runs.</summary>
    public static Linker DefineResourceDrop(this Linker linker, CanonicalInstance instance, string module, WitNamedType resource)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(resource);
        return linker.DefineFunction(module, CoreNames.ResourceDrop(resource.Name), new FunctionType([ValueKind.I32], []), (caller, arguments, results) =>
        {
            CheckMayLeave(instance);
            instance.Handles.Drop(instance.GetResource(resource), arguments[0].AsInt32());
        });
    }

    /// <summary>Defines <c>[resource-new]r</c> and <c>[resource-rep]r</c> in module <c>[export]iface</c>,
    /// which a guest that implements <paramref name="resource"/> uses to make and read handles.</summary>
    public static Linker DefineResourceIntrinsics(this Linker linker, CanonicalInstance instance, string interfaceName, WitNamedType resource)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(resource);
        string module = CoreNames.ExportedResourceModule(interfaceName);
        var type = new FunctionType([ValueKind.I32], [ValueKind.I32]);
        linker.DefineFunction(module, CoreNames.ResourceNew(resource.Name), type, (caller, arguments, results) =>
        {
            CheckMayLeave(instance);
            results[0] = WasmValue.FromInt32(instance.Handles.New(instance.GetResource(resource), arguments[0].AsInt32()));
        });
        linker.DefineFunction(module, CoreNames.ResourceRep(resource.Name), type, (caller, arguments, results) =>
            results[0] = WasmValue.FromInt32(instance.Handles.Rep(instance.GetResource(resource), arguments[0].AsInt32())));
        return linker.DefineFunction(module, CoreNames.ResourceDrop(resource.Name), new FunctionType([ValueKind.I32], []), (caller, arguments, results) =>
        {
            CheckMayLeave(instance);
            instance.Handles.Drop(instance.GetResource(resource), arguments[0].AsInt32());
        });
    }

    internal static void CheckMayLeave(CanonicalInstance instance)
    {
        if (!instance.MayLeave)
            AbiTrap.Throw(CanonicalAbiError.CannotLeave, "the guest called an import from cabi_realloc or a post-return function");
    }

    private static void CallHost(CanonicalInstance instance, FunctionLayout layout, ComponentCallback callback,
        Caller caller, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results)
    {
        CheckMayLeave(instance);
        instance.BindFrom(caller);
        int parameterCount = layout.ParameterCount, resultCount = layout.ResultCount;
        var values = ArrayPool<ComponentValue>.Shared.Rent(Math.Max(parameterCount + resultCount, 1));
        var scope = instance.RentScope();
        try
        {
            var cx = new LiftLowerContext(instance, scope);
            var parameterValues = values.AsSpan(0, parameterCount);
            var resultValues = values.AsSpan(parameterCount, resultCount);
            int position = 0;
            cx.LiftFlatValues(layout.ParameterTuple, FunctionLayout.MaxFlatParams, arguments, ref position, parameterValues);
            callback(parameterValues, resultValues);
            position = 0;
            uint? returnArea = layout.ResultsInMemory ? (uint)arguments[^1].AsInt32() : null;
            cx.LowerFlatValues(resultValues, layout.ResultTuple, FunctionLayout.MaxFlatResults, results, ref position, returnArea);
        }
        finally
        {
            scope.EndCaller();
            instance.ReturnScope(scope);
            ArrayPool<ComponentValue>.Shared.Return(values, clearArray: true);
        }
    }
}
