using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.Intrinsics;
using IronWasm.Binary;
using IronWasm.Model;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

/// <summary>Translates one Wasm function body to CIL, instruction by instruction, in one pass.
/// The Wasm operand stack is mirrored by a stack of value types. Its top part lives on the IL
/// evaluation stack (cheap straight-line code); everything below <see cref="ilStart"/> lives in
/// "slot" locals, one per (depth, CLR type). Before any IL branch the whole operand stack is
/// spilled to slots, so the IL stack is empty at every branch and label, and block results,
/// loop parameters and branch values merge through the slots of the target's depths.</summary>
internal sealed partial class FunctionEmitter
{
    private const int SlotKinds = 6;

    private readonly CompiledModule module;
    private readonly EmissionTarget target;
    private readonly ModuleDefinition definition;
    private readonly EngineOptions options;
    private readonly MethodInfo method;
    private readonly ILGenerator il;
    private readonly int functionIndex;
    private readonly FunctionType type;
    private readonly FunctionBody body;
    private readonly Type returnType;

    private readonly ValueKind[] localTypes;
    private readonly LocalBuilder?[] declaredLocals;
    private readonly int parameterCount;

    private ValueKind[] stack = new ValueKind[16];
    /// <summary>Per operand-stack entry: how it was produced, where the float folding workarounds need it.</summary>
    private Origin[] origins = new Origin[16];
    /// <summary>Per operand-stack entry with <see cref="Origin.Constant"/>: the constant's bits.</summary>
    private ulong[] constants = new ulong[16];
    private int height;
    /// <summary>Operand-stack entries below this index are in their slot locals; those from here up are on the IL stack.</summary>
    private int ilStart;
    private LocalBuilder?[] slots = new LocalBuilder?[16 * SlotKinds];

    /// <summary>Per local: bytes past its value known to be in bounds, from an earlier check in the
    /// current straight-line region (0: none). Memory never shrinks, so a check stays true until
    /// the local is written or control merges at a label.</summary>
    private readonly ulong[] checkedEnds;
    private readonly List<int> checkedLocals = [];
    /// <summary>Per local: accesses (displacement, offset + size) at local + displacement, wrapping,
    /// verified in the current region by a grouped check (see <see cref="EmitGroupedCheck"/>).</summary>
    private readonly Dictionary<int, List<(uint Displacement, ulong End)>> displacedChecks = [];
    /// <summary>Out-of-line exact re-checks of grouped checks, emitted after the body.</summary>
    private readonly List<(Label Fallback, Label Resume, int Local, (uint Displacement, ulong End)[] Members)> groupFallbacks = [];

    private ControlFrame[] frames = new ControlFrame[8];
    private int frameCount;
    /// <summary>Blocks opened inside unreachable code, skipped until their end.</summary>
    private int deadNesting;

    private readonly LocalBuilder? memory, memoryBase, memoryLength;
    /// <summary>GlobalInstance and TableInstance of each global and table the body uses, loaded once by the prologue.</summary>
    private readonly LocalBuilder?[] globalCells;
    private readonly LocalBuilder?[] tableCells;
    /// <summary>Instructions executed since fuel was last charged.</summary>
    private int pendingFuel;
    private readonly Label?[] trapLabels = new Label?[Enum.GetValues<TrapCode>().Length];
    private uint[] branchTargets = [];
    private Dictionary<Type, LocalBuilder>? tupleLocals;
    /// <summary>Whether the reachable code has a call or call_indirect. A function without is a
    /// leaf and skips the call-depth bookkeeping (see <see cref="EmitPrologue"/>).</summary>
    private bool makesCalls;

