using System.Diagnostics;
using IronWasm.Runtime;

namespace IronWasm;

/// <summary>Owns the runtime state of instances: their memories, tables, globals and functions,
/// fuel, deadlines and resource limits, and the host's <see cref="Data"/>. Not thread-safe: run one
/// guest call at a time per store. Disposing the store frees its linear memories.</summary>
public sealed class Store : IDisposable
{
    private readonly List<MemoryInstance> _memories = new();
    private bool _disposed;

    public Store(Engine engine, object? data = null)
    {
        ArgumentNullException.ThrowIfNull(engine);
        Engine = engine;
        Data = data;
        Execution = new ExecutionState { MaxCallDepth = engine.MaxCallDepth };
        engine.Register(Execution);
    }

    public Engine Engine { get; }

    /// <summary>The host's data for this store, available to host functions through <see cref="Caller.Data"/>.</summary>
    public object? Data { get; set; }

    internal ExecutionState Execution { get; }
    internal StoreLimits Limits { get; } = new();
    internal int InstanceCount;
    internal int TableCount;
    internal int MemoryCount;

    /// <summary>Remaining fuel. Guests consume fuel as they run and trap with
    /// <see cref="TrapCode.OutOfFuel"/> when it runs out. Requires <see cref="Config.WithFuelConsumption"/>.</summary>
    public long Fuel
    {
        get
        {
            RequireFuel();
            return Math.Max(0, Execution.Fuel);
        }
        set
        {
            RequireFuel();
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Execution.Fuel = value;
        }
    }

    /// <summary>Adds <paramref name="fuel"/> to the remaining fuel.</summary>
    public void AddFuel(long fuel)
    {
        RequireFuel();
        ArgumentOutOfRangeException.ThrowIfNegative(fuel);
        Execution.Fuel = Math.Max(0, Execution.Fuel) + fuel;
    }

    /// <summary>The remaining fuel (same as <see cref="Fuel"/>).</summary>
    public long GetFuel() => Fuel;

    private void RequireFuel()
    {
        if (!Engine.Options.ConsumeFuel)
            throw new InvalidOperationException("fuel consumption is not enabled: create the engine with new Config().WithFuelConsumption(true)");
    }

    /// <summary>Limits what guests of this store may allocate. <paramref name="memorySize"/> bounds each
    /// linear memory in bytes and <paramref name="tableElements"/> each table in elements (creation
    /// beyond them fails, growth returns -1); the others bound how many instances, tables and memories
    /// the store may hold. Null leaves a limit unchanged.</summary>
    public void SetLimits(long? memorySize = null, long? tableElements = null, long? instances = null, long? tables = null, long? memories = null)
    {
        if (memorySize is { } m) Limits.MemoryBytes = NonNegative(m, nameof(memorySize));
        if (tableElements is { } t) Limits.TableElements = NonNegative(t, nameof(tableElements));
        if (instances is { } i) Limits.Instances = NonNegative(i, nameof(instances));
        if (tables is { } tc) Limits.Tables = NonNegative(tc, nameof(tables));
        if (memories is { } mc) Limits.Memories = NonNegative(mc, nameof(memories));

        static long NonNegative(long value, string name)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, name);
            return value;
        }
    }

    /// <summary>Guests trap with <see cref="TrapCode.Interrupt"/> once the engine's epoch has advanced
    /// <paramref name="ticksBeyondCurrent"/> times from now. Requires <see cref="Config.WithEpochInterruption"/>.</summary>
    public void SetEpochDeadline(long ticksBeyondCurrent)
    {
        RequireInterruption();
        ArgumentOutOfRangeException.ThrowIfNegative(ticksBeyondCurrent);
        long epoch = Interlocked.Read(ref Execution.Epoch);
        Execution.EpochDeadline = ticksBeyondCurrent > long.MaxValue - epoch ? long.MaxValue : epoch + ticksBeyondCurrent;
    }

    /// <summary>Guests trap with <see cref="TrapCode.Interrupt"/> once <paramref name="timeout"/> has
    /// passed from now (checked where the epoch is). Requires <see cref="Config.WithEpochInterruption"/>.
    /// <see cref="Timeout.InfiniteTimeSpan"/> removes the deadline.</summary>
    public void SetDeadline(TimeSpan timeout)
    {
        RequireInterruption();
        if (timeout == Timeout.InfiniteTimeSpan) { Execution.DeadlineTimestamp = long.MaxValue; return; }
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        double ticks = timeout.TotalSeconds * Stopwatch.Frequency;
        long now = Stopwatch.GetTimestamp();
        Execution.DeadlineTimestamp = ticks >= long.MaxValue - now ? long.MaxValue - 1 : now + (long)ticks;
    }

    private void RequireInterruption()
    {
        if (!Engine.Options.Interruptible)
            throw new InvalidOperationException("interruption is not enabled: create the engine with new Config().WithEpochInterruption(true)");
    }

    internal void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    internal MemoryInstance CreateMemory(MemoryType type)
    {
        ThrowIfDisposed();
        if (MemoryCount >= Limits.Memories) throw new TrapException(TrapCode.ResourceLimitExceeded, "the store's memory count limit was reached");
        var memory = new MemoryInstance(type, Limits);
        lock (_memories) _memories.Add(memory);
        MemoryCount++;
        return memory;
    }

    internal TableInstance CreateTable(TableType type, object? initial)
    {
        ThrowIfDisposed();
        if (TableCount >= Limits.Tables) throw new TrapException(TrapCode.ResourceLimitExceeded, "the store's table count limit was reached");
        var table = new TableInstance(type, initial, Limits);
        TableCount++;
        return table;
    }

    /// <summary>Frees the store's linear memories now. Instances of the store must not run afterwards
    /// (their memories are empty, so accesses trap).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        lock (_memories)
        {
            foreach (var memory in _memories) memory.Dispose();
            _memories.Clear();
        }
        Engine.Unregister(Execution);
    }
}
