namespace IronWasm.Runtime;

/// <summary>Resource limits of one store (see <see cref="Store.SetLimits"/>). Memories and tables
/// consult them when created and when grown; the linker when instantiating.</summary>
internal sealed class StoreLimits
{
    /// <summary>Table size used when the store sets no limit: tables are CLR arrays, so this keeps a
    /// guest's table.grow from asking for billions of elements (it gets -1 instead).</summary>
    public const long DefaultTableElements = 10_000_000;

    /// <summary>Largest size of one linear memory, in bytes.</summary>
    public long MemoryBytes = long.MaxValue;
    /// <summary>Largest size of one table, in elements.</summary>
    public long TableElements = DefaultTableElements;
    /// <summary>Most instances, tables and memories the store may hold.</summary>
    public long Instances = 10_000;
    public long Tables = 10_000;
    public long Memories = 10_000;
}