    public FunctionEmitter(CompiledModule module, int definedIndex, MethodInfo method, EmissionTarget target)
    {
        this.target = target;
        this.module = module;
        definition = module.Definition;
        options = module.Options;
        this.method = method;
        returnType = method.ReturnType;
        functionIndex = definition.ImportedFunctionCount + definedIndex;
        type = definition.FunctionSpace[functionIndex];
        body = definition.Bodies[definedIndex];
        il = EmissionTarget.GetILGenerator(method, Math.Max(64, body.Code.Length * 3));

        parameterCount = type.Parameters.Count;
        long localCount = parameterCount;
        foreach (var run in body.Locals) localCount += run.Count;
        localTypes = new ValueKind[localCount];
        for (int i = 0; i < parameterCount; i++) localTypes[i] = type.Parameters[i];
        int next = parameterCount;
        foreach (var run in body.Locals)
            for (uint j = 0; j < run.Count; j++) localTypes[next++] = run.Type;
        // Declared lazily on first use: InitLocals zeroes them, which is the Wasm default value.
        declaredLocals = new LocalBuilder?[localCount - parameterCount];
        checkedEnds = new ulong[localCount];
        globalCells = new LocalBuilder?[definition.GlobalSpace.Count];
        tableCells = new LocalBuilder?[definition.TableSpace.Count];
        if (definition.MemorySpace.Count > 0)
        {
            memory = il.DeclareLocal(typeof(MemoryInstance));
            memoryBase = il.DeclareLocal(typeof(byte*));
            memoryLength = il.DeclareLocal(typeof(ulong));
        }
    }

    /// <summary>Whether the body has a loop (known once <see cref="Emit"/> has run).</summary>
    public bool HasLoop { get; private set; }

    /// <summary>Whether the body calls its own function directly (known once <see cref="Emit"/> has run).</summary>
    public bool CallsItself { get; private set; }

    public void Emit()
    {
        // The prologue is emitted last, at the end of the IL, once the body has shown which
        // globals and tables it touches and how large its frame is; the method starts by jumping there.
        var prologue = il.DefineLabel();
        var bodyStart = il.DefineLabel();
        il.Emit(OpCodes.Br, prologue);
        il.MarkLabel(bodyStart);

        frames[0] = new ControlFrame
        {
            Kind = FrameKind.Function,
            Height = 0,
            Parameters = [],
            Results = type.Results,
            Label = il.DefineLabel(),
        };
        frameCount = 1;

        var reader = new InstructionReader(body.Code.Span, body.CodeOffset);
        while (reader.HasMore && frameCount > 0)
        {
            var instruction = reader.Read();
            if (frames[frameCount - 1].Unreachable && SkipDead(instruction.Opcode)) continue;
            pendingFuel++;
            EmitInstruction(ref reader, in instruction);
        }
        if (frameCount != 0) throw new InvalidOperationException($"Function {functionIndex}: body ended inside a block.");
        il.MarkLabel(prologue);
        EmitPrologue();
        il.Emit(OpCodes.Br, bodyStart);
        EmitGroupFallbacks();
        EmitTrapStubs();
    }

    /// <summary>Whether an instruction in unreachable code is skipped (true) or must be handled
    /// because it ends or splits the current frame.</summary>
    private bool SkipDead(Opcode opcode)
    {
        switch (opcode)
        {
            case Opcode.Block:
            case Opcode.Loop:
            case Opcode.If:
                deadNesting++;
                return true;
            case Opcode.End:
                if (deadNesting == 0) return false;
                deadNesting--;
                return true;
            case Opcode.Else:
                return deadNesting != 0;
            default:
                return true;
        }
    }

