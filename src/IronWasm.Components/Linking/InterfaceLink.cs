using System.Buffers;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Linking;

/// <summary>An import of one component satisfied by an export of another: <c>app.import X &lt;-
/// driver.export X</c>. Each function the importer calls is lifted from the importer's memory,
/// lowered into the exporter's (through <see cref="GuestFunction"/>), and its results come back the
/// same way; handles are translated through <see cref="LinkedResource"/> proxies. The exporter is
/// looked up at every call, so after a swap the next call reaches the new instance.</summary>
internal sealed class InterfaceLink
{
    private readonly int[] _exportFunction;   // by import function index
    private readonly bool[] _hasHandles;      // by import function index

    public InterfaceLink(LinkedComponent importer, WitInterface importInterface, LinkedComponent exporter, WitInterface exportInterface)
    {
        Importer = importer;
        ImportInterface = importInterface;
        Exporter = exporter;
        ExportInterface = exportInterface;
        var functions = importInterface.Functions;
        _exportFunction = new int[functions.Count];
        _hasHandles = new bool[functions.Count];
        for (int i = 0; i < functions.Count; i++)
        {
            _exportFunction[i] = exportInterface.FunctionList.FindIndex(f => f.CanonicalName == functions[i].CanonicalName);
            _hasHandles[i] = WitTypeWalker.Function(functions[i], t => t is WitHandleType);
        }
        var exportResources = ExportedInterface.ResourcesOf(exportInterface);
        Resources = ExportedInterface.ResourcesOf(importInterface)
            .Select(r => new LinkedResource(this, r, exportResources.ToList().FindIndex(e => e.Name == r.Name)))
            .ToArray();
    }

    public LinkedComponent Importer { get; }
    public WitInterface ImportInterface { get; }
    public LinkedComponent Exporter { get; }
    public WitInterface ExportInterface { get; }
    public LinkedResource[] Resources { get; }

    /// <summary>The exporter's current instance of the interface.</summary>
    public ExportedInterface Current =>
        Exporter.Current?.Exports[ExportInterface]
        ?? throw new InvalidOperationException($"{Exporter.Name} is not instantiated, so {Importer.Name} cannot call it");

    public override string ToString() =>
        $"{Importer.Name}.import {ImportInterface.QualifiedName} <- {Exporter.Name}.export {ExportInterface.QualifiedName}";

    /// <summary>Defines the importer's core imports of the interface in <paramref name="linker"/>:
    /// every function, and `[resource-drop]` for each resource. With <paramref name="direct"/>,
    /// functions without handles copy their values straight from memory to memory
    /// (<see cref="GuestFunction.InvokeFrom"/>); the others, and all without it, go through
    /// ComponentValues.</summary>
    public void DefineImports(Linker linker, CanonicalInstance importer, bool direct = true)
    {
        foreach (var resource in Resources) importer.UseResource(resource.ImportResource, resource.ImporterType);
        var functions = ImportInterface.FunctionList;
        bool Copies(WitFunction function) => direct && FunctionLayout.Of(function) is var layout
            && ValueCopier.Supports(layout.ParameterTuple) && ValueCopier.Supports(layout.ResultTuple);
        linker.DefineInterface(importer, ImportInterface, function =>
        {
            int index = functions.IndexOf(function);
            return Copies(function) ? null : (arguments, results) => Call(index, arguments, results);
        });
        string module = CoreNames.ImportModule(ImportInterface);
        for (int i = 0; i < functions.Count; i++)
        {
            if (!Copies(functions[i])) continue;
            int index = i;
            linker.DefineFunction(module, CoreNames.ImportName(functions[i]), FunctionLayout.Of(functions[i]).LowerType,
                (caller, arguments, results) => CallDirect(index, importer, caller, arguments, results));
        }
    }

    private void CallDirect(int index, CanonicalInstance importer, Caller caller, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results)
    {
        ComponentLinkerExtensions.CheckMayLeave(importer);
        importer.BindFrom(caller);
        Current.Functions[_exportFunction[index]].InvokeFrom(importer, arguments, results);
    }

