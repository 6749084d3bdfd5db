using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Table instructions call the TableInstance methods, which bounds check and trap.
internal sealed partial class FunctionEmitter
{
    private void EmitTable(int index) =>
        il.Emit(OpCodes.Ldloc, tableCells[index] ??= il.DeclareLocal(typeof(TableInstance)));

    /// <summary>Calls a TableInstance method on table <paramref name="table"/> with the top
    /// <paramref name="count"/> operands, in operand order.</summary>
    private void EmitTableCall(int table, int count, System.Reflection.MethodInfo target)
    {
        StoreOperands(count);
        EmitTable(table);
        for (int i = height - count; i < height; i++) LoadSlot(i);
        il.Emit(OpCodes.Call, target);
        Pop(count);
    }

    private void EmitTableGet(int table)
    {
        EmitTableCall(table, 1, RuntimeMembers.TableGet);
        Push(definition.TableSpace[table].ElementType);
    }

    private void EmitTableSet(int table) => EmitTableCall(table, 2, RuntimeMembers.TableSet);

    private void EmitTableSize(int table)
    {
        EmitTable(table);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.TableLength);
        Push(ValueKind.I32);
    }

    /// <summary>table.grow takes (initial value, delta) on the stack; TableInstance.Grow takes (delta, initial).</summary>
    private void EmitTableGrow(int table)
    {
        StoreOperands(2);
        EmitTable(table);
        LoadSlot(height - 1);
        LoadSlot(height - 2);
        il.Emit(OpCodes.Call, RuntimeMembers.TableGrow);
        Pop(2);
        Push(ValueKind.I32);
    }

    private void EmitTableFill(int table) => EmitTableCall(table, 3, RuntimeMembers.TableFill);

    private void EmitTableCopy(int destination, int source)
    {
        StoreOperands(3);
        EmitTable(destination);
        LoadSlot(height - 3);
        EmitTable(source);
        LoadSlot(height - 2);
        LoadSlot(height - 1);
        il.Emit(OpCodes.Call, RuntimeMembers.TableCopy);
        Pop(3);
    }

    private void EmitTableInit(int segment, int table)
    {
        StoreOperands(3);
        EmitTable(table);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextElementSegments);
        EmitLdcI4(segment);
        il.Emit(OpCodes.Ldelem_Ref);
        LoadSlot(height - 3);
        LoadSlot(height - 2);
        LoadSlot(height - 1);
        il.Emit(OpCodes.Call, RuntimeMembers.TableInit);
        Pop(3);
    }

    private void EmitElemDrop(int segment)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextElementSegments);
        EmitLdcI4(segment);
        il.Emit(OpCodes.Call, RuntimeMembers.EmptyObjectArray);
        il.Emit(OpCodes.Stelem_Ref);
    }
}
