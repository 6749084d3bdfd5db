using System.Reflection.Emit;
using IronWasm.Binary;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Structured control flow, branches, fuel and interruption, function prologue and epilogue.
internal sealed partial class FunctionEmitter
{
    private static readonly ValueKind[][] SingleResult = BuildSingleResults();

    private static ValueKind[][] BuildSingleResults()
    {
        var result = new ValueKind[256][];
        foreach (var kind in Enum.GetValues<ValueKind>()) result[(byte)kind] = [kind];
        return result;
    }

    private (IReadOnlyList<ValueKind> Parameters, IReadOnlyList<ValueKind> Results) BlockSignature(BlockType block) => block.Kind switch
    {
        BlockTypeKind.Empty => ([], []),
        BlockTypeKind.Value => ([], SingleResult[(byte)block.Value]),
        _ => (definition.Types[(int)block.TypeIndex].Parameters, definition.Types[(int)block.TypeIndex].Results),
    };

    private void PushFrame(FrameKind kind, IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results, Label label)
    {
        if (frameCount == frames.Length) Array.Resize(ref frames, frameCount * 2);
        frames[frameCount++] = new ControlFrame
        {
            Kind = kind,
            Height = height - parameters.Count,
            Parameters = parameters,
            Results = results,
            Label = label,
        };
    }

    private void EmitBlock(BlockType block)
    {
        var (parameters, results) = BlockSignature(block);
        SpillAll();
        FlushFuel();
        PushFrame(FrameKind.Block, parameters, results, il.DefineLabel());
    }

    private void EmitLoop(BlockType block)
    {
        var (parameters, results) = BlockSignature(block);
        SpillAll();
        FlushFuel();
        var header = il.DefineLabel();
        il.MarkLabel(header);
        HasLoop = true;
        ForgetChecks();
        // Loop parameters are merged from every branch back to the header.
        for (int i = height - parameters.Count; i < height; i++) origins[i] = Origin.Computed;
        if (options.Interruptible)
        {
            EmitExecution();
            il.Emit(OpCodes.Call, RuntimeMembers.ExecutionCheckInterrupt);
        }
        PushFrame(FrameKind.Loop, parameters, results, header);
    }

    private void EmitIf(BlockType block)
    {
        var (parameters, results) = BlockSignature(block);
        SpillAll();
        FlushFuel();
        Pop(1);
        LoadSlot(height);
        var elseLabel = il.DefineLabel();
        il.Emit(OpCodes.Brfalse, elseLabel);
        PushFrame(FrameKind.If, parameters, results, il.DefineLabel());
        frames[frameCount - 1].Else = elseLabel;
    }

    private void EmitElse()
    {
        ref var frame = ref frames[frameCount - 1];
        if (!frame.Unreachable)
        {
            SpillAll();
            FlushFuel();
            il.Emit(OpCodes.Br, frame.Label);
        }
        il.MarkLabel(frame.Else);
        ForgetChecks();
        frame.HasElse = true;
        frame.Unreachable = false;
        // The else branch starts from the if's parameters, still in their slots.
        ResetStack(frame.Height, frame.Parameters);
    }

    private void EmitEnd()
    {
        ref var frame = ref frames[frameCount - 1];
        if (!frame.Unreachable)
        {
            SpillAll();
            FlushFuel();
        }
        pendingFuel = 0;
        ForgetChecks();
        switch (frame.Kind)
        {
            case FrameKind.If:
                // Without else, the false path carries the parameters (equal to the results) through.
                if (!frame.HasElse) il.MarkLabel(frame.Else);
                il.MarkLabel(frame.Label);
                break;
            case FrameKind.Block:
                il.MarkLabel(frame.Label);
                break;
            case FrameKind.Function:
                il.MarkLabel(frame.Label);
                EmitEpilogue();
                frameCount--;
                return;
        }
        int frameHeight = frame.Height;
        var results = frame.Results;
        frameCount--;
        ResetStack(frameHeight, results);
    }

    /// <summary>Sets the operand stack to <paramref name="values"/> above <paramref name="baseHeight"/>, all in slots.</summary>
    private void ResetStack(int baseHeight, IReadOnlyList<ValueKind> values)
    {
        height = baseHeight;
        for (int i = 0; i < values.Count; i++) Push(values[i]);
        ilStart = height;
    }

    private void MarkUnreachable()
    {
        frames[frameCount - 1].Unreachable = true;
        deadNesting = 0;
        pendingFuel = 0;
    }

    private void EmitUnreachable()
    {
        for (int i = height - 1; i >= ilStart; i--) il.Emit(OpCodes.Pop);
        ilStart = height;
        il.Emit(OpCodes.Br, TrapLabel(TrapCode.Unreachable));
        MarkUnreachable();
    }

