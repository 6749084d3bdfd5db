using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Globals live in GlobalInstance cells: numbers as raw bits in Bits (i32 zero-extended, floats as
// their IEEE bits), v128 in Vector, references in Reference.
internal sealed partial class FunctionEmitter
{
    private void EmitGlobalInstance(int index) =>
        il.Emit(OpCodes.Ldloc, globalCells[index] ??= il.DeclareLocal(typeof(GlobalInstance)));

    private void EmitGlobalGet(int index)
    {
        var kind = definition.GlobalSpace[index].ValueKind;
        EmitGlobalInstance(index);
        switch (kind)
        {
            case ValueKind.I32:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalBits);
                il.Emit(OpCodes.Conv_I4);
                break;
            case ValueKind.I64:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalBits);
                break;
            case ValueKind.F32:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalBits);
                il.Emit(OpCodes.Conv_I4);
                il.Emit(OpCodes.Call, RuntimeMembers.Int32BitsToSingle);
                break;
            case ValueKind.F64:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalBits);
                il.Emit(OpCodes.Call, RuntimeMembers.Int64BitsToDouble);
                break;
            case ValueKind.V128:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalVector);
                break;
            default:
                il.Emit(OpCodes.Ldfld, RuntimeMembers.GlobalReference);
                break;
        }
        Push(kind);
    }

    private void EmitGlobalSet(int index)
    {
        var kind = definition.GlobalSpace[index].ValueKind;
        StoreOperands(1);
        EmitGlobalInstance(index);
        LoadSlot(height - 1);
        switch (kind)
        {
            case ValueKind.I32:
                il.Emit(OpCodes.Conv_U8);
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalBits);
                break;
            case ValueKind.I64:
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalBits);
                break;
            case ValueKind.F32:
                il.Emit(OpCodes.Call, RuntimeMembers.SingleToInt32Bits);
                il.Emit(OpCodes.Conv_U8);
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalBits);
                break;
            case ValueKind.F64:
                il.Emit(OpCodes.Call, RuntimeMembers.DoubleToInt64Bits);
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalBits);
                break;
            case ValueKind.V128:
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalVector);
                break;
            default:
                il.Emit(OpCodes.Stfld, RuntimeMembers.GlobalReference);
                break;
        }
        Pop(1);
    }
}
