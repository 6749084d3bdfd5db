using System.Reflection;
using System.Reflection.Emit;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Direct and indirect calls. A call to the function itself, or to a function of this module that
// is already compiled or small enough to be emitted with this one (CompilationBatch), is a static
// call of its DynamicMethod; any other call goes through the callee's FunctionInstance.Callable
// delegate (closed over its InstanceContext).
internal sealed partial class FunctionEmitter
{
    private void EmitCall(uint calleeIndex)
    {
        makesCalls = true;
        if (calleeIndex == functionIndex) CallsItself = true;
        var calleeType = definition.FunctionSpace[(int)calleeIndex];
        int count = calleeType.Parameters.Count;
        PrepareCallOperands(count);

        int defined = (int)calleeIndex - definition.ImportedFunctionCount;
        MethodInfo? direct = calleeIndex == functionIndex ? method
            : defined >= 0 ? target.DirectCallee(defined)
            : null;
        if (direct is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            for (int i = height - count; i < height; i++) LoadSlot(i);
            il.Emit(OpCodes.Call, direct);
        }
        else
        {
            var invoke = target.DelegateInvoke(calleeType);
            EmitFunctionInstance(calleeIndex);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionCallable);
            for (int i = height - count; i < height; i++) LoadSlot(i);
            il.Emit(OpCodes.Callvirt, invoke);
        }
        Pop(count);
        PushCallResults(calleeType.Results, direct?.ReturnType);
        ReloadMemory();
    }

    /// <summary>call_indirect: bounds check, null check and signature check, then a call through
    /// the element's delegate.</summary>
    private void EmitCallIndirect(uint typeIndex, uint tableIndex)
    {
        makesCalls = true;
        var calleeType = definition.Types[(int)typeIndex];
        int count = calleeType.Parameters.Count;
        SpillAll();
        FlushFuel();
        int elementDepth = height - 1;
        var function = FunctionLocal();

        LoadSlot(elementDepth);
        EmitTable((int)tableIndex);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.TableLength);
        il.Emit(OpCodes.Bge_Un, TrapLabel(TrapCode.TableOutOfBounds));

        EmitTable((int)tableIndex);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.TableElements);
        LoadSlot(elementDepth);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Ldelem_Ref);
        // Elements of a funcref table are FunctionInstance or null, so no cast is needed.
        il.Emit(OpCodes.Stloc, function);
        il.Emit(OpCodes.Ldloc, function);
        il.Emit(OpCodes.Brfalse, TrapLabel(TrapCode.IndirectCallToNull));

        il.Emit(OpCodes.Ldloc, function);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionTypeId);
        EmitExpectedTypeId(typeIndex);
        il.Emit(OpCodes.Bne_Un, TrapLabel(TrapCode.BadSignature));

        il.Emit(OpCodes.Ldloc, function);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.FunctionCallable);
        for (int i = elementDepth - count; i < elementDepth; i++) LoadSlot(i);
        il.Emit(OpCodes.Callvirt, target.DelegateInvoke(calleeType));
        Pop(count + 1);
        PushCallResults(calleeType.Results, null);
        ReloadMemory();
    }

    /// <summary>Pushes the canonical id of type <paramref name="typeIndex"/>. Ids are process-wide, so
    /// code that runs only in this process embeds the id as a constant; persisted code, which may run
    /// in a process that numbered the types differently, reads it from the instance.</summary>
    private void EmitExpectedTypeId(uint typeIndex)
    {
        if (target.IsProcessLocal)
        {
            EmitLdcI4(module.TypeIds[(int)typeIndex]);
            return;
        }
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextTypeIds);
        EmitLdcI4((int)typeIndex);
        il.Emit(OpCodes.Ldelem_I4);
    }

    /// <summary>Leaves the call's <paramref name="count"/> arguments in their slots, so the callee
    /// (or its delegate) can be loaded first. With fuel on, the run ending at the call is charged
    /// before it, which needs an empty IL stack.</summary>
    private void PrepareCallOperands(int count)
    {
        if (options.ConsumeFuel)
        {
            SpillAll();
            FlushFuel();
        }
        else StoreOperands(count);
    }

    /// <summary>Pushes a call's results: one value as is, several unpacked from the returned ValueTuple.</summary>
    private void PushCallResults(IReadOnlyList<ValueKind> results, Type? clrReturnType)
    {
        if (results.Count == 0) return;
        if (results.Count == 1)
        {
            Push(results[0]);
            return;
        }
        var tupleType = clrReturnType ?? SignatureDelegates.ReturnType(results);
        var tuple = TupleLocal(tupleType);
        il.Emit(OpCodes.Stloc, tuple);
        for (int i = 0; i < results.Count; i++)
        {
            il.Emit(OpCodes.Ldloca, tuple);
            var current = tupleType;
            for (int level = 0; level < i / 7; level++)
            {
                var rest = current.GetField("Rest")!;
                il.Emit(OpCodes.Ldflda, rest);
                current = rest.FieldType;
            }
            il.Emit(OpCodes.Ldfld, current.GetField("Item" + (i % 7 + 1))!);
            Push(results[i]);
        }
    }

    private LocalBuilder TupleLocal(Type tupleType)
    {
        tupleLocals ??= new Dictionary<Type, LocalBuilder>();
        if (!tupleLocals.TryGetValue(tupleType, out var local))
            tupleLocals.Add(tupleType, local = il.DeclareLocal(tupleType));
        return local;
    }

    private LocalBuilder? functionLocal;
    private LocalBuilder FunctionLocal() => functionLocal ??= il.DeclareLocal(typeof(FunctionInstance));

    /// <summary>Pushes ctx.Functions[index] (the FunctionInstance, which is also the funcref value).</summary>
    private void EmitFunctionInstance(uint index)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextFunctions);
        EmitLdcI4((int)index);
        il.Emit(OpCodes.Ldelem_Ref);
    }
}
