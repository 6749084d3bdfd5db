using IronWasm.Runtime;

namespace IronWasm;

/// <summary>A table of references: funcref tables hold <see cref="Function"/>s (or null), externref
/// tables any host object (or null).</summary>
public sealed class Table
{
    internal Table(TableInstance instance) => Instance = instance;

    /// <summary>A new table of <paramref name="minimum"/> elements, each <paramref name="initial"/>.</summary>
    public Table(Store store, ValueKind elementType, object? initial, uint minimum, uint? maximum = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (!elementType.IsReference()) throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "a table holds funcref or externref");
        if (maximum is { } max && max < minimum) throw new ArgumentOutOfRangeException(nameof(maximum), "the maximum is below the minimum");
        var type = new TableType(elementType, new Limits(minimum, maximum));
        Instance = store.CreateTable(type, ToInternal(type, initial));
        Instance.Wrapper = this;
    }

    internal static Table Wrap(TableInstance instance) => instance.Wrapper ??= new Table(instance);

    internal TableInstance Instance { get; }

    public TableType Type => Instance.Type;
    public ValueKind ElementType => Instance.Type.ElementType;

    /// <summary>Current number of elements.</summary>
    public uint Size => Instance.Length;

    /// <summary>The element at <paramref name="index"/>: a Function (or null) or an extern object (or null).</summary>
    public object? Get(uint index)
    {
        CheckIndex(index);
        var value = Instance.Elements[index];
        return ElementType == ValueKind.FuncRef ? Function.FromInternal(value) : value;
    }

    public void Set(uint index, object? value)
    {
        CheckIndex(index);
        Instance.Elements[index] = ToInternal(Instance.Type, value);
    }

    /// <summary>Grows the table by <paramref name="delta"/> elements set to <paramref name="initial"/>;
    /// returns the old size, or -1 when the table cannot grow that much.</summary>
    public long Grow(uint delta, object? initial = null) => Instance.Grow(delta, ToInternal(Instance.Type, initial));

    private void CheckIndex(uint index)
    {
        if (index >= Instance.Length)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"the table has {Instance.Length} elements");
    }

    private static object? ToInternal(TableType type, object? value)
    {
        if (type.ElementType != ValueKind.FuncRef) return value;
        return value switch
        {
            null => null,
            Function f => f.Instance,
            _ => throw new ArgumentException($"a funcref table holds Function objects, not {value.GetType().Name}", nameof(value)),
        };
    }
}
