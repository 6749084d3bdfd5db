using IronWasm.Runtime;

namespace IronWasm;

/// <summary>Engine settings, built fluently: <c>new Config().WithFuelConsumption(true)</c>. Settings that
/// change generated code (fuel, interruption) are fixed when the <see cref="Engine"/> is created.</summary>
public sealed class Config
{
    /// <summary>Whether guests consume fuel (see <see cref="Store.Fuel"/>). Off by default; when off,
    /// the accounting is not compiled in and costs nothing.</summary>
    public bool ConsumeFuel { get; private set; }

    /// <summary>Whether guests check an epoch deadline and a wall-clock deadline at function entry and
    /// loop headers (see <see cref="Store.SetEpochDeadline"/>, <see cref="Store.SetDeadline"/>). Off by default.</summary>
    public bool EpochInterruption { get; private set; }

    /// <summary>Deepest nesting of Wasm calls before a guest traps with <see cref="TrapCode.StackOverflow"/>.</summary>
    public int MaxCallDepth { get; private set; } = new ExecutionState().MaxCallDepth;

    /// <summary>The directory of the compilation cache, or null when the cache is off (the default).</summary>
    public string? CompilationCacheDirectory { get; private set; }

    /// <summary>The size the compilation cache is trimmed to stay under (least recently used entries go first).</summary>
    public long CompilationCacheMaxBytes { get; private set; } = DefaultCompilationCacheMaxBytes;

    /// <summary>How the code of compiled modules (cache hits, <see cref="Module.Deserialize(Engine, ReadOnlySpan{byte})"/>)
    /// is loaded; see <see cref="IronWasm.CompiledCodeLoading"/>. Default: <see cref="CompiledCodeLoading.Assembly"/>.</summary>
    public CompiledCodeLoading CompiledCodeLoading { get; private set; } = CompiledCodeLoading.Assembly;

    /// <summary>The default size bound of the compilation cache: 512 MiB.</summary>
    public const long DefaultCompilationCacheMaxBytes = 512L << 20;

    /// <summary>The cache directory used when <see cref="WithCompilationCache"/> is given none:
    /// $IRONWASM_CACHE_DIR, else $XDG_CACHE_HOME/ironwasm, else ~/.cache/ironwasm.</summary>
    public static string DefaultCompilationCacheDirectory => Caching.CompilationCache.DefaultDirectory();

    /// <summary>Turns on the compilation cache: <see cref="Module.FromBytes(Engine, string, byte[])"/>
    /// (and so <see cref="Module.FromFile"/> and <see cref="Module.FromText"/>) loads a module's compiled code from
    /// <paramref name="directory"/> (default <see cref="DefaultCompilationCacheDirectory"/>) when an
    /// entry for the same bytes, engine build and code-shaping settings is there, and otherwise compiles
    /// the whole module and stores it. A damaged or mismatched entry is never used: the module is
    /// compiled again and the entry replaced (see <see cref="Module.CacheResult"/>). Entries hold code
    /// that runs outside the WebAssembly sandbox, so the directory is created readable by its owner
    /// only, and one that other users can write to is not used.</summary>
    public Config WithCompilationCache(string? directory = null, long maxBytes = DefaultCompilationCacheMaxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        CompilationCacheDirectory = Path.GetFullPath(directory ?? DefaultCompilationCacheDirectory);
        CompilationCacheMaxBytes = maxBytes;
        return this;
    }

    /// <summary>Turns the compilation cache off.</summary>
    public Config WithoutCompilationCache()
    {
        CompilationCacheDirectory = null;
        return this;
    }

    /// <summary>Sets how the code of compiled modules is loaded (see <see cref="IronWasm.CompiledCodeLoading"/>).
    /// It does not change the code: cache entries and serialized modules serve both ways.</summary>
    public Config WithCompiledCodeLoading(CompiledCodeLoading loading)
    {
        if (!Enum.IsDefined(loading)) throw new ArgumentOutOfRangeException(nameof(loading), loading, "not a CompiledCodeLoading");
        CompiledCodeLoading = loading;
        return this;
    }

    public Config WithFuelConsumption(bool enable)
    {
        ConsumeFuel = enable;
        return this;
    }

    /// <summary>Enables epoch and deadline interruption.</summary>
    public Config WithEpochInterruption(bool enable)
    {
        EpochInterruption = enable;
        return this;
    }

    public Config WithMaxCallDepth(int depth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        MaxCallDepth = depth;
        return this;
    }
}
