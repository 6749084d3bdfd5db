using System.Globalization;
using System.Runtime.Intrinsics;

namespace IronWasm.Cli;

/// <summary>Text to Wasm values and back for <c>run --invoke</c>: arguments are parsed by the export's
/// parameter types, results printed one per line.</summary>
internal static class InvokeValues
{
    /// <summary>i32/i64: decimal (signed, or unsigned up to the type's width) or 0x hex; f32/f64: a
    /// decimal or nan/inf/-inf; v128: 0x and up to 32 hex digits (a 128-bit little-endian number);
    /// funcref/externref: null.</summary>
    public static WasmValue Parse(ValueKind kind, string text, out string? error)
    {
        error = null;
        var s = text.Trim();
        switch (kind)
        {
            case ValueKind.I32:
                if (TryParseInteger(s, out bool negative32, out ulong magnitude32) && magnitude32 <= (negative32 ? 1UL << 31 : uint.MaxValue))
                    return WasmValue.FromInt32(unchecked(negative32 ? (int)-(long)magnitude32 : (int)(uint)magnitude32));
                break;
            case ValueKind.I64:
                if (TryParseInteger(s, out bool negative64, out ulong magnitude64) && (!negative64 || magnitude64 <= 1UL << 63))
                    return WasmValue.FromInt64(unchecked(negative64 ? -(long)magnitude64 : (long)magnitude64));
                break;
            case ValueKind.F32:
                if (TryParseFloat(s, out var f32)) return WasmValue.FromSingle((float)f32);
                break;
            case ValueKind.F64:
                if (TryParseFloat(s, out var f64)) return WasmValue.FromDouble(f64);
                break;
            case ValueKind.V128:
                if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && s.Length is > 2 and <= 34
                    && UInt128.TryParse(s.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits))
                    return WasmValue.FromVector(Vector128.Create((ulong)bits, (ulong)(bits >> 64)).AsByte());
                break;
            case ValueKind.FuncRef or ValueKind.ExternRef:
                if (s == "null") return WasmValue.Null(kind);
                break;
        }
        error = $"`{text}` is not {Describe(kind)}";
        return default;
    }

    private static string Describe(ValueKind kind) => kind switch
    {
        ValueKind.I32 => "an i32 (e.g. 42, -1, 4294967295, 0xff)",
        ValueKind.I64 => "an i64 (e.g. 42, -1, 0xffffffffffffffff)",
        ValueKind.F32 => "an f32 (e.g. 1.5, -0, nan, inf)",
        ValueKind.F64 => "an f64 (e.g. 1.5, -0, nan, inf)",
        ValueKind.V128 => "a v128 (0x followed by up to 32 hex digits)",
        _ => "a reference: only `null` can be written on the command line",
    };

    private static bool TryParseInteger(string s, out bool negative, out ulong magnitude)
    {
        magnitude = 0;
        negative = s.StartsWith('-');
        var digits = negative ? s[1..] : s;
        bool hex = digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
        if (hex) digits = digits[2..];
        digits = digits.Replace("_", "");
        return digits.Length > 0
            && ulong.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None, CultureInfo.InvariantCulture, out magnitude);
    }

    private static bool TryParseFloat(string s, out double value)
    {
        switch (s.ToLowerInvariant())
        {
            case "nan" or "+nan": value = double.NaN; return true;
            case "-nan": value = -double.NaN; return true;
            case "inf" or "+inf" or "infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>A result as text: integers in signed decimal, floats as the shortest text that reads
    /// back to the same value, a v128 as 0x and 32 hex digits, references as null or their kind.</summary>
    public static string Format(WasmValue value) => value.Kind switch
    {
        ValueKind.I32 => value.AsInt32().ToString(CultureInfo.InvariantCulture),
        ValueKind.I64 => value.AsInt64().ToString(CultureInfo.InvariantCulture),
        ValueKind.F32 => FormatFloat(value.AsSingle()),
        ValueKind.F64 => FormatFloat(value.AsDouble()),
        ValueKind.V128 => FormatVector(value.AsVector()),
        ValueKind.FuncRef => value.IsNullReference ? "null" : "<funcref>",
        ValueKind.ExternRef => value.IsNullReference ? "null" : "<externref>",
        _ => "?",
    };

    private static string FormatFloat(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatFloat(float value) =>
        float.IsNaN(value) ? "nan" : float.IsPositiveInfinity(value) ? "inf" : float.IsNegativeInfinity(value) ? "-inf"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string FormatVector(Vector128<byte> vector)
    {
        var halves = vector.AsUInt64();
        return $"0x{halves.GetElement(1):x16}{halves.GetElement(0):x16}";
    }
}
