using System.Reflection;
using System.Reflection.Emit;
using IronWasm.Binary;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Numeric instructions that map exactly onto CIL (or onto a BCL intrinsic) are expanded inline;
// the rest call Numerics/NumericOps (see EmitHelperCall).
internal sealed partial class FunctionEmitter
{
    private bool TryEmitInlineNumeric(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.I32Eqz: Unary(ValueKind.I32, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I64Eqz: Unary(ValueKind.I32, OpCodes.Ldc_I4_0, OpCodes.Conv_I8, OpCodes.Ceq); return true;

            case Opcode.I32Eq: case Opcode.I64Eq: case Opcode.F32Eq: case Opcode.F64Eq:
                Binary(ValueKind.I32, OpCodes.Ceq); return true;
            case Opcode.I32Ne: case Opcode.I64Ne: case Opcode.F32Ne: case Opcode.F64Ne:
                Binary(ValueKind.I32, OpCodes.Ceq, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LtS: case Opcode.I64LtS: case Opcode.F32Lt: case Opcode.F64Lt:
                Binary(ValueKind.I32, OpCodes.Clt); return true;
            case Opcode.I32LtU: case Opcode.I64LtU:
                Binary(ValueKind.I32, OpCodes.Clt_Un); return true;
            case Opcode.I32GtS: case Opcode.I64GtS: case Opcode.F32Gt: case Opcode.F64Gt:
                Binary(ValueKind.I32, OpCodes.Cgt); return true;
            case Opcode.I32GtU: case Opcode.I64GtU:
                Binary(ValueKind.I32, OpCodes.Cgt_Un); return true;
            // a <= b is !(a > b) for integers; for floats !(a > b or unordered), so NaN gives false.
            case Opcode.I32LeS: case Opcode.I64LeS:
                Binary(ValueKind.I32, OpCodes.Cgt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32LeU: case Opcode.I64LeU: case Opcode.F32Le: case Opcode.F64Le:
                Binary(ValueKind.I32, OpCodes.Cgt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeS: case Opcode.I64GeS:
                Binary(ValueKind.I32, OpCodes.Clt, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;
            case Opcode.I32GeU: case Opcode.I64GeU: case Opcode.F32Ge: case Opcode.F64Ge:
                Binary(ValueKind.I32, OpCodes.Clt_Un, OpCodes.Ldc_I4_0, OpCodes.Ceq); return true;

            case Opcode.I32Clz: UnaryCall(ValueKind.I32, RuntimeMembers.LeadingZeroCount32); return true;
            case Opcode.I32Ctz: UnaryCall(ValueKind.I32, RuntimeMembers.TrailingZeroCount32); return true;
            case Opcode.I32Popcnt: UnaryCall(ValueKind.I32, RuntimeMembers.PopCount32); return true;
            case Opcode.I64Clz: UnaryCall(ValueKind.I64, RuntimeMembers.LeadingZeroCount64, OpCodes.Conv_I8); return true;
            case Opcode.I64Ctz: UnaryCall(ValueKind.I64, RuntimeMembers.TrailingZeroCount64, OpCodes.Conv_I8); return true;
            case Opcode.I64Popcnt: UnaryCall(ValueKind.I64, RuntimeMembers.PopCount64, OpCodes.Conv_I8); return true;

            case Opcode.I32Add: EmitI32Add(); return true;
            case Opcode.I32Sub: Binary(ValueKind.I32, OpCodes.Sub); return true;
            case Opcode.I32Mul: Binary(ValueKind.I32, OpCodes.Mul); return true;
            case Opcode.I32And: Binary(ValueKind.I32, OpCodes.And); return true;
            case Opcode.I32Or: Binary(ValueKind.I32, OpCodes.Or); return true;
            case Opcode.I32Xor: Binary(ValueKind.I32, OpCodes.Xor); return true;
            case Opcode.I64Add: Binary(ValueKind.I64, OpCodes.Add); return true;
            case Opcode.I64Sub: Binary(ValueKind.I64, OpCodes.Sub); return true;
            case Opcode.I64Mul: Binary(ValueKind.I64, OpCodes.Mul); return true;
            case Opcode.I64And: Binary(ValueKind.I64, OpCodes.And); return true;
            case Opcode.I64Or: Binary(ValueKind.I64, OpCodes.Or); return true;
            case Opcode.I64Xor: Binary(ValueKind.I64, OpCodes.Xor); return true;

            // CIL leaves shifts by the width or more unspecified: mask the count as Wasm does.
            case Opcode.I32Shl: Shift(ValueKind.I32, OpCodes.Shl); return true;
            case Opcode.I32ShrS: Shift(ValueKind.I32, OpCodes.Shr); return true;
            case Opcode.I32ShrU: Shift(ValueKind.I32, OpCodes.Shr_Un); return true;
            case Opcode.I64Shl: Shift(ValueKind.I64, OpCodes.Shl); return true;
            case Opcode.I64ShrS: Shift(ValueKind.I64, OpCodes.Shr); return true;
            case Opcode.I64ShrU: Shift(ValueKind.I64, OpCodes.Shr_Un); return true;
            case Opcode.I32Rotl: Rotate(ValueKind.I32, RuntimeMembers.RotateLeft32); return true;
            case Opcode.I32Rotr: Rotate(ValueKind.I32, RuntimeMembers.RotateRight32); return true;
            case Opcode.I64Rotl: Rotate(ValueKind.I64, RuntimeMembers.RotateLeft64); return true;
            case Opcode.I64Rotr: Rotate(ValueKind.I64, RuntimeMembers.RotateRight64); return true;

            case Opcode.I32DivS: EmitDivision(ValueKind.I32, signed: true, remainder: false); return true;
            case Opcode.I32DivU: EmitDivision(ValueKind.I32, signed: false, remainder: false); return true;
            case Opcode.I32RemS: EmitDivision(ValueKind.I32, signed: true, remainder: true); return true;
            case Opcode.I32RemU: EmitDivision(ValueKind.I32, signed: false, remainder: true); return true;
            case Opcode.I64DivS: EmitDivision(ValueKind.I64, signed: true, remainder: false); return true;
            case Opcode.I64DivU: EmitDivision(ValueKind.I64, signed: false, remainder: false); return true;
            case Opcode.I64RemS: EmitDivision(ValueKind.I64, signed: true, remainder: true); return true;
            case Opcode.I64RemU: EmitDivision(ValueKind.I64, signed: false, remainder: true); return true;

            // SSE arithmetic gives exactly the Wasm results, NaN propagation included.
            case Opcode.F32Add: FloatArithmetic(opcode, ValueKind.F32, OpCodes.Add); return true;
            case Opcode.F32Sub: FloatArithmetic(opcode, ValueKind.F32, OpCodes.Sub); return true;
            case Opcode.F32Mul: FloatArithmetic(opcode, ValueKind.F32, OpCodes.Mul); return true;
            case Opcode.F32Div: FloatArithmetic(opcode, ValueKind.F32, OpCodes.Div); return true;
            case Opcode.F64Add: FloatArithmetic(opcode, ValueKind.F64, OpCodes.Add); return true;
            case Opcode.F64Sub: FloatArithmetic(opcode, ValueKind.F64, OpCodes.Sub); return true;
            case Opcode.F64Mul: FloatArithmetic(opcode, ValueKind.F64, OpCodes.Mul); return true;
            case Opcode.F64Div: FloatArithmetic(opcode, ValueKind.F64, OpCodes.Div); return true;
            case Opcode.F32Sqrt: UnaryCall(ValueKind.F32, RuntimeMembers.SqrtSingle); return true;
            case Opcode.F64Sqrt: UnaryCall(ValueKind.F64, RuntimeMembers.SqrtDouble); return true;

            case Opcode.I32WrapI64: Unary(ValueKind.I32, OpCodes.Conv_I4); return true;
            case Opcode.I64ExtendI32S: Unary(ValueKind.I64, OpCodes.Conv_I8); return true;
            case Opcode.I64ExtendI32U: Unary(ValueKind.I64, OpCodes.Conv_U8); return true;
            case Opcode.I32Extend8S: Unary(ValueKind.I32, OpCodes.Conv_I1); return true;
            case Opcode.I32Extend16S: Unary(ValueKind.I32, OpCodes.Conv_I2); return true;
            case Opcode.I64Extend8S: Unary(ValueKind.I64, OpCodes.Conv_I1, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend16S: Unary(ValueKind.I64, OpCodes.Conv_I2, OpCodes.Conv_I8); return true;
            case Opcode.I64Extend32S: Unary(ValueKind.I64, OpCodes.Conv_I4, OpCodes.Conv_I8); return true;

            // Signed sources convert with one rounding; unsigned 32-bit ones are exact as signed 64-bit.
            case Opcode.F32ConvertI32S: Unary(ValueKind.F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI64S: Unary(ValueKind.F32, OpCodes.Conv_R4); return true;
            case Opcode.F32ConvertI32U: Unary(ValueKind.F32, OpCodes.Conv_U8, OpCodes.Conv_R4); return true;
            case Opcode.F64ConvertI32S: Unary(ValueKind.F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI64S: Unary(ValueKind.F64, OpCodes.Conv_R8); return true;
            case Opcode.F64ConvertI32U: Unary(ValueKind.F64, OpCodes.Conv_U8, OpCodes.Conv_R8); return true;
            case Opcode.F32DemoteF64: EmitDemote(); return true;
            case Opcode.F64PromoteF32:
                Unary(ValueKind.F64, OpCodes.Conv_R8);
                origins[height - 1] = Origin.PromotedF32;
                return true;

            case Opcode.I32ReinterpretF32: UnaryCall(ValueKind.I32, RuntimeMembers.SingleToInt32Bits); return true;
            case Opcode.I64ReinterpretF64: UnaryCall(ValueKind.I64, RuntimeMembers.DoubleToInt64Bits); return true;
            case Opcode.F32ReinterpretI32: UnaryCall(ValueKind.F32, RuntimeMembers.Int32BitsToSingle); return true;
            case Opcode.F64ReinterpretI64: UnaryCall(ValueKind.F64, RuntimeMembers.Int64BitsToDouble); return true;
        }
        return false;
    }

    private void Unary(ValueKind result, OpCode first, OpCode? second = null, OpCode? third = null)
    {
        Materialize(1);
        il.Emit(first);
        if (second is { } s) il.Emit(s);
        if (third is { } t) il.Emit(t);
        Pop(1);
        Push(result);
    }

    private void UnaryCall(ValueKind result, MethodInfo target, OpCode? after = null)
    {
        Materialize(1);
        il.Emit(OpCodes.Call, target);
        if (after is { } a) il.Emit(a);
        Pop(1);
        Push(result);
    }

    /// <summary>i32.add; local + constant (either order) keeps the local's origin, with the
    /// constant folded into the high half of <see cref="constants"/>, for bounds-check merging.</summary>
    private void EmitI32Add()
    {
        ulong addressOrigin = ulong.MaxValue;
        if (origins[height - 2] == Origin.Local && origins[height - 1] == Origin.Constant)
            addressOrigin = AddToLocal(constants[height - 2], constants[height - 1]);
        else if (origins[height - 1] == Origin.Local && origins[height - 2] == Origin.Constant)
            addressOrigin = AddToLocal(constants[height - 1], constants[height - 2]);
        Binary(ValueKind.I32, OpCodes.Add);
        if (addressOrigin != ulong.MaxValue)
        {
            origins[height - 1] = Origin.Local;
            constants[height - 1] = addressOrigin;
        }
    }

    /// <summary>Adds a 32-bit constant to a (local, displacement) pair, wrapping like i32.add.</summary>
    private static ulong AddToLocal(ulong local, ulong constant) =>
        (local & 0xFFFF_FFFF) | ((ulong)((uint)(local >> 32) + (uint)constant) << 32);

    private void Binary(ValueKind result, OpCode first, OpCode? second = null, OpCode? third = null)
    {
        Materialize(2);
        il.Emit(first);
        if (second is { } s) il.Emit(s);
        if (third is { } t) il.Emit(t);
        Pop(2);
        Push(result);
    }

    /// <summary>Float add/sub/mul/div; when an operand is a constant the JIT could fold away
    /// (x - 0, x * 1, ...), the result is quieted explicitly, as the folded-away instruction would have.</summary>
    private void FloatArithmetic(Opcode opcode, ValueKind kind, OpCode operation)
    {
        // Only add and mul are commutative: 0 - x and 1 / x never fold to x, so a constant
        // dividend or minuend (nbody's 1.0 / sqrt(d)) needs no quieting.
        bool commutative = opcode is Opcode.F32Add or Opcode.F64Add or Opcode.F32Mul or Opcode.F64Mul;
        bool foldable =
            (origins[height - 1] == Origin.Constant && FloatIdentities.IsFoldable(opcode, constants[height - 1])) ||
            (commutative && origins[height - 2] == Origin.Constant && FloatIdentities.IsFoldable(opcode, constants[height - 2]));
        Materialize(2);
        il.Emit(operation);
        if (foldable) il.Emit(OpCodes.Call, kind == ValueKind.F32 ? RuntimeMembers.QuietSingle : RuntimeMembers.QuietDouble);
        Pop(2);
        Push(kind);
    }

    /// <summary>f32.demote_f64. The JIT folds demote(promote(x)) to x, which would keep a
    /// signalling NaN signalling; then the result is quieted explicitly.</summary>
    private void EmitDemote()
    {
        bool ofPromote = origins[height - 1] == Origin.PromotedF32;
        Materialize(1);
        il.Emit(OpCodes.Conv_R4);
        if (ofPromote) il.Emit(OpCodes.Call, RuntimeMembers.QuietSingle);
        Pop(1);
        Push(ValueKind.F32);
    }

    private void Shift(ValueKind kind, OpCode shift)
    {
        Materialize(2);
        if (kind == ValueKind.I64) il.Emit(OpCodes.Conv_I4);
        EmitLdcI4(kind == ValueKind.I64 ? 63 : 31);
        il.Emit(OpCodes.And);
        il.Emit(shift);
        Pop(2);
        Push(kind);
    }

    /// <summary>BitOperations.RotateLeft/Right take an int count and mask it themselves.</summary>
    private void Rotate(ValueKind kind, MethodInfo rotate)
    {
        Materialize(2);
        if (kind == ValueKind.I64) il.Emit(OpCodes.Conv_I4);
        il.Emit(OpCodes.Call, rotate);
        Pop(2);
        Push(kind);
    }

    /// <summary>Integer division and remainder with the Wasm traps: divisor zero traps; signed
    /// MIN / -1 traps; signed MIN % -1 is 0 (divide by 1 instead of -1, which the CLR would
    /// reject with an OverflowException).</summary>
    private void EmitDivision(ValueKind kind, bool signed, bool remainder)
    {
        SpillAll();
        bool wide = kind == ValueKind.I64;
        var dividend = Slot(height - 2, kind);
        var divisor = Slot(height - 1, kind);

        il.Emit(OpCodes.Ldloc, divisor);
        il.Emit(OpCodes.Brfalse, TrapLabel(TrapCode.IntegerDivisionByZero));
        if (signed && !remainder)
        {
            var fine = il.DefineLabel();
            il.Emit(OpCodes.Ldloc, divisor);
            il.Emit(OpCodes.Ldc_I4_M1);
            if (wide) il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Bne_Un, fine);
            il.Emit(OpCodes.Ldloc, dividend);
            if (wide) il.Emit(OpCodes.Ldc_I8, long.MinValue);
            else il.Emit(OpCodes.Ldc_I4, int.MinValue);
            il.Emit(OpCodes.Beq, TrapLabel(TrapCode.IntegerOverflow));
            il.MarkLabel(fine);
        }

        il.Emit(OpCodes.Ldloc, dividend);
        il.Emit(OpCodes.Ldloc, divisor);
        if (signed && remainder)
        {
            // divisor + 2 * (divisor == -1) turns -1 into 1 and leaves every other divisor alone.
            il.Emit(OpCodes.Ldloc, divisor);
            il.Emit(OpCodes.Ldc_I4_M1);
            if (wide) il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Ceq);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Shl);
            if (wide) il.Emit(OpCodes.Conv_I8);
            il.Emit(OpCodes.Add);
        }
        il.Emit(signed ? (remainder ? OpCodes.Rem : OpCodes.Div) : (remainder ? OpCodes.Rem_Un : OpCodes.Div_Un));
        Pop(2);
        Push(kind);
    }

    /// <summary>f32.const. A NaN comes from a call the JIT cannot see through, so it cannot quiet
    /// a signalling NaN when it folds the constant.</summary>
    private void EmitF32Const(uint bits)
    {
        if (float.IsNaN(BitConverter.UInt32BitsToSingle(bits)))
        {
            EmitLdcI4((int)bits);
            il.Emit(OpCodes.Call, RuntimeMembers.SingleFromBits);
        }
        else il.Emit(OpCodes.Ldc_R4, BitConverter.UInt32BitsToSingle(bits));
        Push(ValueKind.F32, Origin.Constant, bits);
    }

    private void EmitF64Const(ulong bits)
    {
        if (double.IsNaN(BitConverter.UInt64BitsToDouble(bits)))
        {
            il.Emit(OpCodes.Ldc_I8, (long)bits);
            il.Emit(OpCodes.Call, RuntimeMembers.DoubleFromBits);
        }
        else il.Emit(OpCodes.Ldc_R8, BitConverter.UInt64BitsToDouble(bits));
        Push(ValueKind.F64, Origin.Constant, bits);
    }
}
