namespace IronWasm.Fuzzing;

/// <summary>The ways a module is damaged. Byte-level ones find the decoder's edges; section- and
/// code-aware ones keep the framing intact so the damage reaches the validator, the compiler and the
/// runtime instead of stopping at the first length check.</summary>
internal enum Mutation
{
    FlipBits,
    InterestingByte,
    Truncate,
    InsertRun,
    DeleteRun,
    DuplicateSection,
    SpliceSection,
    RemoveSection,
    SwapSections,
    SectionSizeField,
    LebValue,
    OverwriteOpcode,
    InsertInstruction,
    SpliceFunctionBody,
    InsertSnippet,
    ReplaceInstruction,
    ReplaceConstant,
    DeleteInstruction,
}

/// <summary>Makes mutated modules from a seed corpus. Module <c>index</c> of a run with <c>seed</c> is a
/// pure function of (corpus, seed, index), so any finding can be rebuilt from those numbers alone.</summary>
internal sealed partial class ModuleMutator
{
    // Weights of the mutations above, in order: how often each is chosen.
    private static readonly int[] Weights = [8, 6, 3, 3, 3, 2, 4, 2, 2, 3, 6, 5, 7, 3, 14, 12, 12, 3];
    private static readonly int TotalWeight = Weights.Sum();

    private static readonly byte[] InterestingBytes =
        [0x00, 0x01, 0x02, 0x0B, 0x0F, 0x3F, 0x40, 0x41, 0x60, 0x6F, 0x70, 0x7B, 0x7F, 0x80, 0x81, 0xC0, 0xFC, 0xFD, 0xFE, 0xFF];

    private static readonly uint[] InterestingValues =
        [0, 1, 2, 0x3F, 0x40, 0x7F, 0x80, 0xFF, 0x3FFF, 0x4000, 0xFFFF, 0x10000, 0x10001, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF];

    private readonly IReadOnlyList<byte[]> _corpus;
    private readonly IReadOnlyList<int> _preferred;

    /// <param name="corpus">The seed modules.</param>
    /// <param name="preferred">Indices of seeds to start from most of the time (valid modules: their
    /// mutants get furthest); null or empty to treat all seeds alike.</param>
    public ModuleMutator(IReadOnlyList<byte[]> corpus, IReadOnlyList<int>? preferred = null)
    {
        if (corpus.Count == 0) throw new ArgumentException("the seed corpus is empty", nameof(corpus));
        _corpus = corpus;
        _preferred = preferred ?? [];
    }

    public ModuleMutator(SeedCorpus corpus) : this(corpus.Modules, corpus.ValidIndices) { }

    public IReadOnlyList<byte[]> Corpus => _corpus;

    /// <summary>Module <paramref name="index"/> of the run <paramref name="seed"/>: a corpus module with
    /// one to four mutations. <paramref name="trace"/>, when given, receives what was done.</summary>
    public byte[] Create(ulong seed, long index, List<string>? trace = null)
    {
        var random = FuzzRandom.ForModule(seed, index);
        int source = _preferred.Count > 0 && random.Chance(80) ? random.Pick(_preferred) : random.Next(_corpus.Count);
        byte[] module = _corpus[source];
        trace?.Add($"corpus module {source} ({module.Length} bytes)");
        int count = 1;
        while (count < 4 && random.Chance(35)) count++;
        for (int i = 0; i < count; i++) module = Apply(PickMutation(ref random), module, ref random, trace);
        return module;
    }

    private static Mutation PickMutation(ref FuzzRandom random)
    {
        int roll = random.Next(TotalWeight);
        for (int i = 0; i < Weights.Length; i++)
        {
            if (roll < Weights[i]) return (Mutation)i;
            roll -= Weights[i];
        }
        throw new InvalidOperationException("unreachable: weights cover every roll");
    }

