using System.Reflection.Emit;
using IronWasm.Binary;

namespace IronWasm.Compilation;

// Loop versioning (RATIONALE.md, "Memory"): for an innermost counted loop, the bounds checks of
// accesses through induction variables (x += constant once per iteration) and loop-invariant
// locals are done once, before the loop, for every value those locals can take until the loop's
// exit test stops it. If that check passes, a copy of the loop without those checks runs; if it
// fails, the loop is emitted a second time, with every check, from a copy of the instruction
// reader. A failing pre-check is not a trap (the loop may leave early), so traps stay exact: on
// the fast path no hoisted access can be out of bounds, the slow path is the plain loop.
internal sealed partial class FunctionEmitter
{
    /// <summary>Larger loop bodies are not duplicated, and a function duplicates at most
    /// <see cref="VersioningBudget"/> instructions: RyuJIT stops inlining (the SIMD and numeric
    /// helpers included) once a method exceeds its inlining budget, which grows more slowly than
    /// the method. Versioning image's five large stencil loops made its main function 14 times slower.</summary>
    private const int MaxVersionedLoopInstructions = 200;
    private const int VersioningBudget = 600;
    private int versionedInstructions;
    /// <summary>Largest induction step (in absolute value) considered, so that step times trip
    /// count stays far from overflowing 64 bits.</summary>
    private const int MaxInductionStep = 1 << 16;

    /// <summary>In the fast copy of a versioned loop: per local, the displacements (signed) and
    /// largest displacement + offset + size verified before the loop for all its values; per
    /// (local, local) pair, the largest offset + size verified for their sum. A local's entries
    /// go when it is written (an induction variable's increment ends the facts about it).</summary>
    private Dictionary<int, (long MinDisplacement, long MaxEnd)>? hoisted;
    private Dictionary<(int, int), (long MinDisplacement, long MaxEnd)>? hoistedPairs;
    /// <summary>In the fast copy: locals last set, in the current straight-line region, to the sum
    /// of two locals not written since (clang's p = base + i, then loads at p + constants).</summary>
    private readonly Dictionary<int, (int, int)> sums = [];
    private LocalBuilder? loopLast, loopTemp;

    private enum ExitTest : byte { NotEqual, LessUnsigned, GreaterUnsigned }

    private sealed class LoopPlan
    {
        /// <summary>The induction variable the exit test reads, after its increment.</summary>
        public int Counter;
        public int Instructions;
        public ExitTest Test;
        /// <summary>The limit: a constant, or a local the loop does not write (when LimitLocal >= 0).</summary>
        public uint LimitConstant;
        public int LimitLocal = -1;
        /// <summary>Induction variables and their steps (signed); loop-invariant locals with accesses have step 0.</summary>
        public readonly Dictionary<int, int> Steps = [];
        public readonly Dictionary<int, (long MinDisplacement, long MaxEnd)> Accesses = [];
        /// <summary>(invariant local, induction or invariant local) to the displacements and ends at their sum.</summary>
        public readonly Dictionary<(int, int), (long MinDisplacement, long MaxEnd)> PairAccesses = [];
    }

    private void EmitLoop(BlockType block, ref InstructionReader reader)
    {
        var (parameters, results) = BlockSignature(block);
        SpillAll();
        FlushFuel();
        if (parameters.Count == 0 && memory is not null && TryPlanLoop(reader) is { } plan)
        {
            EmitVersionedLoop(plan, results, ref reader);
            return;
        }
        EmitLoopHeader(parameters, results);
    }