    private void EmitInstruction(ref InstructionReader reader, in Instruction instruction)
    {
        var opcode = instruction.Opcode;
        switch (opcode)
        {
            case Opcode.Unreachable: EmitUnreachable(); return;
            case Opcode.Nop: return;
            case Opcode.Block: EmitBlock(instruction.Block); return;
            case Opcode.Loop: EmitLoop(instruction.Block); return;
            case Opcode.If: EmitIf(instruction.Block); return;
            case Opcode.Else: EmitElse(); return;
            case Opcode.End: EmitEnd(); return;
            case Opcode.Br: EmitBr((int)instruction.Index); return;
            case Opcode.BrIf: EmitBrIf((int)instruction.Index); return;
            case Opcode.BrTable: EmitBrTable(ref reader, in instruction); return;
            case Opcode.Return: EmitBr(frameCount - 1); return;
            case Opcode.Call: EmitCall(instruction.Index); return;
            case Opcode.CallIndirect: EmitCallIndirect(instruction.Index, instruction.Index2); return;

            case Opcode.Drop: EmitDrop(); return;
            case Opcode.Select:
            case Opcode.SelectTyped: EmitSelect(); return;

            case Opcode.LocalGet: EmitLocalGet((int)instruction.Index); return;
            case Opcode.LocalSet: EmitLocalSet((int)instruction.Index); return;
            case Opcode.LocalTee: EmitLocalTee((int)instruction.Index); return;
            case Opcode.GlobalGet: EmitGlobalGet((int)instruction.Index); return;
            case Opcode.GlobalSet: EmitGlobalSet((int)instruction.Index); return;

            case Opcode.TableGet: EmitTableGet((int)instruction.Index); return;
            case Opcode.TableSet: EmitTableSet((int)instruction.Index); return;
            case Opcode.TableSize: EmitTableSize((int)instruction.Index); return;
            case Opcode.TableGrow: EmitTableGrow((int)instruction.Index); return;
            case Opcode.TableFill: EmitTableFill((int)instruction.Index); return;
            case Opcode.TableCopy: EmitTableCopy((int)instruction.Index, (int)instruction.Index2); return;
            case Opcode.TableInit: EmitTableInit((int)instruction.Index, (int)instruction.Index2); return;
            case Opcode.ElemDrop: EmitElemDrop((int)instruction.Index); return;

            case Opcode.MemorySize: EmitMemorySize(); return;
            case Opcode.MemoryGrow: EmitMemoryGrow(); return;
            case Opcode.MemoryFill: EmitMemoryFill(); return;
            case Opcode.MemoryCopy: EmitMemoryCopy(); return;
            case Opcode.MemoryInit: EmitMemoryInit((int)instruction.Index); return;
            case Opcode.DataDrop: EmitDataDrop((int)instruction.Index); return;

            case Opcode.I32Const:
                EmitLdcI4((int)instruction.Integer);
                Push(ValueKind.I32, Origin.Constant, (uint)instruction.Integer);
                return;
            case Opcode.I64Const:
                il.Emit(OpCodes.Ldc_I8, instruction.Integer);
                Push(ValueKind.I64);
                return;
            case Opcode.F32Const: EmitF32Const((uint)instruction.FloatBits); return;
            case Opcode.F64Const: EmitF64Const(instruction.FloatBits); return;
            case Opcode.V128Const:
                EmitV128Constant(instruction.Vector);
                Push(ValueKind.V128);
                return;

            case Opcode.RefNull:
                il.Emit(OpCodes.Ldnull);
                Push(instruction.Type);
                return;
            case Opcode.RefIsNull:
                Materialize(1);
                il.Emit(OpCodes.Ldnull);
                il.Emit(OpCodes.Ceq);
                Pop(1);
                Push(ValueKind.I32);
                return;
            case Opcode.RefFunc:
                EmitFunctionInstance(instruction.Index);
                Push(ValueKind.FuncRef);
                return;
        }

        var info = OpcodeTable.Get(opcode);
        switch (info.Immediate)
        {
            case ImmediateKind.MemArg:
                if (opcode >= Opcode.V128Load) EmitSimdMemoryAccess(opcode, instruction.Memory.Offset, 0, reader);
                else if (info.Results!.Length == 1) EmitLoad(opcode, instruction.Memory.Offset, reader);
                else EmitStore(opcode, instruction.Memory.Offset);
                return;
            case ImmediateKind.MemArgLane:
                EmitSimdMemoryAccess(opcode, instruction.Memory.Offset, instruction.Lane, reader);
                return;
            case ImmediateKind.Lane:
                EmitHelperCall(opcode, info, extraArgument: instruction.Lane);
                return;
            case ImmediateKind.Shuffle:
                Materialize(2);
                EmitConstantShuffle(instruction.Vector);
                Pop(2);
                Push(ValueKind.V128);
                return;
            case ImmediateKind.None when info.Operands is not null:
                if (TryEmitFusedExtend(opcode, ref reader)) return;
                ulong bound = ResultBound(opcode);
                if (!TryEmitInlineNumeric(opcode)) EmitHelperCall(opcode, info, extraArgument: -1);
                MarkBound(bound);
                return;
        }
        throw new InvalidOperationException($"The compiler does not handle {info.Mnemonic}.");
    }

