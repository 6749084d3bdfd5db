namespace IronWasm.Components.CanonicalAbi;

// Whole parameter and result lists (CanonicalABI.md's lift_flat_values / lower_flat_values).
public readonly partial struct LiftLowerContext
{
    /// <summary>Lifts the values of <paramref name="tuple"/>'s fields from flat core values, or, when
    /// they flatten to more than <paramref name="maxFlat"/>, from the tuple a single pointer points to.</summary>
    internal void LiftFlatValues(CanonicalLayout tuple, int maxFlat, ReadOnlySpan<WasmValue> flat, ref int position, Span<ComponentValue> values)
    {
        var fields = tuple.Fields;
        if (tuple.Flat.Length > maxFlat)
        {
            uint ptr = (uint)flat[position++].AsInt32();
            var memory = Instance.RequireMemory().GetSpan();
            CheckRange(memory.Length, ptr, tuple.Size, tuple.Alignment, "the values");
            for (int i = 0; i < fields.Length; i++) values[i] = LoadValid(memory, fields[i], ptr + (uint)tuple.Offsets[i]);
        }
        else
        {
            for (int i = 0; i < fields.Length; i++) values[i] = LiftFlat(fields[i], flat, ref position);
        }
    }

    /// <summary>Lowers <paramref name="values"/> as flat core values, or, when they flatten to more
    /// than <paramref name="maxFlat"/>, into a tuple in memory: at <paramref name="outPointer"/> if
    /// given (an import's return area), else in a cabi_realloc allocation whose pointer is written flat.</summary>
    internal void LowerFlatValues(ReadOnlySpan<ComponentValue> values, CanonicalLayout tuple, int maxFlat, Span<WasmValue> flat, ref int position, uint? outPointer = null)
    {
        var fields = tuple.Fields;
        if (values.Length != fields.Length)
            throw new ArgumentException($"{values.Length} values are given for {fields.Length}");
        if (tuple.Flat.Length > maxFlat)
        {
            uint ptr;
            if (outPointer is { } given) ptr = given;
            else
            {
                ptr = Instance.Reallocate(0, 0, tuple.Alignment, (uint)tuple.Size);
                flat[position++] = WasmValue.FromInt32((int)ptr);
            }
            CheckRange(Instance.RequireMemory().Length, ptr, tuple.Size, tuple.Alignment, "the return area");
            for (int i = 0; i < fields.Length; i++) StoreValid(values[i], fields[i], ptr + (uint)tuple.Offsets[i]);
        }
        else
        {
            for (int i = 0; i < fields.Length; i++) LowerFlat(values[i], fields[i], flat, ref position);
        }
    }
}
