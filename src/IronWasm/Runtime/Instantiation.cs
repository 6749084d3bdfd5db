using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Module instantiation in the order of the WebAssembly 2.0 specification: resolve and
/// type-check imports, allocate functions (as lazy stubs), globals, tables and memories, evaluate
/// element segments, apply active element then data segments in order (a segment out of bounds traps;
/// writes made before it stay, as the spec says), then run the start function.</summary>
internal static class Instantiation
{
    public static Instance Run(Store store, Module module, Func<string, string, object?> resolve)
    {
        store.ThrowIfDisposed();
        if (store.InstanceCount >= store.Limits.Instances)
            throw new TrapException(TrapCode.ResourceLimitExceeded, "the store's instance count limit was reached");

        var compiled = module.Compiled;
        var definition = compiled.Definition;
        var context = new InstanceContext
        {
            Module = compiled,
            Execution = store.Execution,
            TypeIds = compiled.TypeIds,
        };
        var functions = new FunctionInstance[definition.FunctionSpace.Count];
        var tables = new TableInstance[definition.TableSpace.Count];
        var memories = new MemoryInstance[definition.MemorySpace.Count];
        var globals = new GlobalInstance[definition.GlobalSpace.Count];
        context.Functions = functions;
        context.Tables = tables;
        context.Memories = memories;
        context.Globals = globals;

        // One Caller serves every Caller-taking host function this instance imports.
        var caller = new Caller(store);
        int f = 0, t = 0, m = 0, g = 0;
        foreach (var import in definition.Imports)
        {
            var item = resolve(import.Module, import.Name)
                ?? throw new WasmLinkException($"unknown import: `{import.Module}::{import.Name}` has not been defined");
            switch (import.Kind)
            {
                case ExternalKind.Function:
                    functions[f++] = ResolveFunction(store, import, definition.Types[(int)import.FunctionTypeIndex], item, caller);
                    break;
                case ExternalKind.Table:
                    tables[t++] = ResolveTable(import, item);
                    break;
                case ExternalKind.Memory:
                    memories[m++] = ResolveMemory(store, import, item);
                    break;
                case ExternalKind.Global:
                    globals[g++] = ResolveGlobal(import, item);
                    break;
            }
        }

        var factories = compiled.StubFactories;
        var typeIds = context.TypeIds;
        for (int i = 0; i < definition.FunctionTypeIndices.Count; i++)
        {
            int typeIndex = (int)definition.FunctionTypeIndices[i];
            var function = new FunctionInstance
            {
                Type = definition.Types[typeIndex],
                TypeId = typeIds[typeIndex],
                Owner = context,
                Index = f,
                Execution = store.Execution,
            };
            function.Callable = factories[typeIndex].Create(function);
            functions[f++] = function;
        }

        foreach (var global in definition.Globals)
        {
            var instance = new GlobalInstance { Type = global.Type };
            Global.Write(instance, ConstantEvaluator.Evaluate(global.Initializer, context));
            globals[g++] = instance;
        }
        foreach (var table in definition.Tables) tables[t++] = store.CreateTable(table, null);
        foreach (var memory in definition.Memories) memories[m++] = store.CreateMemory(memory);
        context.Memory0 = memories.Length > 0 ? memories[0] : null;

        var elements = new object?[definition.Elements.Count][];
        for (int i = 0; i < elements.Length; i++) elements[i] = EvaluateElements(definition.Elements[i], context);
        context.ElementSegments = elements;
        var dataSegments = new ReadOnlyMemory<byte>[definition.Data.Count];
        for (int i = 0; i < dataSegments.Length; i++) dataSegments[i] = definition.Data[i].Bytes;
        context.DataSegments = dataSegments;

        var instanceObject = new Instance(store, module, context);
        caller.Instance = instanceObject;
        store.InstanceCount++;

        for (int i = 0; i < elements.Length; i++)
        {
            var segment = definition.Elements[i];
            if (segment.Mode == SegmentMode.Active)
            {
                uint offset = (uint)ConstantEvaluator.Evaluate(segment.Offset!, context).AsInt32();
                tables[segment.TableIndex].Init(elements[i], offset, 0, (uint)elements[i].Length);
            }
            if (segment.Mode != SegmentMode.Passive) elements[i] = [];
        }
        for (int i = 0; i < definition.Data.Count; i++)
        {
            var segment = definition.Data[i];
            if (segment.Mode != SegmentMode.Active) continue;
            uint offset = (uint)ConstantEvaluator.Evaluate(segment.Offset!, context).AsInt32();
            memories[segment.MemoryIndex].Init(segment.Bytes, offset, 0, (uint)segment.Bytes.Length);
            context.DataSegments[i] = ReadOnlyMemory<byte>.Empty;
        }

        if (definition.StartFunction is { } start)
            Function.Wrap(functions[start]).Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
        return instanceObject;
    }