    /// <summary>Calls the NumericOps/SimdOps method named like the opcode on the instruction's
    /// operands (plus a lane index when <paramref name="extraArgument"/> is not negative).</summary>
    private void EmitHelperCall(Opcode opcode, OpcodeTable.Info info, int extraArgument)
    {
        var helper = OperatorMethods.Get(opcode);
        int count = info.Operands!.Length;
        Materialize(count);
        if (extraArgument >= 0) EmitLdcI4(extraArgument);
        il.Emit(OpCodes.Call, helper);
        Pop(count);
        foreach (var result in info.Results!) Push(result);
    }

    // ---- Operand stack ----

    private void Push(ValueKind kind, Origin origin = Origin.Computed, ulong constant = 0)
    {
        if (height == stack.Length)
        {
            Array.Resize(ref stack, height * 2);
            Array.Resize(ref origins, height * 2);
            Array.Resize(ref constants, height * 2);
        }
        origins[height] = origin;
        constants[height] = constant;
        stack[height++] = kind;
    }

    /// <summary>Local: the unchanged value of a local plus a displacement, wrapping like i32.add:
    /// <see cref="constants"/> holds the local's index in the low half, the displacement in the
    /// high half (bounds checks through the same local merge). Bounded: an i32 whose unsigned
    /// value is at most <see cref="constants"/> (bounds checks it cannot fail are left out).</summary>
    private enum Origin : byte { Computed, Constant, PromotedF32, Local, Bounded }

    /// <summary>Removes <paramref name="count"/> entries the emitted code has consumed.</summary>
    private void Pop(int count)
    {
        height -= count;
        if (ilStart > height) ilStart = height;
    }

    /// <summary>Puts the top <paramref name="count"/> operands on the IL stack (reloading them from
    /// slots when some of them were spilled).</summary>
    private void Materialize(int count)
    {
        int first = height - count;
        if (ilStart <= first) return;
        SpillAll();
        for (int i = first; i < height; i++) LoadSlot(i);
        ilStart = first;
    }

    /// <summary>Moves every operand on the IL stack to its slot, leaving the IL stack empty.</summary>
    private void SpillAll()
    {
        for (int i = height - 1; i >= ilStart; i--) StoreSlot(i);
        ilStart = height;
    }

    /// <summary>Moves the top <paramref name="count"/> operands to their slots, leaving any
    /// operands below them on the IL stack. The caller must consume all of them without branching.</summary>
    private void StoreOperands(int count)
    {
        int first = height - count;
        for (int i = height - 1; i >= first && i >= ilStart; i--) StoreSlot(i);
        if (ilStart > first) ilStart = first;
        // Entries first..height-1 are now in slots while ilStart..first-1 stay on the IL stack;
        // the caller pops the operands right away, which restores the invariant.
    }

    private static int SlotKind(ValueKind kind) => kind switch
    {
        ValueKind.I32 => 0,
        ValueKind.I64 => 1,
        ValueKind.F32 => 2,
        ValueKind.F64 => 3,
        ValueKind.V128 => 4,
        _ => 5,
    };

    private LocalBuilder Slot(int depth, ValueKind kind)
    {
        int key = depth * SlotKinds + SlotKind(kind);
        if (key >= slots.Length) Array.Resize(ref slots, Math.Max(slots.Length * 2, key + SlotKinds));
        return slots[key] ??= il.DeclareLocal(SignatureDelegates.ClrType(kind));
    }

    private void LoadSlot(int depth) => il.Emit(OpCodes.Ldloc, Slot(depth, stack[depth]));
    private void StoreSlot(int depth) => il.Emit(OpCodes.Stloc, Slot(depth, stack[depth]));

    // ---- Locals and constants ----

    private void EmitLocalGet(int index)
    {
        if (index < parameterCount) EmitLdarg(index + 1);
        else il.Emit(OpCodes.Ldloc, DeclaredLocal(index));
        Push(localTypes[index], Origin.Local, (ulong)index);
    }

    private void EmitLocalSet(int index)
    {
        Materialize(1);
        EmitStoreLocal(index);
        Pop(1);
    }

    private void EmitLocalTee(int index)
    {
        Materialize(1);
        il.Emit(OpCodes.Dup);
        EmitStoreLocal(index);
        // The result is the local's new value (floats keep their origin for the folding workarounds).
        if (stack[height - 1] == ValueKind.I32)
        {
            origins[height - 1] = Origin.Local;
            constants[height - 1] = (ulong)index;
        }
    }

