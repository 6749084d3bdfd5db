using IronWasm.Binary;
using IronWasm.Model;

namespace IronWasm.Validation;

/// <summary>Validates constant expressions (global initialisers, segment offsets, element items) as
/// WebAssembly 2.0 defines them: only <c>t.const</c>, <c>ref.null</c>, <c>ref.func</c> and
/// <c>global.get</c> of an immutable imported global, leaving exactly one value of the expected type.</summary>
internal static class ConstantExpressionValidator
{
    public static void Validate(ConstantExpression expression, ValueKind expected, ValidationContext context)
    {
        var reader = new InstructionReader(expression.Code.Span, expression.Offset);
        // A constant expression cannot branch or consume values, so the stack is fully described by
        // its height and its top type.
        int height = 0;
        ValueKind top = 0;
        while (reader.HasMore)
        {
            var instruction = reader.Read();
            int offset = instruction.Offset;
            switch (instruction.Opcode)
            {
                case Opcode.I32Const: top = ValueKind.I32; break;
                case Opcode.I64Const: top = ValueKind.I64; break;
                case Opcode.F32Const: top = ValueKind.F32; break;
                case Opcode.F64Const: top = ValueKind.F64; break;
                case Opcode.V128Const: top = ValueKind.V128; break;
                case Opcode.RefNull: top = instruction.Type; break;
                case Opcode.RefFunc:
                {
                    uint function = instruction.Index;
                    if (function >= (uint)context.FunctionTypeIndices.Length)
                        throw new WasmValidationException($"unknown function {function}", null, offset);
                    context.DeclaredFunctions[function] = true;
                    top = ValueKind.FuncRef;
                    break;
                }
                case Opcode.GlobalGet:
                {
                    // Only imported globals are in scope: defined globals are not yet initialised.
                    uint global = instruction.Index;
                    if (global >= (uint)context.ImportedGlobalCount)
                        throw new WasmValidationException($"unknown global {global}", null, offset);
                    if (context.GlobalMutable[global])
                        throw new WasmValidationException($"constant expression required, but global {global} is mutable", null, offset);
                    top = context.GlobalTypes[global];
                    break;
                }
                case Opcode.End:
                    if (reader.HasMore)
                        throw new WasmFormatException("constant expression continues after its end", reader.Offset);
                    if (height != 1 || top != expected)
                        throw new WasmValidationException(
                            height == 1
                                ? $"type mismatch: constant expression of type {top.ToText()}, expected {expected.ToText()}"
                                : $"type mismatch: constant expression leaves {height} values, expected one {expected.ToText()}",
                            null, offset);
                    return;
                default:
                    throw new WasmValidationException(
                        $"constant expression required, but found {FunctionValidator.Mnemonic(instruction.Opcode)}", null, offset);
            }
            height++;
        }
        throw new WasmFormatException("unexpected end of constant expression", reader.Offset);
    }
}
