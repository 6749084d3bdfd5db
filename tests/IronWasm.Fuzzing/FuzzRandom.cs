namespace IronWasm.Fuzzing;

/// <summary>SplitMix64: a tiny generator whose sequence is fixed by this code alone (not by the .NET
/// version), so a (seed, index) pair names the same mutated module on every machine and release.</summary>
internal struct FuzzRandom
{
    private ulong _state;

    public FuzzRandom(ulong seed) => _state = seed;

    /// <summary>The generator for module <paramref name="index"/> of a run with <paramref name="seed"/>:
    /// independent of every other index, so any module can be rebuilt alone.</summary>
    public static FuzzRandom ForModule(ulong seed, long index)
    {
        var mixer = new FuzzRandom(seed ^ 0x9E3779B97F4A7C15UL * (ulong)(index + 1));
        return new FuzzRandom(mixer.NextUInt64() ^ (ulong)index);
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, <paramref name="bound"/>); bound must be positive.</summary>
    public int Next(int bound) => (int)(NextUInt64() % (ulong)bound);

    /// <summary>A value in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    public int Next(int low, int high) => low + Next(high - low);

    public bool Chance(int percent) => Next(100) < percent;

    public byte NextByte() => (byte)NextUInt64();

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
