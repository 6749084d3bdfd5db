using IronWasm.Binary;

namespace IronWasm.Fuzzing;

/// <summary>Reads and rewrites the code section, so mutations can edit one function body and keep every
/// size field right: the damage then reaches the validator and compiler instead of the framing checks.</summary>
internal static class FunctionBodies
{
    public static SectionSpan? FindCode(byte[] module)
    {
        var sections = SectionLayout.TryParse(module);
        int i = sections?.FindIndex(s => s.Id == SectionLayout.CodeSectionId) ?? -1;
        return i >= 0 ? sections![i] : null;
    }

    /// <summary>The bodies (locals and expression) of the code section, or null if it does not frame.</summary>
    public static List<byte[]>? Read(byte[] module, SectionSpan code)
    {
        var payload = module.AsSpan(code.PayloadStart, code.PayloadLength);
        int position = 0;
        if (!SectionLayout.TryReadUInt32(payload, ref position, out uint count) || count > (uint)payload.Length) return null;
        var bodies = new List<byte[]>((int)count);
        for (uint i = 0; i < count; i++)
        {
            if (!SectionLayout.TryReadUInt32(payload, ref position, out uint size) || size > (uint)(payload.Length - position)) return null;
            bodies.Add(payload.Slice(position, (int)size).ToArray());
            position += (int)size;
        }
        return bodies;
    }

    /// <summary><paramref name="module"/> with its code section replaced by one holding <paramref name="bodies"/>.</summary>
    public static byte[] Write(byte[] module, SectionSpan code, List<byte[]> bodies)
    {
        var payload = new List<byte>();
        SectionLayout.WriteUInt32(payload, (uint)bodies.Count);
        foreach (var body in bodies)
        {
            SectionLayout.WriteUInt32(payload, (uint)body.Length);
            payload.AddRange(body);
        }
        var section = new List<byte> { SectionLayout.CodeSectionId };
        SectionLayout.WriteUInt32(section, (uint)payload.Count);
        section.AddRange(payload);
        return Bytes.Replace(module, code.Start, code.Length, section.ToArray());
    }

    /// <summary>Where a body's expression starts (after its local declarations), or -1.</summary>
    public static int ExpressionStart(byte[] body)
    {
        int position = 0;
        if (!SectionLayout.TryReadUInt32(body, ref position, out uint groups)) return -1;
        for (uint i = 0; i < groups; i++)
        {
            if (!SectionLayout.TryReadUInt32(body, ref position, out _) || position >= body.Length) return -1;
            position++; // the value type
        }
        return position <= body.Length ? position : -1;
    }

    /// <summary>The instructions of a body's expression as (start within the body, length, opcode), up to
    /// the first undecodable byte. The final <c>end</c> is left out: nothing may follow it.</summary>
    public static List<(int Start, int Length, Opcode Opcode)> Instructions(byte[] body)
    {
        var result = new List<(int, int, Opcode)>();
        int start = ExpressionStart(body);
        if (start < 0) return result;
        var reader = new InstructionReader(body.AsSpan(start), start);
        try
        {
            while (reader.HasMore)
            {
                var instruction = reader.Read();
                result.Add((instruction.Offset, reader.Offset - instruction.Offset, instruction.Opcode));
            }
        }
        catch (WasmFormatException)
        {
            // Already damaged: keep the instructions before the damage.
        }
        if (result.Count > 0 && result[^1].Item3 == Opcode.End && result[^1].Item1 + result[^1].Item2 == body.Length)
            result.RemoveAt(result.Count - 1);
        return result;
    }
}
