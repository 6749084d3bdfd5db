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