    private void EmitStoreLocal(int index)
    {
        checkedEnds[index] = 0;
        // Entries read from the local before this write keep the old value.
        for (int i = 0; i < height; i++)
            if (origins[i] == Origin.Local && (uint)constants[i] == (uint)index) origins[i] = Origin.Computed;
        displacedChecks.Remove(index);
        if (index < parameterCount)
        {
            int argument = index + 1;
            if (argument < 256) il.Emit(OpCodes.Starg_S, (byte)argument);
            else il.Emit(OpCodes.Starg, (short)argument);
        }
        else il.Emit(OpCodes.Stloc, DeclaredLocal(index));
    }

    private LocalBuilder DeclaredLocal(int index) =>
        declaredLocals[index - parameterCount] ??= il.DeclareLocal(SignatureDelegates.ClrType(localTypes[index]));

    private void EmitLdarg(int argument)
    {
        switch (argument)
        {
            case 0: il.Emit(OpCodes.Ldarg_0); break;
            case 1: il.Emit(OpCodes.Ldarg_1); break;
            case 2: il.Emit(OpCodes.Ldarg_2); break;
            case 3: il.Emit(OpCodes.Ldarg_3); break;
            case < 256: il.Emit(OpCodes.Ldarg_S, (byte)argument); break;
            default: il.Emit(OpCodes.Ldarg, (short)argument); break;
        }
    }

    private void EmitLdcI4(int value)
    {
        switch (value)
        {
            case -1: il.Emit(OpCodes.Ldc_I4_M1); break;
            case 0: il.Emit(OpCodes.Ldc_I4_0); break;
            case 1: il.Emit(OpCodes.Ldc_I4_1); break;
            case 2: il.Emit(OpCodes.Ldc_I4_2); break;
            case 3: il.Emit(OpCodes.Ldc_I4_3); break;
            case 4: il.Emit(OpCodes.Ldc_I4_4); break;
            case 5: il.Emit(OpCodes.Ldc_I4_5); break;
            case 6: il.Emit(OpCodes.Ldc_I4_6); break;
            case 7: il.Emit(OpCodes.Ldc_I4_7); break;
            case 8: il.Emit(OpCodes.Ldc_I4_8); break;
            case >= sbyte.MinValue and <= sbyte.MaxValue: il.Emit(OpCodes.Ldc_I4_S, (sbyte)value); break;
            default: il.Emit(OpCodes.Ldc_I4, value); break;
        }
    }

    /// <summary>Loads a native-sized unsigned constant (an address offset).</summary>
    private void EmitLdcNativeUnsigned(ulong value)
    {
        if (value <= int.MaxValue) EmitLdcI4((int)value);
        else il.Emit(OpCodes.Ldc_I8, (long)value);
        il.Emit(OpCodes.Conv_U);
    }

    private void EmitLdcI8(ulong value)
    {
        if (value <= int.MaxValue)
        {
            EmitLdcI4((int)value);
            il.Emit(OpCodes.Conv_I8);
        }
        else il.Emit(OpCodes.Ldc_I8, (long)value);
    }

    /// <summary>Widening the low bytes to 16 bits and then the low halves to 32 bits (clang's way of
    /// widening bytes to i32 lanes) is one pmovzxbd/pmovsxbd: the pair is emitted as one helper and
    /// the second instruction consumed here. Both are pure, so only fuel must count two.</summary>
    private bool TryEmitFusedExtend(Opcode opcode, ref InstructionReader reader)
    {
        MethodInfo fused;
        Opcode second;
        switch (opcode)
        {
            case Opcode.I16x8ExtendLowI8x16U: fused = RuntimeMembers.SimdExtendLowBytesToI32U; second = Opcode.I32x4ExtendLowI16x8U; break;
            case Opcode.I16x8ExtendLowI8x16S: fused = RuntimeMembers.SimdExtendLowBytesToI32S; second = Opcode.I32x4ExtendLowI16x8S; break;
            default: return false;
        }
        if (!reader.HasMore) return false;
        var ahead = reader;
        if (ahead.Read().Opcode != second) return false;
        reader = ahead;
        pendingFuel++;
        Materialize(1);
        il.Emit(OpCodes.Call, fused);
        Pop(1);
        Push(ValueKind.V128);
        return true;
    }

