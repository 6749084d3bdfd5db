namespace IronWasm;

/// <summary>One import of a module: where it comes from, its kind, and the type it must have. Exactly
/// one of the type properties matching <see cref="Kind"/> is set.</summary>
public sealed record ImportDescriptor(string ModuleName, string Name, ExternalKind Kind)
{
    public FunctionType? FunctionType { get; init; }
    public TableType? TableType { get; init; }
    public MemoryType? MemoryType { get; init; }
    public GlobalType? GlobalType { get; init; }

    /// <summary>The type as an object (FunctionType, TableType, MemoryType or GlobalType).</summary>
    public object Type => (object?)FunctionType ?? (object?)TableType ?? (object?)MemoryType ?? GlobalType!;
}

/// <summary>One export of a module: its name, kind and type. Exactly one of the type properties
/// matching <see cref="Kind"/> is set.</summary>
public sealed record ExportDescriptor(string Name, ExternalKind Kind)
{
    public FunctionType? FunctionType { get; init; }
    public TableType? TableType { get; init; }
    public MemoryType? MemoryType { get; init; }
    public GlobalType? GlobalType { get; init; }

    /// <summary>The type as an object (FunctionType, TableType, MemoryType or GlobalType).</summary>
    public object Type => (object?)FunctionType ?? (object?)TableType ?? (object?)MemoryType ?? GlobalType!;
}