    private void EmitLoopHeader(IReadOnlyList<ValueKind> parameters, IReadOnlyList<ValueKind> results)
    {
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

    /// <summary>Pre-check, fast copy, slow copy, join. Both copies start from the same emitter state
    /// (empty IL stack, no fuel pending, no region facts) and end in the same one (the loop's
    /// results in their slots), so the code after the loop is emitted once.</summary>
    private void EmitVersionedLoop(LoopPlan plan, IReadOnlyList<ValueKind> results, ref InstructionReader reader)
    {
        var slow = il.DefineLabel();
        var join = il.DefineLabel();
        EmitLoopPrecheck(plan, slow);

        var start = reader;
        int outerFrames = frameCount;
        int startHeight = height;
        hoisted = new(plan.Accesses);
        hoistedPairs = new(plan.PairAccesses);
        EmitLoopHeader([], results);
        EmitUntilFrameEnds(ref reader, outerFrames);
        hoisted = null;
        hoistedPairs = null;
        sums.Clear();
        il.Emit(OpCodes.Br, join);

        il.MarkLabel(slow);
        height = startHeight;
        ilStart = height;
        pendingFuel = 0;
        var replay = start;
        EmitLoopHeader([], results);
        EmitUntilFrameEnds(ref replay, outerFrames);
        if (replay.Position != reader.Position) throw new InvalidOperationException("The two copies of a versioned loop diverged.");
        il.MarkLabel(join);
    }

    /// <summary>Emits instructions until the frame count drops back to <paramref name="outerFrames"/>
    /// (the loop's end), as the main loop of <see cref="Emit"/> does.</summary>
    private void EmitUntilFrameEnds(ref InstructionReader reader, int outerFrames)
    {
        while (frameCount > outerFrames)
        {
            var instruction = reader.Read();
            if (frames[frameCount - 1].Unreachable && SkipDead(instruction.Opcode)) continue;
            pendingFuel++;
            EmitInstruction(ref reader, in instruction);
        }
    }

    /// <summary>Removes the hoisted facts about <paramref name="local"/> (it is being written).</summary>
    private void ForgetHoisted(int local)
    {
        if (hoisted is null) return;
        hoisted.Remove(local);
        foreach (var key in hoistedPairs!.Keys)
            if (key.Item1 == local || key.Item2 == local) hoistedPairs.Remove(key);
        foreach (var (alias, (a, b)) in sums)
            if (alias == local || a == local || b == local) sums.Remove(alias);
        // The value being stored is on top of the operand stack.
        if (origins[height - 1] == Origin.LocalPair && !ReadsLocal(height - 1, local))
            sums[local] = ((int)(uint)constants[height - 1], (int)(uint)(constants[height - 1] >> 32));
    }

    /// <summary>Whether the loop's pre-check covers the access of <paramref name="end"/> bytes at the
    /// address in slot <paramref name="depth"/>.</summary>
    private bool IsHoisted(int depth, ulong end)
    {
        if (hoisted is null) return false;
        if (origins[depth] == Origin.Local)
        {
            int local = (int)(uint)constants[depth];
            long displacement = (int)(uint)(constants[depth] >> 32);
            if (hoisted.TryGetValue(local, out var fact))
                return displacement >= fact.MinDisplacement && displacement + (long)end <= fact.MaxEnd;
            return sums.TryGetValue(local, out var sum) && IsHoistedPair(sum.Item1, sum.Item2, displacement, end);
        }
        if (origins[depth] == Origin.LocalPair)
            return IsHoistedPair((int)(uint)constants[depth], (int)(uint)(constants[depth] >> 32), 0, end);
        return false;
    }

    private bool IsHoistedPair(int a, int b, long displacement, ulong end)
    {
        return (hoistedPairs!.TryGetValue((a, b), out var fact) || hoistedPairs.TryGetValue((b, a), out fact))
            && displacement >= fact.MinDisplacement && displacement + (long)end <= fact.MaxEnd;
    }

    private bool ReadsLocal(int depth, int local) => origins[depth] switch
    {
        Origin.Local => (uint)constants[depth] == (uint)local,
        Origin.LocalPair => (uint)constants[depth] == (uint)local || (uint)(constants[depth] >> 32) == (uint)local,
        _ => false,
    };

    // ---- Analysis ----

    /// <summary>Reads the loop body (from a copy of the reader, positioned after the loop
    /// instruction) and returns a plan when it is an innermost loop whose last instructions are
    /// its induction variables' increments and an exit test <c>br_if 0</c> on one of them, with
    /// accesses through induction or invariant locals. Only the exit test and the locals' writes
    /// must be read exactly; which accesses the pre-check covers is a guess (a wrong guess costs
    /// speed, not correctness: the fast copy drops a check only for an access the pre-check
    /// covers, judged by the emitter's own record of the address).</summary>
    private LoopPlan? TryPlanLoop(InstructionReader reader)
    {
        var plan = PlanLoop(reader);
        if (plan is null || versionedInstructions + plan.Instructions > VersioningBudget) return null;
        versionedInstructions += plan.Instructions;
        return plan;
    }

    private static LoopPlan? PlanLoop(InstructionReader reader)
    {
        var code = new List<Instruction>();
        var writes = new Dictionary<int, (int Count, int Position)>();
        // Address candidates: a local plus a displacement, or two locals' sum plus a displacement.
        var candidates = new List<(bool Pair, int A, int B, long Displacement, long End)>();
        // Locals last set to the sum of two locals (in straight-line code since the last label).
        var sums = new Dictionary<int, (int, int)>();
        const byte Unknown = 0, LocalPlus = 1, Pair = 2, Constant = 3;
        Span<byte> kinds = stackalloc byte[32];
        Span<long> first = stackalloc long[32];
        Span<long> second = stackalloc long[32];
        Span<long> third = stackalloc long[32];
        int depth = 0, nesting = 0;
        while (true)
        {
            if (!reader.HasMore || code.Count >= MaxVersionedLoopInstructions) return null;
            var instruction = reader.Read();
            code.Add(instruction);
            var opcode = instruction.Opcode;
            int pops = 0, pushes = 0;
            byte kind = Unknown;
            long a = 0, b = 0, c = 0;
            switch (opcode)
            {
                case Opcode.Loop:
                    return null;
                // A call costs more than the checks saved, and duplicating the loop costs JIT time.
                case Opcode.Call or Opcode.CallIndirect:
                    return null;
                case Opcode.Block or Opcode.If:
                    nesting++;
                    depth = 0;
                    sums.Clear();
                    continue;
                case Opcode.End:
                    if (nesting-- == 0) goto Analyze;
                    depth = 0;
                    sums.Clear();
                    continue;
                case Opcode.Else or Opcode.Br or Opcode.BrIf or Opcode.BrTable or Opcode.Return
                    or Opcode.Unreachable:
                    depth = 0;
                    sums.Clear();
                    continue;
                case Opcode.Nop:
                    continue;
                case Opcode.LocalGet:
                    pushes = 1;
                    if (sums.TryGetValue((int)instruction.Index, out var sum)) { kind = Pair; (a, b) = sum; }
                    else { kind = LocalPlus; a = instruction.Index; }
                    break;
                case Opcode.LocalSet or Opcode.LocalTee:
                    int index = (int)instruction.Index;
                    writes[index] = (writes.GetValueOrDefault(index).Count + 1, code.Count - 1);
                    foreach (var (alias, (x, y)) in sums)
                        if (alias == index || x == index || y == index) sums.Remove(alias);
                    if (depth >= 1 && kinds[depth - 1] == Pair && third[depth - 1] == 0 && first[depth - 1] != index && second[depth - 1] != index)
                        sums[index] = ((int)first[depth - 1], (int)second[depth - 1]);
                    pops = 1; pushes = opcode == Opcode.LocalTee ? 1 : 0; break;
                case Opcode.I32Const:
                    pushes = 1; kind = Constant; b = (int)instruction.Integer; break;
                case Opcode.I32Add:
                    pops = 2; pushes = 1;
                    if (depth >= 2)
                    {
                        byte x = kinds[depth - 2], y = kinds[depth - 1];
                        if (x == LocalPlus && y == Constant) { kind = LocalPlus; a = first[depth - 2]; b = (int)(second[depth - 2] + second[depth - 1]); }
                        else if (x == Constant && y == LocalPlus) { kind = LocalPlus; a = first[depth - 1]; b = (int)(second[depth - 1] + second[depth - 2]); }
                        else if (x == LocalPlus && y == LocalPlus && second[depth - 2] == 0 && second[depth - 1] == 0)
                        { kind = Pair; a = first[depth - 2]; b = first[depth - 1]; }
                        else if (x == Pair && y == Constant) { kind = Pair; a = first[depth - 2]; b = second[depth - 2]; c = (int)(third[depth - 2] + second[depth - 1]); }
                        else if (x == Constant && y == Pair) { kind = Pair; a = first[depth - 1]; b = second[depth - 1]; c = (int)(third[depth - 1] + second[depth - 2]); }
                    }
                    break;
                default:
                    var info = OpcodeTable.Get(opcode);
                    switch (info.Immediate)
                    {
                        case ImmediateKind.MemArg or ImmediateKind.MemArgLane:
                            int operands = info.Operands?.Length ?? 2;
                            int addressAt = depth - operands;
                            long end = (long)instruction.Memory.Offset + AccessSize(opcode);
                            if (addressAt >= 0 && kinds[addressAt] == LocalPlus)
                                candidates.Add((false, (int)first[addressAt], 0, second[addressAt], end));
                            else if (addressAt >= 0 && kinds[addressAt] == Pair)
                                candidates.Add((true, (int)first[addressAt], (int)second[addressAt], third[addressAt], end));
                            pops = operands; pushes = info.Results?.Length ?? 0; break;
                        case ImmediateKind.None or ImmediateKind.Lane or ImmediateKind.Shuffle when info.Operands is not null:
                            pops = info.Operands.Length; pushes = info.Results!.Length; break;
                        case ImmediateKind.I64 or ImmediateKind.F32 or ImmediateKind.F64 or ImmediateKind.V128:
                            pushes = 1; break;
                        default:
                            // Anything else (globals, tables, memory.*, select): forget the stack.
                            depth = 0;
                            continue;
                    }
                    break;
            }
            depth = Math.Max(0, depth - pops);
            if (depth + pushes > kinds.Length) { depth = 0; continue; }
            for (int i = 0; i < pushes; i++)
            {
                kinds[depth] = kind;
                first[depth] = a;
                second[depth] = b;
                third[depth++] = c;
            }
        }

    Analyze:
        // code[^1] is the loop's end; code[^2] must be br_if 0, the only exit test considered.
        int count = code.Count;
        if (count < 4 || code[count - 2].Opcode != Opcode.BrIf || code[count - 2].Index != 0) return null;
        int lastControl = -1;
        for (int i = count - 3; i >= 0; i--)
            if (IsControl(code[i].Opcode)) { lastControl = i; break; }

        var plan = new LoopPlan { Instructions = count };
        // Induction variables: written exactly once, after the last control instruction (so every
        // path back to the header either skips all increments or does all of them once), by
        // local.get x, i32.const c, i32.add (or i32.sub), local.set/tee x.
        foreach (var (local, (writeCount, position)) in writes)
        {
            if (writeCount != 1 || position <= lastControl || position < 3) continue;
            var (p, q, operation) = (code[position - 3], code[position - 2], code[position - 1].Opcode);
            long step;
            if (p.Opcode == Opcode.LocalGet && p.Index == (uint)local && q.Opcode == Opcode.I32Const && operation == Opcode.I32Add) step = (int)q.Integer;
            else if (p.Opcode == Opcode.LocalGet && p.Index == (uint)local && q.Opcode == Opcode.I32Const && operation == Opcode.I32Sub) step = -(long)(int)q.Integer;
            else if (q.Opcode == Opcode.LocalGet && q.Index == (uint)local && p.Opcode == Opcode.I32Const && operation == Opcode.I32Add) step = (int)p.Integer;
            else continue;
            if (step == 0 || Math.Abs(step) > MaxInductionStep) continue;
            plan.Steps[local] = (int)step;
        }

        // The exit test: br_if 0 on (counter) or (counter OP limit), the counter read after its increment.
        int read;
        var test = code[count - 3];
        if (test.Opcode is Opcode.LocalGet or Opcode.LocalTee)
        {
            plan.Test = ExitTest.NotEqual;
            read = count - 3;
        }
        else
        {
            if (count < 6) return null;
            plan.Test = test.Opcode switch
            {
                Opcode.I32Ne => ExitTest.NotEqual,
                Opcode.I32LtU => ExitTest.LessUnsigned,
                Opcode.I32GtU => ExitTest.GreaterUnsigned,
                _ => (ExitTest)255,
            };
            if ((byte)plan.Test == 255) return null;
            var limit = code[count - 4];
            if (limit.Opcode == Opcode.I32Const) plan.LimitConstant = (uint)limit.Integer;
            else if (limit.Opcode == Opcode.LocalGet && !writes.ContainsKey((int)limit.Index)) plan.LimitLocal = (int)limit.Index;
            else return null;
            read = count - 5;
        }
        var counterRead = code[read];
        if (counterRead.Opcode is not (Opcode.LocalGet or Opcode.LocalTee)) return null;
        plan.Counter = (int)counterRead.Index;
        if (!plan.Steps.TryGetValue(plan.Counter, out int counterStep) || read < writes[plan.Counter].Position) return null;
        switch (plan.Test)
        {
            case ExitTest.LessUnsigned:
                // i < N with i rising: needs N <= 2^32 - step so no value below N wraps when stepped.
                if (counterStep < 0 || (plan.LimitLocal < 0 && plan.LimitConstant > uint.MaxValue - (uint)counterStep + 1UL)) return null;
                break;
            case ExitTest.GreaterUnsigned:
                // i > L with i falling by m: needs L >= m - 1 so no value above L wraps when stepped.
                if (counterStep > 0 || plan.LimitLocal >= 0 || plan.LimitConstant < (uint)(-counterStep) - 1) return null;
                break;
        }

        // Accesses through induction variables and invariant locals (never written in the loop).
        foreach (var (isPair, a, b, displacement, end) in candidates)
        {
            if (!isPair)
            {
                if (!plan.Steps.ContainsKey(a) && writes.ContainsKey(a)) continue;
                plan.Accesses[a] = Widen(plan.Accesses, a, displacement, end);
            }
            else
            {
                int x = a, y = b;
                bool xInvariant = !writes.ContainsKey(x), yInvariant = !writes.ContainsKey(y);
                // The first of the key is invariant, the second an induction variable or invariant.
                if (xInvariant && (yInvariant || plan.Steps.ContainsKey(y))) { }
                else if (yInvariant && plan.Steps.ContainsKey(x)) (x, y) = (y, x);
                else continue;
                plan.PairAccesses[(x, y)] = Widen(plan.PairAccesses, (x, y), displacement, end);
            }
        }
        if (plan.Accesses.Count == 0 && plan.PairAccesses.Count == 0) return null;
        return plan;
    }

    private static (long, long) Widen<TKey>(Dictionary<TKey, (long MinDisplacement, long MaxEnd)> facts, TKey key, long displacement, long end)
        where TKey : notnull
    {
        var (low, high) = facts.TryGetValue(key, out var known) ? known : (long.MaxValue, long.MinValue);
        return (Math.Min(low, displacement), Math.Max(high, displacement + end));
    }

    private static bool IsControl(Opcode opcode) => opcode is Opcode.Block or Opcode.Loop or Opcode.If or Opcode.Else
        or Opcode.End or Opcode.Br or Opcode.BrIf or Opcode.BrTable or Opcode.Return or Opcode.Unreachable;

    // ---- Pre-check ----

    /// <summary>Branches to <paramref name="slow"/> unless the exit test bounds the trip count and
    /// every planned access is in bounds for every value its locals take in the loop. Computed
    /// in 64 bits (steps are at most 2^16 and trip counts below 2^32, so nothing overflows);
    /// loopLast = the number of increments before the last iteration.</summary>
    private void EmitLoopPrecheck(LoopPlan plan, Label slow)
    {
        loopLast ??= il.DeclareLocal(typeof(long));
        loopTemp ??= il.DeclareLocal(typeof(long));
        long step = plan.Steps[plan.Counter];
        long magnitude = Math.Abs(step);
        switch (plan.Test)
        {
            case ExitTest.NotEqual:
            {
                // Distance to the limit in the direction of the step, modulo 2^32: a non-zero
                // multiple of the step is reached after exactly distance / |step| increments.
                if (step > 0) { EmitLimitValue(plan); EmitLocalValue(plan.Counter); }
                else { EmitLocalValue(plan.Counter); EmitLimitValue(plan); }
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Conv_U8);
                il.Emit(OpCodes.Stloc, loopTemp);
                il.Emit(OpCodes.Ldloc, loopTemp);
                il.Emit(OpCodes.Brfalse, slow);
                il.Emit(OpCodes.Ldloc, loopTemp);
                EmitLdcI8((ulong)magnitude);
                il.Emit(OpCodes.Rem_Un);
                il.Emit(OpCodes.Brtrue, slow);
                il.Emit(OpCodes.Ldloc, loopTemp);
                EmitLdcI8((ulong)magnitude);
                il.Emit(OpCodes.Div_Un);
                il.Emit(OpCodes.Ldc_I4_1);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Stloc, loopLast);
                break;
            }
            case ExitTest.LessUnsigned:
            {
                // i0 + step must not wrap; with a local limit, limit <= 2^32 - step (checked at
                // compile time for a constant one). Then last = i0 < N ? (N - i0 - 1) / step : 0.
                EmitCounterValue(plan.Counter);
                EmitLdcI8((ulong)step);
                il.Emit(OpCodes.Add);
                EmitLdcI8(uint.MaxValue);
                il.Emit(OpCodes.Bgt, slow);
                if (plan.LimitLocal >= 0)
                {
                    EmitLimitValue(plan);
                    il.Emit(OpCodes.Conv_U8);
                    EmitLdcI8((1UL << 32) - (ulong)step);
                    il.Emit(OpCodes.Bgt, slow);
                }
                var done = il.DefineLabel();
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Stloc, loopLast);
                EmitCounterValue(plan.Counter);
                EmitLimitValue(plan);
                il.Emit(OpCodes.Conv_U8);
                il.Emit(OpCodes.Bge, done);
                EmitLimitValue(plan);
                il.Emit(OpCodes.Conv_U8);
                EmitCounterValue(plan.Counter);
                il.Emit(OpCodes.Sub);
                il.Emit(OpCodes.Ldc_I4_1);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Sub);
                EmitLdcI8((ulong)step);
                il.Emit(OpCodes.Div);
                il.Emit(OpCodes.Stloc, loopLast);
                il.MarkLabel(done);
                break;
            }
            case ExitTest.GreaterUnsigned:
            {
                // The first decrement must not wrap (i0 >= m); then last = i0 > L ? (i0 - L - 1) / m : 0.
                EmitCounterValue(plan.Counter);
                EmitLdcI8((ulong)magnitude);
                il.Emit(OpCodes.Blt, slow);
                var done = il.DefineLabel();
                il.Emit(OpCodes.Ldc_I4_0);
                il.Emit(OpCodes.Conv_I8);
                il.Emit(OpCodes.Stloc, loopLast);
                EmitCounterValue(plan.Counter);
                EmitLdcI8(plan.LimitConstant);
                il.Emit(OpCodes.Ble, done);
                EmitCounterValue(plan.Counter);
                EmitLdcI8((ulong)plan.LimitConstant + 1);
                il.Emit(OpCodes.Sub);
                EmitLdcI8((ulong)magnitude);
                il.Emit(OpCodes.Div);
                il.Emit(OpCodes.Stloc, loopLast);
                il.MarkLabel(done);
                break;
            }
        }

        // An access at x + d (wrapping) for x = x0 + k * step, k in 0..last: the addresses of all
        // accesses through x lie in [low, low + last * |step| + (maxEnd - minDisplacement)) counted
        // from low = (lowest x + minDisplacement) mod 2^32. If that end is at most the length, no
        // address wraps in between (so each is its plain sum) and every access is in bounds. This
        // covers "negative" induction variables counting up to 0 (x + displacement wraps for all
        // of them) as well as plain ones.
        foreach (var (local, (minDisplacement, maxEnd)) in plan.Accesses)
        {
            EmitLocalValue(local);
            EmitRangeCheck(plan.Steps.GetValueOrDefault(local), minDisplacement, maxEnd, slow);
        }
        foreach (var ((invariant, other), (minDisplacement, maxEnd)) in plan.PairAccesses)
        {
            EmitLocalValue(invariant);
            EmitLocalValue(other);
            il.Emit(OpCodes.Add);
            EmitRangeCheck(plan.Steps.GetValueOrDefault(other), minDisplacement, maxEnd, slow);
        }
    }

    /// <summary>With the first value of an i32 address base on the stack: branches to
    /// <paramref name="slow"/> unless (lowest base + minDisplacement) mod 2^32 + last * |step| +
    /// maxEnd - minDisplacement &lt;= length.</summary>
    private void EmitRangeCheck(int step, long minDisplacement, long maxEnd, Label slow)
    {
        if (minDisplacement != 0)
        {
            EmitLdcI4((int)minDisplacement);
            il.Emit(OpCodes.Add);
        }
        if (step < 0)
        {
            EmitTravel(step);
            il.Emit(OpCodes.Conv_I4);
            il.Emit(OpCodes.Sub);
        }
        il.Emit(OpCodes.Conv_U8);
        if (step != 0)
        {
            EmitTravel(step);
            il.Emit(OpCodes.Add);
        }
        EmitLdcI8((ulong)(maxEnd - minDisplacement));
        il.Emit(OpCodes.Add);
        il.Emit(OpCodes.Ldloc, memoryLength!);
        il.Emit(OpCodes.Bgt, slow);
    }

    /// <summary>Pushes last * |step| (64-bit): how far an induction variable moves in the loop.</summary>
    private void EmitTravel(int step)
    {
        il.Emit(OpCodes.Ldloc, loopLast!);
        EmitLdcI8((ulong)Math.Abs((long)step));
        il.Emit(OpCodes.Mul);
    }

    /// <summary>Pushes an i32 local's value zero-extended to 64 bits.</summary>
    private void EmitCounterValue(int local)
    {
        EmitLocalValue(local);
        il.Emit(OpCodes.Conv_U8);
    }

    /// <summary>Pushes the exit test's limit as an i32.</summary>
    private void EmitLimitValue(LoopPlan plan)
    {
        if (plan.LimitLocal >= 0) EmitLocalValue(plan.LimitLocal);
        else EmitLdcI4((int)plan.LimitConstant);
    }
}