    private byte[] Apply(Mutation mutation, byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        // Structure-aware mutations need framing they can read; without it they fall back to bit flips.
        var result = mutation switch
        {
            Mutation.FlipBits => FlipBits(module, ref random, trace),
            Mutation.InterestingByte => InterestingByte(module, ref random, trace),
            Mutation.Truncate => Truncate(module, ref random, trace),
            Mutation.InsertRun => InsertRun(module, ref random, trace),
            Mutation.DeleteRun => DeleteRun(module, ref random, trace),
            Mutation.DuplicateSection => DuplicateSection(module, ref random, trace),
            Mutation.SpliceSection => SpliceSection(module, ref random, trace),
            Mutation.RemoveSection => RemoveSection(module, ref random, trace),
            Mutation.SwapSections => SwapSections(module, ref random, trace),
            Mutation.SectionSizeField => SectionSizeField(module, ref random, trace),
            Mutation.LebValue => LebValue(module, ref random, trace),
            Mutation.OverwriteOpcode => OverwriteOpcode(module, ref random, trace),
            Mutation.InsertInstruction => InsertInstruction(module, ref random, trace),
            Mutation.SpliceFunctionBody => SpliceFunctionBody(module, ref random, trace),
            Mutation.InsertSnippet => InsertSnippet(module, ref random, trace),
            Mutation.ReplaceInstruction => ReplaceInstruction(module, ref random, trace),
            Mutation.ReplaceConstant => ReplaceConstant(module, ref random, trace),
            Mutation.DeleteInstruction => DeleteInstruction(module, ref random, trace),
            _ => null,
        };
        return result ?? FlipBits(module, ref random, trace);
    }

    private static byte[] FlipBits(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        if (module.Length == 0) return module;
        var copy = (byte[])module.Clone();
        int flips = random.Next(1, 5);
        for (int i = 0; i < flips; i++)
        {
            int position = random.Next(copy.Length);
            int bit = random.Next(8);
            copy[position] ^= (byte)(1 << bit);
            trace?.Add($"flip bit {bit} at 0x{position:X}");
        }
        return copy;
    }

    private static byte[] InterestingByte(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        if (module.Length == 0) return module;
        var copy = (byte[])module.Clone();
        int position = random.Next(copy.Length);
        copy[position] = random.Pick(InterestingBytes);
        trace?.Add($"byte 0x{copy[position]:X2} at 0x{position:X}");
        return copy;
    }

    private static byte[] Truncate(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        int length = random.Next(module.Length + 1);
        trace?.Add($"truncate to {length} bytes");
        return module[..length];
    }

    private byte[] InsertRun(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        int position = random.Next(module.Length + 1);
        byte[] run;
        if (random.Chance(50))
        {
            run = new byte[random.Next(1, 9)];
            for (int i = 0; i < run.Length; i++) run[i] = random.Chance(50) ? random.Pick(InterestingBytes) : random.NextByte();
            trace?.Add($"insert {run.Length} random bytes at 0x{position:X}");
        }
        else
        {
            // A run copied from some module: plausible encodings in an implausible place.
            int donorIndex = random.Next(_corpus.Count);
            var donor = _corpus[donorIndex];
            if (donor.Length == 0) return module;
            int start = random.Next(donor.Length);
            run = donor[start..Math.Min(donor.Length, start + random.Next(1, 65))];
            trace?.Add($"insert {run.Length} bytes of corpus module {donorIndex} from 0x{start:X} at 0x{position:X}");
        }
        return Replace(module, position, 0, run);
    }

    private static byte[] DeleteRun(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        if (module.Length == 0) return module;
        int position = random.Next(module.Length);
        int length = Math.Min(module.Length - position, random.Chance(70) ? random.Next(1, 5) : random.Next(1, 65));
        trace?.Add($"delete {length} bytes at 0x{position:X}");
        return Replace(module, position, length, []);
    }

    private static byte[]? DuplicateSection(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        var sections = SectionLayout.TryParse(module);
        if (sections is not { Count: > 0 }) return null;
        var section = random.Pick(sections);
        int at = random.Chance(50) ? section.End : random.Pick(Boundaries(sections));
        trace?.Add($"duplicate section {section.Id} (0x{section.Start:X}) at 0x{at:X}");
        return Replace(module, at, 0, module.AsSpan(section.Start, section.Length));
    }

