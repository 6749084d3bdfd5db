namespace IronWasm.Fuzzing;

/// <summary>Mutations of function bodies. Edits land on instruction boundaries and the body's and the
/// section's sizes are rewritten, so most mutants decode; the typed ones (snippets, same-signature
/// replacements, new constants) mostly validate too, and so put the compiler and runtime to work.</summary>
internal sealed partial class ModuleMutator
{
    /// <summary>Raw opcode bytes written over a random place in the code section (framing kept, meaning not).</summary>
    private static byte[]? OverwriteOpcode(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        if (FunctionBodies.FindCode(module) is not { PayloadLength: >= 2 } section) return null;
        int position = random.Next(section.PayloadStart + 1, section.End);
        var instruction = InstructionEncoder.RandomInstruction(ref random);
        int length = Math.Min(instruction.Length, section.End - position);
        trace?.Add($"opcode {Convert.ToHexString(instruction)} written over 0x{position:X}");
        var copy = (byte[])module.Clone();
        instruction.AsSpan(0, length).CopyTo(copy.AsSpan(position));
        return copy;
    }

    /// <summary>Any instruction, immediates of roughly the right shape, at an instruction boundary.</summary>
    private static byte[]? InsertInstruction(byte[] module, ref FuzzRandom random, List<string>? trace) =>
        EditBody(module, ref random, trace, static (byte[] body, ref FuzzRandom r, List<string>? t) =>
        {
            int at = PickBoundary(body, ref r);
            if (at < 0) return null;
            var instruction = InstructionEncoder.RandomInstruction(ref r);
            t?.Add($"insert {Convert.ToHexString(instruction)} at +{at}");
            return Bytes.Replace(body, at, 0, instruction);
        });

    /// <summary>A well-typed, stack-neutral instruction sequence at an instruction boundary.</summary>
    private static byte[]? InsertSnippet(byte[] module, ref FuzzRandom random, List<string>? trace) =>
        EditBody(module, ref random, trace, static (byte[] body, ref FuzzRandom r, List<string>? t) =>
        {
            int at = PickBoundary(body, ref r);
            if (at < 0) return null;
            var snippet = InstructionEncoder.StackNeutralSnippet(ref r);
            t?.Add($"insert snippet {Convert.ToHexString(snippet)} at +{at}");
            return Bytes.Replace(body, at, 0, snippet);
        });

    /// <summary>An instruction swapped for another of the same type (i32.add for i32.div_s, say).</summary>
    private static byte[]? ReplaceInstruction(byte[] module, ref FuzzRandom random, List<string>? trace) =>
        EditBody(module, ref random, trace, static (byte[] body, ref FuzzRandom r, List<string>? t) =>
        {
            var instructions = FunctionBodies.Instructions(body);
            if (instructions.Count == 0) return null;
            for (int attempt = 0; attempt < 8; attempt++)
            {
                var (start, length, opcode) = r.Pick(instructions);
                if (InstructionEncoder.SameSignature(opcode, ref r) is not { } replacement) continue;
                t?.Add($"replace {opcode} at +{start} by {Convert.ToHexString(replacement)}");
                return Bytes.Replace(body, start, length, replacement);
            }
            return null;
        });

    /// <summary>A constant given an edge-case value (zero, extremes, NaNs with payloads, ...).</summary>
    private static byte[]? ReplaceConstant(byte[] module, ref FuzzRandom random, List<string>? trace) =>
        EditBody(module, ref random, trace, static (byte[] body, ref FuzzRandom r, List<string>? t) =>
        {
            var constants = FunctionBodies.Instructions(body).Where(i => InstructionEncoder.IsConstant(i.Opcode)).ToList();
            if (constants.Count == 0) return null;
            var (start, length, opcode) = r.Pick(constants);
            var replacement = InstructionEncoder.ReplacementConstant(opcode, ref r)!;
            t?.Add($"constant at +{start} becomes {Convert.ToHexString(replacement)}");
            return Bytes.Replace(body, start, length, replacement);
        });

    private static byte[]? DeleteInstruction(byte[] module, ref FuzzRandom random, List<string>? trace) =>
        EditBody(module, ref random, trace, static (byte[] body, ref FuzzRandom r, List<string>? t) =>
        {
            var instructions = FunctionBodies.Instructions(body);
            if (instructions.Count == 0) return null;
            var (start, length, opcode) = r.Pick(instructions);
            t?.Add($"delete {opcode} at +{start}");
            return Bytes.Replace(body, start, length, []);
        });

    private byte[]? SpliceFunctionBody(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        int donorIndex = random.Next(_corpus.Count);
        var donor = _corpus[donorIndex];
        if (FunctionBodies.FindCode(module) is not { } section || FunctionBodies.FindCode(donor) is not { } donorSection) return null;
        var bodies = FunctionBodies.Read(module, section);
        var donorBodies = FunctionBodies.Read(donor, donorSection);
        if (bodies is not { Count: > 0 } || donorBodies is not { Count: > 0 }) return null;
        int which = random.Next(bodies.Count), from = random.Next(donorBodies.Count);
        trace?.Add($"body {which} replaced by body {from} of corpus module {donorIndex}");
        bodies[which] = donorBodies[from];
        return FunctionBodies.Write(module, section, bodies);
    }

    private delegate byte[]? BodyEdit(byte[] body, ref FuzzRandom random, List<string>? trace);

    /// <summary>Applies <paramref name="edit"/> to one function body and re-frames the code section.</summary>
    private static byte[]? EditBody(byte[] module, ref FuzzRandom random, List<string>? trace, BodyEdit edit)
    {
        if (FunctionBodies.FindCode(module) is not { } section) return null;
        var bodies = FunctionBodies.Read(module, section);
        if (bodies is not { Count: > 0 }) return null;
        int which = random.Next(bodies.Count);
        trace?.Add($"in body {which}:");
        if (edit(bodies[which], ref random, trace) is not { } edited) return null;
        bodies[which] = edited;
        return FunctionBodies.Write(module, section, bodies);
    }

    /// <summary>The start of a random instruction of the body (or where its final end is), or -1.</summary>
    private static int PickBoundary(byte[] body, ref FuzzRandom random)
    {
        var instructions = FunctionBodies.Instructions(body);
        int pick = random.Next(instructions.Count + 1);
        if (pick < instructions.Count) return instructions[pick].Start;
        int start = FunctionBodies.ExpressionStart(body);
        return start < 0 ? -1 : instructions.Count > 0 ? instructions[^1].Start + instructions[^1].Length : start;
    }
}
