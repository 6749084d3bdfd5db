namespace IronWasm.Components.CanonicalAbi;

// In a file of its own because the bindings generator compiles it (with CanonicalLayout) too.

/// <summary>The shape of a <see cref="ComponentValue"/>: one per WIT value type.</summary>
public enum ComponentValueKind : byte
{
    None, Bool, S8, U8, S16, U16, S32, U32, S64, U64, F32, F64, Char, String,
    List, Record, Tuple, Variant, Enum, Option, Result, Flags, Own, Borrow,
}
