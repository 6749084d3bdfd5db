namespace IronWasm.Model;

/// <summary>An import as declared in the import section. Exactly one of the descriptor properties
/// matching <see cref="Kind"/> is set.</summary>
internal sealed record ImportDefinition(string Module, string Name, ExternalKind Kind)
{
    public uint FunctionTypeIndex { get; init; }
    public TableType? Table { get; init; }
    public MemoryType? Memory { get; init; }
    public GlobalType? Global { get; init; }
}

internal sealed record ExportDefinition(string Name, ExternalKind Kind, uint Index);

/// <summary>A constant expression (global initialisers, segment offsets, element items), kept as
/// its encoded instruction bytes including the final <c>end</c>. <see cref="Offset"/> is its
/// position in the module binary, for error messages.</summary>
internal sealed record ConstantExpression(ReadOnlyMemory<byte> Code, int Offset);

internal sealed record GlobalDefinition(GlobalType Type, ConstantExpression Initializer);

internal enum SegmentMode : byte { Passive, Active, Declarative }

/// <summary>An element segment. Items are either function indices (the compact encodings) or
/// constant expressions; exactly one of <see cref="FunctionIndices"/> and <see cref="Expressions"/>
/// is non-null.</summary>
internal sealed record ElementSegment(SegmentMode Mode, ValueKind ElementType, uint TableIndex, ConstantExpression? Offset)
{
    public uint[]? FunctionIndices { get; init; }
    public ConstantExpression[]? Expressions { get; init; }
    public int Count => FunctionIndices?.Length ?? Expressions!.Length;
}

internal sealed record DataSegment(SegmentMode Mode, uint MemoryIndex, ConstantExpression? Offset, ReadOnlyMemory<byte> Bytes);

/// <summary>A run of locals of one type, as declared in a function body.</summary>
internal readonly record struct LocalRun(uint Count, ValueKind Type);

/// <summary>A defined function's body: its declared locals and its expression bytes (after the
/// locals, up to and including the final <c>end</c>). <see cref="CodeOffset"/> is the position of
/// the expression within the module binary, so offsets reported by the validator and in backtraces
/// are module offsets.</summary>
internal sealed record FunctionBody(LocalRun[] Locals, ReadOnlyMemory<byte> Code, int CodeOffset, int BodyOffset);

internal sealed record CustomSection(string Name, ReadOnlyMemory<byte> Content, int Offset);

/// <summary>Contents of the "name" custom section, where present and well-formed.</summary>
internal sealed class NameSection
{
    public string? ModuleName { get; set; }
    public Dictionary<uint, string> FunctionNames { get; } = new();
    public Dictionary<uint, Dictionary<uint, string>> LocalNames { get; } = new();
}

/// <summary>A decoded module: the sections of the binary format as plain data, with function
/// bodies left encoded. Produced by the decoder, checked by the validator, consumed by the
/// compiler and runtime. Function, table, memory and global index spaces begin with imports.</summary>
internal sealed class ModuleDefinition
{
    public List<FunctionType> Types { get; } = new();
    public List<ImportDefinition> Imports { get; } = new();
    /// <summary>Type index of each defined (non-imported) function.</summary>
    public List<uint> FunctionTypeIndices { get; } = new();
    public List<TableType> Tables { get; } = new();
    public List<MemoryType> Memories { get; } = new();
    public List<GlobalDefinition> Globals { get; } = new();
    public List<ExportDefinition> Exports { get; } = new();
    public uint? StartFunction { get; set; }
    public List<ElementSegment> Elements { get; } = new();
    public uint? DataCount { get; set; }
    public List<FunctionBody> Bodies { get; } = new();
    public List<DataSegment> Data { get; } = new();
    public List<CustomSection> CustomSections { get; } = new();
    public NameSection? Names { get; set; }

    // Whole index spaces (imports first, then definitions), filled in by the decoder (or by
    // ModuleDefinition.ComputeIndexSpaces) once all sections are read.
    public List<FunctionType> FunctionSpace { get; } = new();
    public List<TableType> TableSpace { get; } = new();
    public List<MemoryType> MemorySpace { get; } = new();
    public List<GlobalType> GlobalSpace { get; } = new();

    public int ImportedFunctionCount { get; private set; }
    public int ImportedTableCount { get; private set; }
    public int ImportedMemoryCount { get; private set; }
    public int ImportedGlobalCount { get; private set; }

    /// <summary>Rebuilds the index spaces from imports and definitions. Type indices must already
    /// be in range (the decoder checks them before calling this).</summary>
    public void ComputeIndexSpaces()
    {
        FunctionSpace.Clear(); TableSpace.Clear(); MemorySpace.Clear(); GlobalSpace.Clear();
        foreach (var import in Imports)
        {
            switch (import.Kind)
            {
                case ExternalKind.Function: FunctionSpace.Add(Types[(int)import.FunctionTypeIndex]); break;
                case ExternalKind.Table: TableSpace.Add(import.Table!); break;
                case ExternalKind.Memory: MemorySpace.Add(import.Memory!); break;
                case ExternalKind.Global: GlobalSpace.Add(import.Global!); break;
            }
        }
        ImportedFunctionCount = FunctionSpace.Count;
        ImportedTableCount = TableSpace.Count;
        ImportedMemoryCount = MemorySpace.Count;
        ImportedGlobalCount = GlobalSpace.Count;
        foreach (var typeIndex in FunctionTypeIndices) FunctionSpace.Add(Types[(int)typeIndex]);
        TableSpace.AddRange(Tables);
        MemorySpace.AddRange(Memories);
        foreach (var global in Globals) GlobalSpace.Add(global.Type);
    }

    public string? GetFunctionName(uint functionIndex) =>
        Names is not null && Names.FunctionNames.TryGetValue(functionIndex, out var name) ? name : null;
}
