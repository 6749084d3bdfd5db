namespace IronWasm;

/// <summary>A WebAssembly value type (valtype), valued by its binary encoding.</summary>
public enum ValueKind : byte
{
    I32 = 0x7F,
    I64 = 0x7E,
    F32 = 0x7D,
    F64 = 0x7C,
    V128 = 0x7B,
    FuncRef = 0x70,
    ExternRef = 0x6F,
}

internal static class ValueKindExtensions
{
    public static bool IsReference(this ValueKind type) => type is ValueKind.FuncRef or ValueKind.ExternRef;

    public static bool IsDefined(byte encoding) =>
        encoding is 0x7F or 0x7E or 0x7D or 0x7C or 0x7B or 0x70 or 0x6F;

    public static string ToText(this ValueKind type) => type switch
    {
        ValueKind.I32 => "i32",
        ValueKind.I64 => "i64",
        ValueKind.F32 => "f32",
        ValueKind.F64 => "f64",
        ValueKind.V128 => "v128",
        ValueKind.FuncRef => "funcref",
        ValueKind.ExternRef => "externref",
        _ => $"<0x{(byte)type:X2}>",
    };
}