    private void EmitBr(int depth)
    {
        SpillAll();
        FlushFuel();
        EmitBranchTo(depth);
        MarkUnreachable();
    }

    private void EmitBrIf(int depth)
    {
        SpillAll();
        FlushFuel();
        Pop(1);
        LoadSlot(height);
        ref var target = ref frames[frameCount - 1 - depth];
        if (NeedsCopy(in target))
        {
            var notTaken = il.DefineLabel();
            il.Emit(OpCodes.Brfalse, notTaken);
            EmitBranchTo(depth);
            il.MarkLabel(notTaken);
        }
        else il.Emit(OpCodes.Brtrue, target.Label);
    }

    private void EmitBrTable(ref InstructionReader reader, in Instruction instruction)
    {
        SpillAll();
        FlushFuel();
        Pop(1);
        int count = instruction.TargetCount;
        if (branchTargets.Length < count) branchTargets = new uint[Math.Max(count, branchTargets.Length * 2)];
        var targets = branchTargets.AsSpan(0, count);
        reader.ReadBranchTargets(in instruction, targets);

        // Targets whose values must move to other slots go through a stub that copies, then branches.
        var stubs = new Label?[frameCount];
        var labels = new Label[count];
        for (int i = 0; i < count; i++)
        {
            int depth = (int)targets[i];
            ref var target = ref frames[frameCount - 1 - depth];
            labels[i] = NeedsCopy(in target) ? (stubs[depth] ??= il.DefineLabel()) : target.Label;
        }
        // With no targets but the default the index is not even read (and a persisted assembly's
        // encoder refuses an empty switch).
        if (count > 0)
        {
            LoadSlot(height);
            il.Emit(OpCodes.Switch, labels);
        }
        EmitBranchTo((int)instruction.Index);
        for (int depth = 0; depth < stubs.Length; depth++)
        {
            if (stubs[depth] is not { } stub) continue;
            il.MarkLabel(stub);
            EmitBranchTo(depth);
        }
        MarkUnreachable();
    }

    /// <summary>Whether a branch to <paramref name="target"/> must move its values to other slots.</summary>
    private bool NeedsCopy(in ControlFrame target)
    {
        int arity = target.LabelTypes.Count;
        return arity != 0 && height - arity != target.Height;
    }

    /// <summary>Moves the branch values (the top of the operand stack, already spilled) to the
    /// target's slots and jumps.</summary>
    private void EmitBranchTo(int depth)
    {
        ref var target = ref frames[frameCount - 1 - depth];
        var types = target.LabelTypes;
        int source = height - types.Count;
        if (source != target.Height)
        {
            // Copying upwards in depth order never overwrites a value still to be read.
            for (int i = 0; i < types.Count; i++)
            {
                il.Emit(OpCodes.Ldloc, Slot(source + i, types[i]));
                il.Emit(OpCodes.Stloc, Slot(target.Height + i, types[i]));
            }
        }
        il.Emit(OpCodes.Br, target.Label);
    }

    // ---- Fuel ----