    private void Call(int index, ReadOnlySpan<ComponentValue> arguments, Span<ComponentValue> results)
    {
        var target = Current;
        var function = target.Functions[_exportFunction[index]];
        if (!_hasHandles[index])
        {
            function.Invoke(arguments, results);
            return;
        }
        var mapped = ArrayPool<ComponentValue>.Shared.Rent(Math.Max(arguments.Length, 1));
        try
        {
            for (int i = 0; i < arguments.Length; i++) mapped[i] = ToExporter(arguments[i], target);
            function.Invoke(mapped.AsSpan(0, arguments.Length), results);
        }
        finally
        {
            ArrayPool<ComponentValue>.Shared.Return(mapped, clearArray: true);
        }
        for (int i = 0; i < results.Length; i++) results[i] = ToImporter(results[i], target);
    }

    /// <summary>Replaces the importer's proxy handles in <paramref name="value"/> by the exporter's
    /// handles. An own handle ends its proxy (the resource moves to the exporter).</summary>
    private ComponentValue ToExporter(in ComponentValue value, ExportedInterface target)
    {
        switch (value.Kind)
        {
            case ComponentValueKind.Own or ComponentValueKind.Borrow:
                foreach (var resource in Resources)
                {
                    if (!ReferenceEquals(resource.ImporterType, value.Resource)) continue;
                    bool own = value.Kind == ComponentValueKind.Own;
                    int rep = resource.Resolve(value.Representation, target, remove: own);
                    return ComponentValue.Handle(value.Kind, target.Resources[resource.ExportIndex], rep);
                }
                return value;
            default:
                return MapChildren(value, v => ToExporter(v, target));
        }
    }

    /// <summary>Replaces the exporter's handles in a result by new proxies the importer owns.</summary>
    private ComponentValue ToImporter(in ComponentValue value, ExportedInterface source)
    {
        switch (value.Kind)
        {
            case ComponentValueKind.Own:
                foreach (var resource in Resources)
                {
                    if (!ReferenceEquals(source.Resources[resource.ExportIndex], value.Resource)) continue;
                    return ComponentValue.Handle(ComponentValueKind.Own, resource.ImporterType, resource.Add(source, value.Representation));
                }
                return value;
            default:
                return MapChildren(value, v => ToImporter(v, source));
        }
    }

    private static ComponentValue MapChildren(in ComponentValue value, Func<ComponentValue, ComponentValue> map)
    {
        switch (value.Kind)
        {
            case ComponentValueKind.List or ComponentValueKind.Record or ComponentValueKind.Tuple:
                var items = value.Items;
                var copy = new ComponentValue[items.Length];
                for (int i = 0; i < items.Length; i++) copy[i] = map(items[i]);
                return ComponentValue.Sequence(value.Kind, copy);
            case ComponentValueKind.Variant or ComponentValueKind.Option or ComponentValueKind.Result when value.HasPayload:
                return ComponentValue.Case(value.Kind, value.CaseIndex, map(value.PayloadValue));
            default:
                return value;
        }
    }
}

/// <summary>Questions about what a WIT type contains.</summary>
internal static class WitTypeWalker
{
    public static bool Function(WitFunction function, Func<WitType, bool> predicate) =>
        function.Parameters.Any(p => Any(p.Type, predicate))
        || (function.Result is { } r && Any(r, predicate))
        || (function.NamedResults?.Any(p => Any(p.Type, predicate)) ?? false);

    /// <summary>True if <paramref name="type"/> or a type inside it satisfies <paramref name="predicate"/>.
    /// WIT types are not recursive, so the walk ends.</summary>
    public static bool Any(WitType? type, Func<WitType, bool> predicate)
    {
        if (type is null) return false;
        if (predicate(type)) return true;
        return type switch
        {
            WitNamedType n => n.Definition is not WitResourceType && Any(n.Definition, predicate),
            WitListType l => Any(l.Element, predicate),
            WitOptionType o => Any(o.Some, predicate),
            WitResultType r => Any(r.Ok, predicate) || Any(r.Err, predicate),
            WitTupleType t => t.Types.Any(x => Any(x, predicate)),
            WitMapType m => Any(m.Key, predicate) || Any(m.Value, predicate),
            WitRecordType rec => rec.Fields.Any(f => Any(f.Type, predicate)),
            WitVariantType v => v.Cases.Any(c => Any(c.Type, predicate)),
            WitFutureType f => Any(f.Payload, predicate),
            WitStreamType s => Any(s.Payload, predicate),
            _ => false,
        };
    }
}
