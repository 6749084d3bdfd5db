using IronWasm.Model;

namespace IronWasm.Validation;

/// <summary>Checks that a decoded module is valid (the spec's "Validation" chapter, WebAssembly 2.0):
/// the module-level rules here, function bodies in <see cref="FunctionValidator"/>, constant
/// expressions in <see cref="ConstantExpressionValidator"/>.</summary>
internal static class ModuleValidator
{
    // A validator keeps its stacks between functions and modules so that validating allocates
    // nothing per function once warmed up; one per thread keeps concurrent validations apart.
    [ThreadStatic] private static FunctionValidator? t_functionValidator;

    /// <summary>Throws <see cref="WasmValidationException"/> (or <see cref="WasmFormatException"/> for
    /// malformed instruction bytes) unless <paramref name="module"/> is valid.</summary>
    public static void Validate(ModuleDefinition module)
    {
        if (module.Bodies.Count != module.FunctionTypeIndices.Count)
            throw new WasmFormatException("function and code section have inconsistent lengths", -1);

        var context = new ValidationContext(module);
        ValidateImports(module);
        foreach (var typeIndex in module.FunctionTypeIndices) CheckTypeIndex(module, typeIndex);
        foreach (var table in module.Tables) ValidateTableType(table);
        foreach (var memory in module.Memories) ValidateMemoryType(memory);
        if (context.MemoryCount > 1) throw new WasmValidationException("multiple memories");
        ValidateGlobals(module, context);
        ValidateExports(module, context);
        ValidateStart(module, context);
        ValidateElements(module, context);
        ValidateData(module, context);
        ValidateCode(module, context);
    }

    private static void ValidateImports(ModuleDefinition module)
    {
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function: CheckTypeIndex(module, import.FunctionTypeIndex); break;
                case ExternalKind.Table: ValidateTableType(import.Table!); break;
                case ExternalKind.Memory: ValidateMemoryType(import.Memory!); break;
                case ExternalKind.Global: break; // every global type is valid
            }
        }
    }

    private static void CheckTypeIndex(ModuleDefinition module, uint typeIndex)
    {
        if (typeIndex >= (uint)module.Types.Count) throw new WasmValidationException($"unknown type {typeIndex}");
    }

    private static void ValidateTableType(TableType table)
    {
        // Table sizes range over all of u32, so only the ordering of the limits can be wrong.
        if (table.Limits.Maximum is { } max && table.Limits.Minimum > max)
            throw new WasmValidationException("size minimum must not be greater than maximum");
    }

    private static void ValidateMemoryType(MemoryType memory)
    {
        var limits = memory.Limits;
        if (limits.Minimum > MemoryType.MaxPages || limits.Maximum > MemoryType.MaxPages)
            throw new WasmValidationException("memory size must be at most 65536 pages (4GiB)");
        if (limits.Maximum is { } max && limits.Minimum > max)
            throw new WasmValidationException("size minimum must not be greater than maximum");
    }

    private static void ValidateGlobals(ModuleDefinition module, ValidationContext context)
    {
        foreach (var global in module.Globals)
            ConstantExpressionValidator.Validate(global.Initializer, global.Type.ValueKind, context);
    }

    private static void ValidateExports(ModuleDefinition module, ValidationContext context)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var export in module.Exports)
        {
            if (!names.Add(export.Name)) throw new WasmValidationException($"duplicate export name \"{export.Name}\"");
            uint index = export.Index;
            switch (export.Kind)
            {
                case ExternalKind.Function:
                    if (index >= (uint)context.FunctionTypeIndices.Length) throw new WasmValidationException($"unknown function {index}");
                    context.DeclaredFunctions[index] = true;
                    break;
                case ExternalKind.Table:
                    if (index >= (uint)context.TableElementTypes.Length) throw new WasmValidationException($"unknown table {index}");
                    break;
                case ExternalKind.Memory:
                    if (index >= (uint)context.MemoryCount) throw new WasmValidationException($"unknown memory {index}");
                    break;
                case ExternalKind.Global:
                    if (index >= (uint)context.GlobalTypes.Length) throw new WasmValidationException($"unknown global {index}");
                    break;
                default:
                    throw new WasmValidationException($"unknown export kind {(byte)export.Kind}");
            }
        }
    }

    private static void ValidateStart(ModuleDefinition module, ValidationContext context)
    {
        if (module.StartFunction is not { } start) return;
        if (start >= (uint)context.FunctionTypeIndices.Length) throw new WasmValidationException($"unknown function {start}");
        uint typeIndex = context.FunctionTypeIndices[start];
        if (context.TypeParameters[typeIndex].Length != 0 || context.TypeResults[typeIndex].Length != 0)
            throw new WasmValidationException($"start function {start} must have type [] -> [], not {module.Types[(int)typeIndex]}");
    }

    private static void ValidateElements(ModuleDefinition module, ValidationContext context)
    {
        foreach (var segment in module.Elements)
        {
            var elementType = segment.ElementType;
            if (!elementType.IsReference())
                throw new WasmValidationException($"element segment of non-reference type {elementType.ToText()}");
            if (segment.FunctionIndices is { } functions)
            {
                if (elementType != ValueKind.FuncRef)
                    throw new WasmValidationException($"type mismatch: function indices in an element segment of type {elementType.ToText()}");
                foreach (var function in functions)
                {
                    if (function >= (uint)context.FunctionTypeIndices.Length) throw new WasmValidationException($"unknown function {function}");
                    context.DeclaredFunctions[function] = true;
                }
            }
            else
            {
                foreach (var item in segment.Expressions!)
                    ConstantExpressionValidator.Validate(item, elementType, context);
            }

            if (segment.Mode == SegmentMode.Active)
            {
                uint table = segment.TableIndex;
                if (table >= (uint)context.TableElementTypes.Length)
                    throw new WasmValidationException($"unknown table {table}", null, segment.Offset?.Offset ?? -1);
                if (context.TableElementTypes[table] != elementType)
                    throw new WasmValidationException(
                        $"type mismatch: element segment of type {elementType.ToText()} for table {table} of type {context.TableElementTypes[table].ToText()}",
                        null, segment.Offset?.Offset ?? -1);
                ConstantExpressionValidator.Validate(RequireOffset(segment.Offset), ValueKind.I32, context);
            }
        }
    }

    private static void ValidateData(ModuleDefinition module, ValidationContext context)
    {
        foreach (var segment in module.Data)
        {
            if (segment.Mode != SegmentMode.Active) continue;
            var offset = RequireOffset(segment.Offset);
            if (segment.MemoryIndex >= (uint)context.MemoryCount)
                throw new WasmValidationException($"unknown memory {segment.MemoryIndex}", null, offset.Offset);
            ConstantExpressionValidator.Validate(offset, ValueKind.I32, context);
        }
    }

    private static ConstantExpression RequireOffset(ConstantExpression? offset) =>
        offset ?? throw new WasmFormatException("active segment without an offset expression", -1);

    private static void ValidateCode(ModuleDefinition module, ValidationContext context)
    {
        var validator = t_functionValidator ??= new FunctionValidator();
        try
        {
            for (int i = 0; i < module.Bodies.Count; i++) validator.Validate(context, i);
        }
        finally
        {
            validator.Release();
        }
    }
}