    private byte[]? SpliceSection(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        var sections = SectionLayout.TryParse(module);
        int donorIndex = random.Next(_corpus.Count);
        var donor = _corpus[donorIndex];
        var donorSections = SectionLayout.TryParse(donor);
        if (sections is null || donorSections is not { Count: > 0 }) return null;
        var graft = random.Pick(donorSections);
        var bytes = donor.AsSpan(graft.Start, graft.Length);
        int same = sections.FindIndex(s => s.Id == graft.Id);
        if (same >= 0 && random.Chance(70))
        {
            trace?.Add($"replace section {graft.Id} with that of corpus module {donorIndex}");
            return Replace(module, sections[same].Start, sections[same].Length, bytes);
        }
        int at = random.Pick(Boundaries(sections));
        trace?.Add($"insert section {graft.Id} of corpus module {donorIndex} at 0x{at:X}");
        return Replace(module, at, 0, bytes);
    }

    private static byte[]? RemoveSection(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        var sections = SectionLayout.TryParse(module);
        if (sections is not { Count: > 0 }) return null;
        var section = random.Pick(sections);
        trace?.Add($"remove section {section.Id} (0x{section.Start:X})");
        return Replace(module, section.Start, section.Length, []);
    }

    private static byte[]? SwapSections(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        var sections = SectionLayout.TryParse(module);
        if (sections is not { Count: > 1 }) return null;
        int i = random.Next(sections.Count - 1);
        var (first, second) = (sections[i], sections[i + 1]);
        trace?.Add($"swap sections {first.Id} and {second.Id} (0x{first.Start:X})");
        var result = (byte[])module.Clone();
        module.AsSpan(second.Start, second.Length).CopyTo(result.AsSpan(first.Start));
        module.AsSpan(first.Start, first.Length).CopyTo(result.AsSpan(first.Start + second.Length));
        return result;
    }

    private static byte[]? SectionSizeField(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        var sections = SectionLayout.TryParse(module);
        if (sections is not { Count: > 0 }) return null;
        var section = random.Pick(sections);
        var field = new List<byte>();
        switch (random.Next(4))
        {
            case 0:
                uint size = (uint)Math.Max(0, section.PayloadLength + random.Next(-3, 4));
                SectionLayout.WriteUInt32(field, size);
                trace?.Add($"section {section.Id} size {section.PayloadLength} -> {size}");
                break;
            case 1:
                // Padded with continuation bytes: still well-formed up to 5 bytes, malformed beyond.
                int length = random.Next(1, 7);
                SectionLayout.WriteUInt32(field, (uint)section.PayloadLength, Math.Min(length, 5));
                if (length > 5) { field[^1] |= 0x80; field.Add(0x00); }
                trace?.Add($"section {section.Id} size field padded to {field.Count} bytes");
                break;
            case 2:
                uint value = random.Pick(InterestingValues);
                SectionLayout.WriteUInt32(field, value);
                trace?.Add($"section {section.Id} size field set to {value}");
                break;
            default:
                field.Add(0x80); field.Add(0x80); field.Add(0x80); field.Add(0x80); field.Add(0x80); field.Add(0x00);
                trace?.Add($"section {section.Id} size field overlong");
                break;
        }
        return Replace(module, section.SizeFieldStart, section.SizeFieldLength, field.ToArray());
    }

    private static byte[] LebValue(byte[] module, ref FuzzRandom random, List<string>? trace)
    {
        if (module.Length <= SectionLayout.HeaderLength) return module;
        // Any byte run that reads as a LEB128 is a candidate: counts, indices, sizes and constants alike.
        int position = random.Next(SectionLayout.HeaderLength, module.Length);
        int end = position;
        if (!SectionLayout.TryReadUInt32(module, ref end, out _)) end = Math.Min(module.Length, position + 1);
        uint value = random.Pick(InterestingValues);
        var encoded = new List<byte>();
        SectionLayout.WriteUInt32(encoded, value, random.Chance(20) ? 5 : 1);
        trace?.Add($"LEB at 0x{position:X} ({end - position} bytes) -> {value} ({encoded.Count} bytes)");
        return Replace(module, position, end - position, encoded.ToArray());
    }

    private static List<int> Boundaries(List<SectionSpan> sections)
    {
        var boundaries = new List<int> { SectionLayout.HeaderLength };
        foreach (var section in sections) boundaries.Add(section.End);
        return boundaries;
    }

    private static byte[] Replace(byte[] module, int start, int removeLength, ReadOnlySpan<byte> insert) =>
        Bytes.Replace(module, start, removeLength, insert);
}
