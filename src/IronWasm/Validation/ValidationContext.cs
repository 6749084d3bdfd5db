using IronWasm.Model;

namespace IronWasm.Validation;

/// <summary>The spec's validation context C for a module: the types of everything an instruction can
/// refer to, flattened into arrays so that typing a function body does no dictionary or list lookups.
/// Built by <see cref="ModuleValidator"/> after the module-level index checks.</summary>
internal sealed class ValidationContext
{
    public ValidationContext(ModuleDefinition module)
    {
        Module = module;
        int typeCount = module.Types.Count;
        TypeParameters = new ValueKind[typeCount][];
        TypeResults = new ValueKind[typeCount][];
        for (int i = 0; i < typeCount; i++)
        {
            TypeParameters[i] = module.Types[i].Parameters.ToArray();
            TypeResults[i] = module.Types[i].Results.ToArray();
        }

        var functions = new List<uint>();
        var tables = new List<ValueKind>();
        var globals = new List<GlobalType>();
        foreach (var import in module.Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function: functions.Add(import.FunctionTypeIndex); break;
                case ExternalKind.Table: tables.Add(import.Table!.ElementType); break;
                case ExternalKind.Memory: MemoryCount++; break;
                case ExternalKind.Global: globals.Add(import.Global!); break;
            }
        }
        ImportedFunctionCount = functions.Count;
        ImportedGlobalCount = globals.Count;
        functions.AddRange(module.FunctionTypeIndices);
        foreach (var table in module.Tables) tables.Add(table.ElementType);
        MemoryCount += module.Memories.Count;
        foreach (var global in module.Globals) globals.Add(global.Type);

        FunctionTypeIndices = functions.ToArray();
        TableElementTypes = tables.ToArray();
        GlobalTypes = new ValueKind[globals.Count];
        GlobalMutable = new bool[globals.Count];
        for (int i = 0; i < globals.Count; i++)
        {
            GlobalTypes[i] = globals[i].ValueKind;
            GlobalMutable[i] = globals[i].Mutable;
        }
        ElementTypes = new ValueKind[module.Elements.Count];
        for (int i = 0; i < ElementTypes.Length; i++) ElementTypes[i] = module.Elements[i].ElementType;
        DeclaredFunctions = new bool[FunctionTypeIndices.Length];
    }

    public ModuleDefinition Module { get; }
    public ValueKind[][] TypeParameters { get; }
    public ValueKind[][] TypeResults { get; }
    /// <summary>Type index of every function in the function index space (imports first).</summary>
    public uint[] FunctionTypeIndices { get; }
    public int ImportedFunctionCount { get; }
    public ValueKind[] TableElementTypes { get; }
    public int MemoryCount { get; }
    public ValueKind[] GlobalTypes { get; }
    public bool[] GlobalMutable { get; }
    public int ImportedGlobalCount { get; }
    /// <summary>Element type of every element segment.</summary>
    public ValueKind[] ElementTypes { get; }
    /// <summary>C.refs: the functions that <c>ref.func</c> may name inside function bodies, i.e. those
    /// referenced anywhere in the module outside function bodies and the start section.</summary>
    public bool[] DeclaredFunctions { get; }
}
