namespace IronWasm;

/// <summary>Size limits of a memory (in 64 KiB pages) or a table (in elements).</summary>
public readonly record struct Limits(uint Minimum, uint? Maximum)
{
    public override string ToString() => Maximum is { } max ? $"{Minimum}..{max}" : $"{Minimum}..";
}

public sealed record TableType(ValueKind ElementType, Limits Limits);

public sealed record MemoryType(Limits Limits)
{
    public const int PageSize = 65536;
    /// <summary>The largest page count a 32-bit memory can have (4 GiB).</summary>
    public const uint MaxPages = 65536;
}

public sealed record GlobalType(ValueKind ValueKind, bool Mutable);

/// <summary>The kind of an import or export.</summary>
public enum ExternalKind : byte
{
    Function = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}
