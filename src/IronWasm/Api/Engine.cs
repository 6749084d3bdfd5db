using IronWasm.Runtime;

namespace IronWasm;

/// <summary>The compilation environment shared by modules and stores: holds the settings that shape
/// generated code, and the epoch counter. Thread-safe.</summary>
public sealed class Engine : IDisposable
{
    private readonly List<WeakReference<ExecutionState>> _stores = new();
    private long _epoch;

    public Engine(Config? config = null)
    {
        Config = config ?? new Config();
        Options = new EngineOptions { ConsumeFuel = Config.ConsumeFuel, Interruptible = Config.EpochInterruption };
        MaxCallDepth = Config.MaxCallDepth;
        if (Config.CompilationCacheDirectory is { } directory) Cache = new Caching.CompilationCache(directory, Config.CompilationCacheMaxBytes);
    }

    /// <summary>The settings the engine was created with.</summary>
    public Config Config { get; }

    internal EngineOptions Options { get; }
    internal int MaxCallDepth { get; }
    /// <summary>The compilation cache, when the configuration turns it on.</summary>
    internal Caching.CompilationCache? Cache { get; }

    /// <summary>The current epoch (see <see cref="IncrementEpoch"/>).</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>Advances the epoch of every store of this engine; guests whose store's epoch deadline is
    /// reached trap with <see cref="TrapCode.Interrupt"/> at their next check. Safe to call from any thread.</summary>
    public void IncrementEpoch()
    {
        lock (_stores)
        {
            Interlocked.Increment(ref _epoch);
            for (int i = _stores.Count - 1; i >= 0; i--)
            {
                if (_stores[i].TryGetTarget(out var state)) Interlocked.Increment(ref state.Epoch);
                else _stores.RemoveAt(i);
            }
        }
    }

    /// <summary>Tracks a store's state so <see cref="IncrementEpoch"/> reaches it; only engines with
    /// interruption enabled track stores (no other code reads the epoch).</summary>
    internal void Register(ExecutionState state)
    {
        if (!Options.Interruptible) return;
        lock (_stores)
        {
            state.Epoch = _epoch;
            if (_stores.Count >= 64 && (_stores.Count & (_stores.Count - 1)) == 0)
                _stores.RemoveAll(w => !w.TryGetTarget(out _));
            _stores.Add(new WeakReference<ExecutionState>(state));
        }
    }

    internal void Unregister(ExecutionState state)
    {
        if (!Options.Interruptible) return;
        lock (_stores) _stores.RemoveAll(w => !w.TryGetTarget(out var s) || ReferenceEquals(s, state));
    }

    /// <summary>Releases nothing today (compiled code is collected with its modules); present so an
    /// engine can be used in <c>using</c> as in other runtimes.</summary>
    public void Dispose() { }
}