    /// <summary>Charges the instructions of the straight-line run that ends here. Emitted only at
    /// control points (the IL stack is empty there), so it costs nothing when fuel is off.</summary>
    private void FlushFuel()
    {
        if (!options.ConsumeFuel || pendingFuel == 0) return;
        EmitExecution();
        EmitExecution();
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ExecutionFuel);
        EmitLdcI8((ulong)pendingFuel);
        il.Emit(OpCodes.Sub);
        il.Emit(OpCodes.Stfld, RuntimeMembers.ExecutionFuel);
        var enough = il.DefineLabel();
        EmitExecution();
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ExecutionFuel);
        il.Emit(OpCodes.Ldc_I4_0);
        il.Emit(OpCodes.Conv_I8);
        il.Emit(OpCodes.Bge, enough);
        EmitExecution();
        il.Emit(OpCodes.Call, RuntimeMembers.ExecutionOnFuelExhausted);
        il.MarkLabel(enough);
        pendingFuel = 0;
    }

    // ---- Prologue and epilogue ----

    private void EmitPrologue()
    {
        if (!makesCalls)
        {
            // A leaf cannot recurse, so it adds one frame to a depth its callers counted: it neither
            // counts nor, with a small frame, probes the stack (the caller's last probe left room
            // for StackCheckInterval small frames beyond it). This is most of the cost of a call to
            // a short function such as wasi-libc's memcpy or memcmp with a few bytes.
            if (!HasSmallFrame())
            {
                il.Emit(OpCodes.Call, RuntimeMembers.TryEnsureSufficientExecutionStack);
                il.Emit(OpCodes.Brfalse, TrapLabel(TrapCode.StackOverflow));
            }
            EmitPrologueLoads();
            return;
        }

        // ++CallDepth > MaxCallDepth => StackOverflow.
        var depth = il.DeclareLocal(typeof(int));
        EmitExecution();
        EmitExecution();
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ExecutionCallDepth);
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Stloc, depth);
        il.Emit(OpCodes.Stfld, RuntimeMembers.ExecutionCallDepth);
        il.Emit(OpCodes.Ldloc, depth);
        EmitExecution();
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ExecutionMaxCallDepth);
        il.Emit(OpCodes.Bgt, TrapLabel(TrapCode.StackOverflow));

        // The native stack must not overflow either (that would kill the process). Asking the
        // runtime costs as much as a small function's whole body, so a function with a small
        // frame asks only at every eighth depth: the runtime guarantees far more than eight small
        // frames of headroom, and a function with a larger frame asks on every entry.
        var stackChecked = il.DefineLabel();
        if (HasSmallFrame())
        {
            il.Emit(OpCodes.Ldloc, depth);
            EmitLdcI4(StackCheckInterval - 1);
            il.Emit(OpCodes.And);
            il.Emit(OpCodes.Brtrue, stackChecked);
        }
        il.Emit(OpCodes.Call, RuntimeMembers.TryEnsureSufficientExecutionStack);
        il.Emit(OpCodes.Brfalse, TrapLabel(TrapCode.StackOverflow));
        il.MarkLabel(stackChecked);
        EmitPrologueLoads();
    }

    /// <summary>The part of the prologue every function has: the interruption check and the
    /// memory, global and table cells the body uses.</summary>
    private void EmitPrologueLoads()
    {
        if (options.Interruptible)
        {
            EmitExecution();
            il.Emit(OpCodes.Call, RuntimeMembers.ExecutionCheckInterrupt);
        }

        if (memory is not null)
        {
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextMemory0);
            il.Emit(OpCodes.Stloc, memory);
            ReloadMemory();
            EmitMinimumLengthCheck();
        }
        for (int i = 0; i < globalCells.Length; i++)
        {
            if (globalCells[i] is not { } cell) continue;
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextGlobals);
            EmitLdcI4(i);
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Stloc, cell);
        }
        for (int i = 0; i < tableCells.Length; i++)
        {
            if (tableCells[i] is not { } cell) continue;
            il.Emit(OpCodes.Ldarg_0);
            il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextTables);
            EmitLdcI4(i);
            il.Emit(OpCodes.Ldelem_Ref);
            il.Emit(OpCodes.Stloc, cell);
        }
    }

    private const int StackCheckInterval = 8;

    /// <summary>Whether the function's native frame is surely small (well under 4 KiB: few locals,
    /// short body, so few JIT temporaries), so that <see cref="StackCheckInterval"/> such frames fit
    /// in the headroom RuntimeHelpers.TryEnsureSufficientExecutionStack guarantees (64 KiB or more).</summary>
    private bool HasSmallFrame() => il.ILOffset <= 4096 && localTypes.Length <= 64;

    /// <summary>Pushes ctx.Execution. Re-read at each use rather than cached in a local: a local
    /// live through the whole function would hold a callee-saved register (or a stack slot) that
    /// the function's own values need, as in a big interpreter loop.</summary>
    private void EmitExecution()
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextExecution);
    }

    private void EmitEpilogue()
    {
        // Emitted at the function's final end, after every instruction, so makesCalls is final.
        if (makesCalls)
        {
            EmitExecution();
            EmitExecution();
            il.Emit(OpCodes.Ldfld, RuntimeMembers.ExecutionCallDepth);
            il.Emit(OpCodes.Ldc_I4_1);
            il.Emit(OpCodes.Sub);
            il.Emit(OpCodes.Stfld, RuntimeMembers.ExecutionCallDepth);
        }

        var results = type.Results;
        if (results.Count == 1) il.Emit(OpCodes.Ldloc, Slot(0, results[0]));
        else if (results.Count > 1) EmitNewTuple(returnType, results, 0);
        il.Emit(OpCodes.Ret);
    }

    /// <summary>Builds the (possibly nested) ValueTuple of results <paramref name="first"/>.. from slots.</summary>
    private void EmitNewTuple(Type tupleType, IReadOnlyList<ValueKind> results, int first)
    {
        var arguments = tupleType.GetGenericArguments();
        int direct = Math.Min(arguments.Length, 7);
        for (int i = 0; i < direct; i++) il.Emit(OpCodes.Ldloc, Slot(first + i, results[first + i]));
        if (arguments.Length == 8) EmitNewTuple(arguments[7], results, first + 7);
        il.Emit(OpCodes.Newobj, tupleType.GetConstructor(arguments)!);
    }
}
