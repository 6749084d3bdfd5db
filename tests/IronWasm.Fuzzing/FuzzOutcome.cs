namespace IronWasm.Fuzzing;

/// <summary>How far a mutated module got. All but <see cref="Unexpected"/> are correct behaviour.</summary>
internal enum FuzzOutcome
{
    /// <summary>Decoding failed with <see cref="WasmFormatException"/>.</summary>
    Malformed,
    /// <summary>Validation failed with <see cref="WasmValidationException"/>.</summary>
    Invalid,
    /// <summary>Instantiation failed with <see cref="WasmLinkException"/>.</summary>
    LinkError,
    /// <summary>Instantiation or at least one exported function trapped with <see cref="TrapException"/>.</summary>
    Trapped,
    /// <summary>Instantiated, and every exported function called returned.</summary>
    Ran,
    /// <summary>Some other exception came out (or a trap that wraps one): a bug of the engine.</summary>
    Unexpected,
}

/// <summary>A module that made the engine misbehave: which one, where, and what came out.</summary>
internal sealed record FuzzFailure(ulong Seed, long Index, byte[] Module, string Stage, string Exception)
{
    public override string ToString() => $"seed {Seed} module {Index} ({Module.Length} bytes), {Stage}: {Exception}";
}

/// <summary>Counts of what happened, per worker and then summed.</summary>
internal sealed class FuzzStats
{
    public long[] Outcomes { get; } = new long[Enum.GetValues<FuzzOutcome>().Length];
    public long[] Traps { get; } = new long[Enum.GetValues<TrapCode>().Length];
    public long Calls;
    public long Modules => Outcomes.Sum();

    public long this[FuzzOutcome outcome] => Outcomes[(int)outcome];

    public void Add(FuzzStats other)
    {
        for (int i = 0; i < Outcomes.Length; i++) Outcomes[i] += other.Outcomes[i];
        for (int i = 0; i < Traps.Length; i++) Traps[i] += other.Traps[i];
        Calls += other.Calls;
    }

    public string DescribeOutcomes() =>
        string.Join(", ", Enum.GetValues<FuzzOutcome>().Select(o => $"{o.ToString().ToLowerInvariant()} {this[o]}"));

    public string DescribeTraps() =>
        string.Join(", ", Enum.GetValues<TrapCode>().Where(c => Traps[(int)c] > 0).Select(c => $"{c} {Traps[(int)c]}"));
}
