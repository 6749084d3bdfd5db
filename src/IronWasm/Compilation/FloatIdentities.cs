using IronWasm.Compilation.Numerics;
using System.Runtime.CompilerServices;

namespace IronWasm.Compilation;

/// <summary>Helpers that keep RyuJIT from breaking Wasm float semantics. The JIT folds
/// <c>x - 0.0</c>, <c>x * 1.0</c>, <c>x / 1.0</c> and <c>(float)(double)x</c> to <c>x</c>, and
/// quiets a signalling NaN when it folds a NaN constant; Wasm requires the former to return an
/// arithmetic (quiet) NaN for a signalling NaN input and the latter to keep every payload bit.</summary>
internal static class FloatIdentities
{
    /// <summary>Sets the quiet bit of a NaN; other values pass unchanged. Applied after an
    /// arithmetic instruction the JIT may have folded to an identity. Inlined: a call in a hot
    /// loop would make the JIT spill every live XMM register around it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float QuietIfNaN(float x) =>
        float.IsNaN(x) ? NumericOps.QuietNaN(x) : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double QuietIfNaN(double x) =>
        double.IsNaN(x) ? NumericOps.QuietNaN(x) : x;

    /// <summary>An f64 NaN constant, bit for bit: not inlined, so the JIT never sees the constant
    /// (the f32 counterpart is <see cref="NumericOps.F32FromBits"/>).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static double DoubleFromBits(long bits) => BitConverter.Int64BitsToDouble(bits);

    /// <summary>Whether an add, sub, mul or div with a constant operand of bits
    /// <paramref name="bits"/> might be folded to an identity or a negation: adding or
    /// subtracting a zero, multiplying or dividing by one or minus one. Quieting the result of
    /// such an instruction is always correct, so this errs on the side of yes.</summary>
    public static bool IsFoldable(Binary.Opcode opcode, ulong bits)
    {
        bool wide = opcode is Binary.Opcode.F64Add or Binary.Opcode.F64Sub or Binary.Opcode.F64Mul or Binary.Opcode.F64Div;
        double value = wide ? BitConverter.UInt64BitsToDouble(bits) : BitConverter.UInt32BitsToSingle((uint)bits);
        return opcode switch
        {
            Binary.Opcode.F32Add or Binary.Opcode.F64Add or Binary.Opcode.F32Sub or Binary.Opcode.F64Sub => value == 0,
            _ => value is 1 or -1,
        };
    }
}
