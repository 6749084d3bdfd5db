using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Simulation;

public enum I2cFaultKind : byte
{
    /// <summary>No device acknowledges the address.</summary>
    NoAcknowledgeAddress,
    /// <summary>The device acknowledges its address, then not the first data byte.</summary>
    NoAcknowledgeData,
    /// <summary>A misplaced start or stop: the transfer is aborted before the device sees it.</summary>
    BusError,
    /// <summary>Another master won the bus: the transfer is aborted before the device sees it.</summary>
    ArbitrationLoss,
    /// <summary>The device stretches the clock: the transfer succeeds after <see cref="I2cFault.Latency"/>.</summary>
    Latency,
}

/// <summary>When a fault fires, counted over the transfers it applies to (its address, or all).</summary>
public readonly record struct FaultTrigger
{
    private FaultTrigger(FaultTriggerKind kind, int every, double probability, int seed)
    {
        Kind = kind;
        Every = every;
        Probability = probability;
        Seed = seed;
    }

    public FaultTriggerKind Kind { get; }

    /// <summary>For <see cref="FaultTriggerKind.EveryNth"/>: fires on transfer N, 2N, 3N, ...</summary>
    public int Every { get; }

    /// <summary>For <see cref="FaultTriggerKind.Probability"/>: the chance per transfer.</summary>
    public double Probability { get; }

    /// <summary>For <see cref="FaultTriggerKind.Probability"/>: the seed of its own random sequence.</summary>
    public int Seed { get; }

    public static FaultTrigger Always { get; } = new(FaultTriggerKind.Always, 0, 0, 0);

    public static FaultTrigger Once { get; } = new(FaultTriggerKind.Once, 0, 0, 0);

    public static FaultTrigger EveryNth(int n) =>
        n >= 1 ? new(FaultTriggerKind.EveryNth, n, 0, 0)
               : throw new ArgumentOutOfRangeException(nameof(n), n, "a fault fires every N transfers with N >= 1");

    public static FaultTrigger WithProbability(double probability, int seed) =>
        probability is >= 0 and <= 1 ? new(FaultTriggerKind.Probability, 0, probability, seed)
                                     : throw new ArgumentOutOfRangeException(nameof(probability), probability, "a probability is between 0 and 1");

    public override string ToString() => Kind switch
    {
        FaultTriggerKind.Always => "always",
        FaultTriggerKind.Once => "once",
        FaultTriggerKind.EveryNth => $"every {Every}",
        _ => $"probability {Probability.ToString(System.Globalization.CultureInfo.InvariantCulture)} seed {Seed}",
    };
}

public enum FaultTriggerKind : byte { Always, Once, EveryNth, Probability }

/// <summary>A fault to inject on a <see cref="SimulatedI2cBus"/>: what happens, to which address
/// (null: any), and when.</summary>
public sealed record I2cFault(I2cFaultKind Kind, FaultTrigger Trigger, ushort? Address = null, TimeSpan Latency = default)
{
    public override string ToString()
    {
        string what = Kind switch
        {
            I2cFaultKind.NoAcknowledgeAddress => "nack-address",
            I2cFaultKind.NoAcknowledgeData => "nack-data",
            I2cFaultKind.BusError => "bus-error",
            I2cFaultKind.ArbitrationLoss => "arbitration-loss",
            _ => $"latency {Latency.TotalMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture)} ms",
        };
        return $"{what} {(Address is { } a ? $"at 0x{a:x2}" : "on every address")}, {Trigger}";
    }

    internal I2cStatus Status => Kind switch
    {
        I2cFaultKind.NoAcknowledgeAddress => I2cStatus.NoAcknowledgeAddress,
        I2cFaultKind.NoAcknowledgeData => I2cStatus.NoAcknowledgeData,
        I2cFaultKind.BusError => I2cStatus.BusError,
        I2cFaultKind.ArbitrationLoss => I2cStatus.ArbitrationLoss,
        _ => I2cStatus.Ok,
    };
}

/// <summary>An injected fault; disposing it removes it from its bus.</summary>
public sealed class I2cFaultHandle : IDisposable
{
    private readonly SimulatedI2cBus _bus;
    private readonly FaultTriggerState _trigger;

    internal I2cFaultHandle(SimulatedI2cBus bus, I2cFault fault)
    {
        _bus = bus;
        Fault = fault;
        _trigger = new FaultTriggerState(fault.Trigger);
    }

    public I2cFault Fault { get; }

    /// <summary>How many transfers it has failed or slowed.</summary>
    public long Fired => _trigger.Fired;

    public void Dispose() => _bus.RemoveFault(this);

    /// <summary>Called under the bus lock for each transfer; says whether the fault fires now.</summary>
    internal bool Fires(ushort address) => (Fault.Address is not { } a || a == address) && _trigger.Next();
}

/// <summary>Counts the occasions a fault could fire on and decides, per its <see cref="FaultTrigger"/>,
/// whether it fires on this one. Not thread-safe: callers hold their bus's lock.</summary>
internal sealed class FaultTriggerState(FaultTrigger trigger)
{
    private readonly Random? _random = trigger.Kind == FaultTriggerKind.Probability ? new Random(trigger.Seed) : null;
    private long _seen;

    public long Fired { get; private set; }

    public bool Next()
    {
        _seen++;
        bool fire = trigger.Kind switch
        {
            FaultTriggerKind.Always => true,
            FaultTriggerKind.Once => Fired == 0,
            FaultTriggerKind.EveryNth => _seen % trigger.Every == 0,
            _ => _random!.NextDouble() < trigger.Probability,
        };
        if (fire) Fired++;
        return fire;
    }
}
