using System.Reflection.Emit;
using IronWasm.Binary;
using IronWasm.Runtime;

namespace IronWasm.Compilation;

// Linear memory: loads, stores and the memory instructions. The MemoryInstance, its base pointer
// and its length are cached in locals; base and length are reloaded after anything that may grow
// the memory (calls and memory.grow). Every access is bounds checked with one signed 64-bit
// compare, (long)(uint)address > length - (offset + size), unless an earlier check covers it.
internal sealed partial class FunctionEmitter
{
    private void ReloadMemory()
    {
        if (memory is null) return;
        il.Emit(OpCodes.Ldloc, memory);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryBase);
        il.Emit(OpCodes.Stloc, memoryBase!);
        il.Emit(OpCodes.Ldloc, memory);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.MemoryLength);
        il.Emit(OpCodes.Stloc, memoryLength!);
    }

    /// <summary>Checks the access of <paramref name="size"/> bytes at the address in slot
    /// <paramref name="addressDepth"/> plus <paramref name="offset"/>, then pushes its native
    /// pointer. The operand stack must be fully spilled (the check branches). Accesses through
    /// the same local share checks within a straight-line region (memory never shrinks): see
    /// RATIONALE.md, "Memory".</summary>
    private void EmitCheckedAddress(int addressDepth, ulong offset, int size, InstructionReader ahead, bool isLoad)
    {
        var address = Slot(addressDepth, ValueKind.I32);
        ulong end = offset + (ulong)size;
        // Proven by the address's range and the memory's declared minimum (FunctionEmitter.Bounds.cs).
        if (IsStaticallyInBounds(addressDepth, end)) { }
        else if (origins[addressDepth] != Origin.Local)
        {
            EmitCheck(address, end);
        }
        else
        {
            int local = (int)(uint)constants[addressDepth];
            uint displacement = (uint)(constants[addressDepth] >> 32);
            if (IsCovered(local, displacement, end)) { }
            else if (displacement == 0)
            {
                // The address is the local itself: one check of the largest access through it.
                ulong checkedEnd = end;
                if (isLoad)
                    foreach (var (d, e) in ScanAccesses(ahead, local))
                        if (d == 0) checkedEnd = Math.Max(checkedEnd, e);
                EmitCheck(address, checkedEnd);
                if (checkedEnds[local] == 0) checkedLocals.Add(local);
                checkedEnds[local] = Math.Max(checkedEnds[local], checkedEnd);
            }
            else
            {
                var members = new List<(uint Displacement, ulong End)> { (displacement, end) };
                if (isLoad) members.AddRange(ScanAccesses(ahead, local));
                if (members.Count > 1) EmitGroupedCheck(local, members);
                else
                {
                    // Alone, the exact check of the real address is cheaper than a group's
                    // check plus fallback (and adds no join for the register allocator).
                    EmitCheck(address, end);
                    if (!displacedChecks.TryGetValue(local, out var verified)) displacedChecks[local] = verified = [];
                    verified.Add((displacement, end));
                }
            }
        }

        il.Emit(OpCodes.Ldloc, memoryBase!);
        il.Emit(OpCodes.Ldloc, address);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Add);
        if (offset != 0)
        {
            EmitLdcNativeUnsigned(offset);
            il.Emit(OpCodes.Add);
        }
    }

    /// <summary>Traps unless <c>address + end &lt;= length</c>. The address is at most 2^32 - 1
    /// and length at most 2^32, so the signed 64-bit compare address > length - end is exact even
    /// when end exceeds length; length - end is loop-invariant (length changes only at calls and
    /// memory.grow), so the check is cmp; jg.</summary>
    private void EmitCheck(LocalBuilder address, ulong end)
    {
        il.Emit(OpCodes.Ldloc, address);
        il.Emit(OpCodes.Conv_U8);
        EmitLimit(end);
        il.Emit(OpCodes.Bgt, TrapLabel(TrapCode.MemoryOutOfBounds));
    }

    private void EmitLimit(ulong end)
    {
        il.Emit(OpCodes.Ldloc, memoryLength!);
        EmitLdcI8(end);
        il.Emit(OpCodes.Sub);
    }

    /// <summary>Whether an earlier check in this region covers <paramref name="end"/> bytes at
    /// local + <paramref name="displacement"/> (wrapping).</summary>
    private bool IsCovered(int local, uint displacement, ulong end)
    {
        // local + checkedEnd <= length without wrapping, so local + displacement does not wrap either.
        if (checkedEnds[local] >= displacement + end) return true;
        if (displacedChecks.TryGetValue(local, out var verified))
            foreach (var (d, e) in verified)
                if (d == displacement && e >= end) return true;
        return false;
    }

    /// <summary>Checks a group of accesses at local + d_i (wrapping, like i32.add) with one compare
    /// of the local itself: local + max(d_i + end_i) &lt;= length proves every member in bounds.
    /// That compare is stricter than Wasm when local + d_i wraps around 2^32 (a "negative"
    /// pointer plus a displacement), so failing it is not a trap: it branches to an out-of-line
    /// block that checks each member's real address exactly, traps if one is out of bounds, and
    /// otherwise resumes. On both paths every member is verified.</summary>
    private void EmitGroupedCheck(int local, List<(uint Displacement, ulong End)> members)
    {
        ulong largest = 0;
        foreach (var (d, e) in members) largest = Math.Max(largest, d + e);
        var fallback = il.DefineLabel();
        var resume = il.DefineLabel();
        EmitLocalValue(local);
        il.Emit(OpCodes.Conv_U8);
        EmitLimit(largest);
        il.Emit(OpCodes.Bgt, fallback);
        il.MarkLabel(resume);
        groupFallbacks.Add((fallback, resume, local, members.ToArray()));
        if (!displacedChecks.TryGetValue(local, out var verified)) displacedChecks[local] = verified = [];
        verified.AddRange(members);
    }

    private void EmitGroupFallbacks()
    {
        foreach (var (fallback, resume, local, members) in groupFallbacks)
        {
            il.MarkLabel(fallback);
            foreach (var (d, e) in members)
            {
                EmitLocalValue(local);
                EmitLdcI4((int)d);
                il.Emit(OpCodes.Add);
                il.Emit(OpCodes.Conv_U8);
                EmitLimit(e);
                il.Emit(OpCodes.Bgt, TrapLabel(TrapCode.MemoryOutOfBounds));
            }
            il.Emit(OpCodes.Br, resume);
        }
    }

    private void EmitLocalValue(int local)
    {
        if (local < parameterCount) EmitLdarg(local + 1);
        else il.Emit(OpCodes.Ldloc, DeclaredLocal(local));
    }

    /// <summary>The later accesses through <paramref name="local"/> (plus a displacement) from here
    /// to the next instruction with an observable effect or a different trap, as
    /// (displacement, offset + size). Checking them before the first of them traps in exactly
    /// the cases the separate checks would, with the same trap and no skipped side effect: in
    /// between there are only loads (whose only trap is the same one), pure operators and local
    /// writes; a store ends the scan (it may be the last member).</summary>
    private static List<(uint Displacement, ulong End)> ScanAccesses(InstructionReader ahead, int local)
    {
        var found = new List<(uint, ulong)>();
        // A tiny abstract operand stack: unknown, local + displacement, or an i32 constant.
        const byte Unknown = 0, LocalPlus = 1, Constant = 2;
        Span<byte> kinds = stackalloc byte[32];
        Span<uint> values = stackalloc uint[32];
        int depth = 0;
        for (int n = 0; n < 128 && ahead.HasMore; n++)
        {
            var instruction = ahead.Read();
            var opcode = instruction.Opcode;
            int pops, pushes;
            byte kind = Unknown;
            uint value = 0;
            switch (opcode)
            {
                case Opcode.Nop: continue;
                case Opcode.LocalGet:
                    pops = 0; pushes = 1;
                    if (instruction.Index == (uint)local) kind = LocalPlus;
                    break;
                case Opcode.LocalSet:
                    if (instruction.Index == (uint)local) return found;
                    pops = 1; pushes = 0; break;
                case Opcode.LocalTee:
                    if (instruction.Index == (uint)local) return found;
                    pops = 1; pushes = 1; break;
                case Opcode.I32Const:
                    pops = 0; pushes = 1; kind = Constant; value = (uint)instruction.Integer; break;
                case Opcode.I32Add:
                    pops = 2; pushes = 1;
                    if (depth >= 2)
                    {
                        byte a = kinds[depth - 2], b = kinds[depth - 1];
                        if ((a == LocalPlus && b == Constant) || (a == Constant && b == LocalPlus))
                        {
                            kind = LocalPlus;
                            value = values[depth - 2] + values[depth - 1];
                        }
                    }
                    break;
                case Opcode.GlobalGet: pops = 0; pushes = 1; break;
                case Opcode.Drop: pops = 1; pushes = 0; break;
                case Opcode.Select or Opcode.SelectTyped: pops = 3; pushes = 1; break;
                case Opcode.I32DivS or Opcode.I32DivU or Opcode.I32RemS or Opcode.I32RemU
                    or Opcode.I64DivS or Opcode.I64DivU or Opcode.I64RemS or Opcode.I64RemU
                    or (>= Opcode.I32TruncF32S and <= Opcode.I32TruncF64U)
                    or (>= Opcode.I64TruncF32S and <= Opcode.I64TruncF64U):
                    return found;
                default:
                    var info = OpcodeTable.Get(opcode);
                    switch (info.Immediate)
                    {
                        case ImmediateKind.MemArg or ImmediateKind.MemArgLane:
                            int operands = info.Operands!.Length;
                            int addressAt = depth - operands;
                            if (addressAt >= 0 && kinds[addressAt] == LocalPlus)
                                found.Add((values[addressAt], instruction.Memory.Offset + (ulong)AccessSize(opcode)));
                            // A store is a side effect: nothing after it may be checked before it.
                            if (info.Results!.Length == 0) return found;
                            pops = operands; pushes = 1;
                            break;
                        case ImmediateKind.I64 or ImmediateKind.F32 or ImmediateKind.F64 or ImmediateKind.V128:
                            pops = 0; pushes = 1; break;
                        case ImmediateKind.None or ImmediateKind.Lane or ImmediateKind.Shuffle when info.Operands is not null:
                            pops = info.Operands.Length; pushes = info.Results!.Length; break;
                        default:
                            return found;
                    }
                    break;
            }
            depth = Math.Max(0, depth - pops);
            if (depth + pushes > kinds.Length) return found;
            for (int i = 0; i < pushes; i++)
            {
                kinds[depth] = kind;
                values[depth++] = value;
            }
        }
        return found;
    }

    private void EmitLoad(Opcode opcode, ulong offset, InstructionReader ahead)
    {
        SpillAll();
        EmitCheckedAddress(height - 1, offset, AccessSize(opcode), ahead, isLoad: true);
        il.Emit(OpCodes.Unaligned, (byte)1);
        var result = ValueKind.I32;
        switch (opcode)
        {
            case Opcode.I32Load: il.Emit(OpCodes.Ldind_I4); break;
            case Opcode.I64Load: il.Emit(OpCodes.Ldind_I8); result = ValueKind.I64; break;
            case Opcode.F32Load: il.Emit(OpCodes.Ldind_R4); result = ValueKind.F32; break;
            case Opcode.F64Load: il.Emit(OpCodes.Ldind_R8); result = ValueKind.F64; break;
            case Opcode.I32Load8S: il.Emit(OpCodes.Ldind_I1); break;
            case Opcode.I32Load8U: il.Emit(OpCodes.Ldind_U1); break;
            case Opcode.I32Load16S: il.Emit(OpCodes.Ldind_I2); break;
            case Opcode.I32Load16U: il.Emit(OpCodes.Ldind_U2); break;
            case Opcode.I64Load8S: il.Emit(OpCodes.Ldind_I1); il.Emit(OpCodes.Conv_I8); result = ValueKind.I64; break;
            case Opcode.I64Load8U: il.Emit(OpCodes.Ldind_U1); il.Emit(OpCodes.Conv_U8); result = ValueKind.I64; break;
            case Opcode.I64Load16S: il.Emit(OpCodes.Ldind_I2); il.Emit(OpCodes.Conv_I8); result = ValueKind.I64; break;
            case Opcode.I64Load16U: il.Emit(OpCodes.Ldind_U2); il.Emit(OpCodes.Conv_U8); result = ValueKind.I64; break;
            case Opcode.I64Load32S: il.Emit(OpCodes.Ldind_I4); il.Emit(OpCodes.Conv_I8); result = ValueKind.I64; break;
            case Opcode.I64Load32U: il.Emit(OpCodes.Ldind_U4); il.Emit(OpCodes.Conv_U8); result = ValueKind.I64; break;
            default: throw new InvalidOperationException($"{opcode} is not a load.");
        }
        Pop(1);
        Push(result);
        if (opcode == Opcode.I32Load8U) MarkBound(byte.MaxValue);
        else if (opcode == Opcode.I32Load16U) MarkBound(ushort.MaxValue);
    }

    private void EmitStore(Opcode opcode, ulong offset)
    {
        SpillAll();
        EmitCheckedAddress(height - 2, offset, AccessSize(opcode), default, isLoad: false);
        LoadSlot(height - 1);
        switch (opcode)
        {
            case Opcode.I32Store: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I4); break;
            case Opcode.I64Store: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I8); break;
            case Opcode.F32Store: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_R4); break;
            case Opcode.F64Store: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_R8); break;
            case Opcode.I32Store8: il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I32Store16: il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I2); break;
            case Opcode.I64Store8: il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Stind_I1); break;
            case Opcode.I64Store16: il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I2); break;
            case Opcode.I64Store32: il.Emit(OpCodes.Conv_I4); il.Emit(OpCodes.Unaligned, (byte)1); il.Emit(OpCodes.Stind_I4); break;
            default: throw new InvalidOperationException($"{opcode} is not a store.");
        }
        Pop(2);
    }

    /// <summary>Bytes touched by a memory access instruction.</summary>
    private static int AccessSize(Opcode opcode) => opcode switch
    {
        Opcode.I32Load8S or Opcode.I32Load8U or Opcode.I64Load8S or Opcode.I64Load8U
            or Opcode.I32Store8 or Opcode.I64Store8 => 1,
        Opcode.I32Load16S or Opcode.I32Load16U or Opcode.I64Load16S or Opcode.I64Load16U
            or Opcode.I32Store16 or Opcode.I64Store16 => 2,
        Opcode.I32Load or Opcode.F32Load or Opcode.I64Load32S or Opcode.I64Load32U
            or Opcode.I32Store or Opcode.F32Store or Opcode.I64Store32 => 4,
        Opcode.I64Load or Opcode.F64Load or Opcode.I64Store or Opcode.F64Store => 8,
        Opcode.V128Load or Opcode.V128Store => 16,
        Opcode.V128Load8x8S or Opcode.V128Load8x8U or Opcode.V128Load16x4S or Opcode.V128Load16x4U
            or Opcode.V128Load32x2S or Opcode.V128Load32x2U => 8,
        Opcode.V128Load8Splat or Opcode.V128Load8Lane or Opcode.V128Store8Lane => 1,
        Opcode.V128Load16Splat or Opcode.V128Load16Lane or Opcode.V128Store16Lane => 2,
        Opcode.V128Load32Splat or Opcode.V128Load32Lane or Opcode.V128Store32Lane or Opcode.V128Load32Zero => 4,
        Opcode.V128Load64Splat or Opcode.V128Load64Lane or Opcode.V128Store64Lane or Opcode.V128Load64Zero => 8,
        _ => throw new InvalidOperationException($"{opcode} does not access memory."),
    };

    private void EmitMemorySize()
    {
        il.Emit(OpCodes.Ldloc, memoryLength!);
        EmitLdcI4(16);
        il.Emit(OpCodes.Shr_Un);
        il.Emit(OpCodes.Conv_I4);
        Push(ValueKind.I32);
    }

    private void EmitMemoryGrow()
    {
        StoreOperands(1);
        il.Emit(OpCodes.Ldloc, memory!);
        LoadSlot(height - 1);
        il.Emit(OpCodes.Call, RuntimeMembers.MemoryGrow);
        Pop(1);
        Push(ValueKind.I32);
        ReloadMemory();
    }

    private void EmitMemoryFill()
    {
        StoreOperands(3);
        il.Emit(OpCodes.Ldloc, memory!);
        LoadSlot(height - 3);
        LoadSlot(height - 2);
        il.Emit(OpCodes.Conv_U1);
        LoadSlot(height - 1);
        il.Emit(OpCodes.Call, RuntimeMembers.MemoryFill);
        Pop(3);
    }

    /// <summary>memory.copy inline: both ranges checked against the cached length (a trap copies
    /// nothing), then Buffer.MemoryCopy, which has memmove semantics for overlapping ranges. With
    /// bulk memory clang makes memcpy a memory.copy, often of a few bytes (the lz benchmark's
    /// literal runs), where a call of a MemoryInstance method was a frame more per copy.</summary>
    private void EmitMemoryCopy()
    {
        SpillAll();
        int destination = height - 3, source = height - 2, count = height - 1;
        EmitRangeCheck(destination, count);
        EmitRangeCheck(source, count);
        il.Emit(OpCodes.Ldloc, memoryBase!);
        LoadSlot(source);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldloc, memoryBase!);
        LoadSlot(destination);
        il.Emit(OpCodes.Conv_U);
        il.Emit(OpCodes.Add);
        LoadSlot(count);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Dup);
        il.Emit(OpCodes.Call, RuntimeMembers.BufferMemoryCopy);
        Pop(3);
    }

    /// <summary>Traps unless the range of (unsigned) length in slot <paramref name="count"/> at
    /// the address in slot <paramref name="start"/> lies within memory. Both are below 2^32, so
    /// the 64-bit sum does not wrap.</summary>
    private void EmitRangeCheck(int start, int count)
    {
        LoadSlot(start);
        il.Emit(OpCodes.Conv_U8);
        LoadSlot(count);
        il.Emit(OpCodes.Conv_U8);
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldloc, memoryLength!);
        il.Emit(OpCodes.Bgt_Un, TrapLabel(TrapCode.MemoryOutOfBounds));
    }

    private void EmitMemoryInit(int segment)
    {
        StoreOperands(3);
        il.Emit(OpCodes.Ldloc, memory!);
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextDataSegments);
        EmitLdcI4(segment);
        il.Emit(OpCodes.Ldelem, typeof(ReadOnlyMemory<byte>));
        LoadSlot(height - 3);
        LoadSlot(height - 2);
        LoadSlot(height - 1);
        il.Emit(OpCodes.Call, RuntimeMembers.MemoryInit);
        Pop(3);
    }

    private void EmitDataDrop(int segment)
    {
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldfld, RuntimeMembers.ContextDataSegments);
        EmitLdcI4(segment);
        il.Emit(OpCodes.Ldelema, typeof(ReadOnlyMemory<byte>));
        il.Emit(OpCodes.Initobj, typeof(ReadOnlyMemory<byte>));
    }

    /// <summary>SIMD loads and stores: the checked pointer, then SimdOps.&lt;Opcode&gt;(byte*, ...).</summary>
    private void EmitSimdMemoryAccess(Opcode opcode, ulong offset, byte lane, InstructionReader ahead)
    {
        var helper = OperatorMethods.Get(opcode);
        var info = OpcodeTable.Get(opcode);
        int operands = info.Operands?.Length ?? (IsLaneAccess(opcode) ? 2 : 1);
        SpillAll();
        EmitCheckedAddress(height - operands, offset, AccessSize(opcode), ahead, isLoad: helper.ReturnType != typeof(void));
        if (operands == 2) LoadSlot(height - 1);
        if (IsLaneAccess(opcode)) EmitLdcI4(lane);
        il.Emit(OpCodes.Call, helper);
        Pop(operands);
        if (helper.ReturnType != typeof(void)) Push(ValueKind.V128);
    }

    private static bool IsLaneAccess(Opcode opcode) => opcode is >= Opcode.V128Load8Lane and <= Opcode.V128Store64Lane;
}
