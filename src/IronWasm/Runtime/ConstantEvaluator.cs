using IronWasm.Binary;
using IronWasm.Model;

namespace IronWasm.Runtime;

/// <summary>Evaluates constant expressions (global initialisers, segment offsets and items) of a
/// validated module against a partly built instance.</summary>
internal static class ConstantEvaluator
{
    public static WasmValue Evaluate(ConstantExpression expression, InstanceContext context)
    {
        var reader = new InstructionReader(expression.Code.Span, expression.Offset);
        // Validation guarantees a well-typed sequence; a small stack also covers extended-const arithmetic.
        Span<WasmValue> stack = new WasmValue[4];
        int depth = 0;
        while (reader.HasMore)
        {
            var instruction = reader.Read();
            if (depth == stack.Length)
            {
                var grown = new WasmValue[stack.Length * 2];
                stack.CopyTo(grown);
                stack = grown;
            }
            switch (instruction.Opcode)
            {
                case Opcode.I32Const: stack[depth++] = WasmValue.FromInt32((int)instruction.Integer); break;
                case Opcode.I64Const: stack[depth++] = WasmValue.FromInt64(instruction.Integer); break;
                case Opcode.F32Const: stack[depth++] = WasmValue.FromSingleBits((uint)instruction.FloatBits); break;
                case Opcode.F64Const: stack[depth++] = WasmValue.FromDoubleBits(instruction.FloatBits); break;
                case Opcode.V128Const: stack[depth++] = WasmValue.FromVector(instruction.Vector); break;
                case Opcode.RefNull: stack[depth++] = WasmValue.FromInternal(instruction.Type, null); break;
                case Opcode.RefFunc: stack[depth++] = WasmValue.FromInternalFuncRef(context.Functions[instruction.Index]); break;
                case Opcode.GlobalGet: stack[depth++] = Global.Read(context.Globals[instruction.Index]); break;
                case Opcode.I32Add: depth--; stack[depth - 1] = WasmValue.FromInt32(stack[depth - 1].AsInt32() + stack[depth].AsInt32()); break;
                case Opcode.I32Sub: depth--; stack[depth - 1] = WasmValue.FromInt32(stack[depth - 1].AsInt32() - stack[depth].AsInt32()); break;
                case Opcode.I32Mul: depth--; stack[depth - 1] = WasmValue.FromInt32(stack[depth - 1].AsInt32() * stack[depth].AsInt32()); break;
                case Opcode.I64Add: depth--; stack[depth - 1] = WasmValue.FromInt64(stack[depth - 1].AsInt64() + stack[depth].AsInt64()); break;
                case Opcode.I64Sub: depth--; stack[depth - 1] = WasmValue.FromInt64(stack[depth - 1].AsInt64() - stack[depth].AsInt64()); break;
                case Opcode.I64Mul: depth--; stack[depth - 1] = WasmValue.FromInt64(stack[depth - 1].AsInt64() * stack[depth].AsInt64()); break;
                case Opcode.End: return stack[depth - 1];
                default:
                    throw new WasmValidationException($"constant expression required (found {instruction.Opcode})", null, instruction.Offset);
            }
        }
        throw new WasmFormatException("constant expression without end", expression.Offset);
    }
}