    private static object?[] EvaluateElements(ElementSegment segment, InstanceContext context)
    {
        var items = new object?[segment.Count];
        if (segment.FunctionIndices is { } indices)
        {
            for (int i = 0; i < indices.Length; i++) items[i] = context.Functions[indices[i]];
        }
        else
        {
            var expressions = segment.Expressions!;
            for (int i = 0; i < expressions.Length; i++) items[i] = ConstantEvaluator.Evaluate(expressions[i], context).InternalReference;
        }
        return items;
    }

    private static FunctionInstance ResolveFunction(Store store, ImportDefinition import, FunctionType expected, object item, Caller caller)
    {
        var function = item switch
        {
            HostFunctionDefinition host => host.Materialize(store, caller),
            Function { Instance: { } instance } => instance,
            _ => throw Incompatible(import, $"expected a function, found {Describe(item)}"),
        };
        if (!function.Type.Equals(expected))
            throw Incompatible(import, $"expected function type {expected}, found {function.Type}");
        return function;
    }

    private static TableInstance ResolveTable(ImportDefinition import, object item)
    {
        if (item is not Table table) throw Incompatible(import, $"expected a table, found {Describe(item)}");
        var expected = import.Table!;
        var actual = table.Instance;
        if (actual.Type.ElementType != expected.ElementType)
            throw Incompatible(import, $"expected a table of {expected.ElementType.ToText()}, found {actual.Type.ElementType.ToText()}");
        if (!LimitsMatch(actual.Length, actual.Type.Limits.Maximum, expected.Limits))
            throw Incompatible(import, $"expected table limits {expected.Limits}, found {actual.Length}..{actual.Type.Limits.Maximum}");
        return actual;
    }

    private static MemoryInstance ResolveMemory(Store store, ImportDefinition import, object item)
    {
        if (item is not Memory memory) throw Incompatible(import, $"expected a memory, found {Describe(item)}");
        if (memory.Store is { } owner && owner != store) throw new WasmLinkException($"`{import.Module}::{import.Name}`: the memory belongs to another store");
        var expected = import.Memory!;
        var actual = memory.Instance;
        if (!LimitsMatch(actual.Pages, actual.Type.Limits.Maximum, expected.Limits))
            throw Incompatible(import, $"expected memory limits {expected.Limits}, found {actual.Pages}..{actual.Type.Limits.Maximum}");
        return actual;
    }

    private static GlobalInstance ResolveGlobal(ImportDefinition import, object item)
    {
        if (item is not Global global) throw Incompatible(import, $"expected a global, found {Describe(item)}");
        var expected = import.Global!;
        if (global.Instance.Type != expected)
            throw Incompatible(import, $"expected global {Describe(expected)}, found {Describe(global.Instance.Type)}");
        return global.Instance;
    }

    /// <summary>Limits subtyping: the actual size is at least the expected minimum, and if a maximum is
    /// expected the actual one exists and is no larger. The actual minimum is the current size.</summary>
    private static bool LimitsMatch(uint actualSize, uint? actualMaximum, Limits expected) =>
        actualSize >= expected.Minimum &&
        (expected.Maximum is not { } max || (actualMaximum is { } actualMax && actualMax <= max));

    private static WasmLinkException Incompatible(ImportDefinition import, string detail) =>
        new($"incompatible import type for `{import.Module}::{import.Name}`: {detail}");

    private static string Describe(object item) => item switch
    {
        HostFunctionDefinition or Function => "a function",
        Table => "a table",
        Memory => "a memory",
        Global => "a global",
        _ => item.GetType().Name,
    };

    private static string Describe(GlobalType type) => type.Mutable ? $"(mut {type.ValueKind.ToText()})" : type.ValueKind.ToText();
}
