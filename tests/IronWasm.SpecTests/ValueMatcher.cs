using System.Runtime.Intrinsics;
using IronWasm.Text;

namespace IronWasm.SpecTests;

/// <summary>Compares a result with a script's expectation, bit for bit, with the spec's NaN
/// patterns: nan:canonical (only the quiet bit set in the payload, either sign) and
/// nan:arithmetic (quiet bit set, any payload).</summary>
internal static class ValueMatcher
{
    public static bool Matches(WastExpected expected, WasmValue actual, Dictionary<uint, ExternObject> externs)
    {
        if (actual.Kind != expected.Kind) return false;
        switch (expected.Kind)
        {
            case ValueKind.I32: return (uint)actual.AsInt32() == (uint)expected.Bits;
            case ValueKind.I64: return (ulong)actual.AsInt64() == expected.Bits;
            case ValueKind.F32: return MatchesF32(expected.NaN, (uint)expected.Bits, actual.AsSingleBits());
            case ValueKind.F64: return MatchesF64(expected.NaN, expected.Bits, actual.AsDoubleBits());
            case ValueKind.V128: return MatchesVector(expected, actual.AsVector());
            case ValueKind.FuncRef:
                if (expected.IsNull) return actual.IsNullReference;
                return !actual.IsNullReference;
            case ValueKind.ExternRef:
                if (expected.IsNull) return actual.IsNullReference;
                return actual.AsExternRef() is ExternObject obj && expected.ExternId == obj.Id;
            default:
                return false;
        }
    }

    private static bool MatchesF32(WastNaN nan, uint expected, uint actual) => nan switch
    {
        WastNaN.Canonical => (actual & 0x7FFF_FFFFu) == 0x7FC0_0000u,
        WastNaN.Arithmetic => (actual & 0x7FC0_0000u) == 0x7FC0_0000u,
        _ => expected == actual,
    };

    private static bool MatchesF64(WastNaN nan, ulong expected, ulong actual) => nan switch
    {
        WastNaN.Canonical => (actual & 0x7FFF_FFFF_FFFF_FFFFul) == 0x7FF8_0000_0000_0000ul,
        WastNaN.Arithmetic => (actual & 0x7FF8_0000_0000_0000ul) == 0x7FF8_0000_0000_0000ul,
        _ => expected == actual,
    };

    private static bool MatchesVector(WastExpected expected, Vector128<byte> actual)
    {
        if (expected.Lanes is null) return false;
        var lanes = expected.Lanes;
        var nans = expected.LaneNaN;
        switch (expected.LaneShape)
        {
            case "i8x16":
                for (int i = 0; i < 16; i++) if (actual.GetElement(i) != (byte)lanes[i]) return false;
                return true;
            case "i16x8":
                for (int i = 0; i < 8; i++) if (actual.AsUInt16().GetElement(i) != (ushort)lanes[i]) return false;
                return true;
            case "i32x4":
                for (int i = 0; i < 4; i++) if (actual.AsUInt32().GetElement(i) != (uint)lanes[i]) return false;
                return true;
            case "i64x2":
                for (int i = 0; i < 2; i++) if (actual.AsUInt64().GetElement(i) != lanes[i]) return false;
                return true;
            case "f32x4":
                for (int i = 0; i < 4; i++)
                    if (!MatchesF32(nans?[i] ?? WastNaN.None, (uint)lanes[i], actual.AsUInt32().GetElement(i))) return false;
                return true;
            case "f64x2":
                for (int i = 0; i < 2; i++)
                    if (!MatchesF64(nans?[i] ?? WastNaN.None, lanes[i], actual.AsUInt64().GetElement(i))) return false;
                return true;
            default:
                return false;
        }
    }

    public static string Describe(WastExpected expected)
    {
        if (expected.NaN != WastNaN.None) return $"{expected.Kind.ToText()}:nan:{expected.NaN.ToString().ToLowerInvariant()}";
        return expected.Kind switch
        {
            ValueKind.I32 => $"i32:{(int)expected.Bits}",
            ValueKind.I64 => $"i64:{(long)expected.Bits}",
            ValueKind.F32 => $"f32:0x{(uint)expected.Bits:X8}",
            ValueKind.F64 => $"f64:0x{expected.Bits:X16}",
            ValueKind.V128 => $"v128 {expected.LaneShape} [{string.Join(" ", expected.Lanes?.Select((l, i) => expected.LaneNaN is { } n && n[i] != WastNaN.None ? "nan:" + n[i] : "0x" + l.ToString("X")) ?? [])}]",
            ValueKind.FuncRef => expected.IsNull ? "ref.null func" : "ref.func",
            ValueKind.ExternRef => expected.IsNull ? "ref.null extern" : $"ref.extern {expected.ExternId}",
            _ => expected.Kind.ToString(),
        };
    }

    public static string Describe(WasmValue actual) => actual.Kind switch
    {
        ValueKind.F32 => $"f32:0x{actual.AsSingleBits():X8}",
        ValueKind.F64 => $"f64:0x{actual.AsDoubleBits():X16}",
        ValueKind.V128 => $"v128 0x{actual.AsVector().AsUInt64().GetElement(1):X16}{actual.AsVector().AsUInt64().GetElement(0):X16}",
        ValueKind.ExternRef => actual.AsExternRef() is ExternObject o ? $"ref.extern {o.Id}" : actual.ToString(),
        _ => actual.ToString(),
    };
}