    /// <summary>i8x16.shuffle with operands a and b on the IL stack: the lane pattern is known here,
    /// so the masks are built now and the common shapes get their cheapest form (RATIONALE.md, "SIMD").</summary>
    private void EmitConstantShuffle(Vector128<byte> lanes)
    {
        bool fromA = false, fromB = false, consecutive = true;
        for (int i = 0; i < 16; i++)
        {
            byte lane = lanes.GetElement(i);
            if (lane < 16) fromA = true; else fromB = true;
            if (lane != lanes.GetElement(0) + i) consecutive = false;
        }
        byte first = lanes.GetElement(0);
        if (consecutive && first is > 0 and < 16)
        {
            EmitLdcI4(first);
            il.Emit(OpCodes.Call, RuntimeMembers.SimdShuffleConcat);
            return;
        }
        Vector128<byte> maskA = default, maskB = default;
        for (int i = 0; i < 16; i++)
        {
            byte lane = lanes.GetElement(i);
            maskA = maskA.WithElement(i, lane < 16 ? lane : (byte)0x80);
            maskB = maskB.WithElement(i, lane >= 16 ? (byte)(lane - 16) : (byte)0x80);
        }
        if (!fromB)
        {
            EmitV128Constant(maskA);
            il.Emit(OpCodes.Call, RuntimeMembers.SimdShuffleFirst);
        }
        else if (!fromA)
        {
            EmitV128Constant(maskB);
            il.Emit(OpCodes.Call, RuntimeMembers.SimdShuffleSecond);
        }
        else
        {
            EmitV128Constant(maskA);
            EmitV128Constant(maskB);
            il.Emit(OpCodes.Call, RuntimeMembers.SimdShuffleBoth);
        }
    }

    private void EmitV128Constant(Vector128<byte> value)
    {
        var halves = value.AsUInt64();
        il.Emit(OpCodes.Ldc_I8, (long)halves.GetElement(0));
        il.Emit(OpCodes.Ldc_I8, (long)halves.GetElement(1));
        il.Emit(OpCodes.Call, RuntimeMembers.Vector128CreateUInt64);
        il.Emit(OpCodes.Call, RuntimeMembers.Vector128AsByteUInt64);
    }

    // ---- Parametric instructions ----

    private void EmitDrop()
    {
        if (height - 1 >= ilStart) il.Emit(OpCodes.Pop);
        Pop(1);
    }

    /// <summary>select: the result takes the first operand's slot; the second overwrites it when
    /// the condition is zero.</summary>
    private void EmitSelect()
    {
        SpillAll();
        int condition = height - 1, second = height - 2, first = height - 3;
        var keepFirst = il.DefineLabel();
        LoadSlot(condition);
        il.Emit(OpCodes.Brtrue, keepFirst);
        LoadSlot(second);
        StoreSlot(first);
        il.MarkLabel(keepFirst);
        Pop(2);
        origins[height - 1] = Origin.Computed;
    }

    /// <summary>At a label, control merges from elsewhere: no earlier bounds check is known to hold.</summary>
    private void ForgetChecks()
    {
        foreach (int local in checkedLocals) checkedEnds[local] = 0;
        checkedLocals.Clear();
        displacedChecks.Clear();
    }

    // ---- Traps ----

    private Label TrapLabel(TrapCode code) => trapLabels[(int)code] ??= il.DefineLabel();

    /// <summary>Out-of-line blocks that raise each trap the function can raise; branches reach them
    /// with an empty IL stack.</summary>
    private void EmitTrapStubs()
    {
        for (int code = 0; code < trapLabels.Length; code++)
        {
            if (trapLabels[code] is not { } label) continue;
            il.MarkLabel(label);
            EmitLdcI4(code);
            il.Emit(OpCodes.Call, RuntimeMembers.TrapsThrow);
            // Traps.Throw never returns; the throw tells the JIT this path ends here and is cold.
            il.Emit(OpCodes.Ldnull);
            il.Emit(OpCodes.Throw);
        }
    }
}
