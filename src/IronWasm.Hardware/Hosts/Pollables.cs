using IronWasm.Hardware.Buses;
using static IronWasm.Hardware.Bindings.WasiGpio.Poll;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// A wasi:gpio pollable. Once ready it stays ready until the guest drops it. <see cref="Ready"/>
/// never blocks; <see cref="Block"/> waits until ready, in slices (<see cref="WaitSlice"/>) so that
/// it notices what the backend cannot signal (a revoked lease) and traps at once when the host stops.
/// A pollable whose pin is gone (dropped, replaced, revoked, the host stopped) is ready: the guest
/// wakes, and its next call on the pin says <c>resource-invalidated</c>.
/// </summary>
internal abstract class HostPollable : IPollable
{
    private bool _ready;

    private protected HostPollable(HostTiming timing) => Timing = timing;

    private protected HostTiming Timing { get; }

    public bool Ready()
    {
        if (!_ready && (IsGone || Check())) _ready = true;
        return _ready;
    }

    /// <summary>Waits until ready. Once the host is stopping it traps, even when ready: stopping
    /// means the guest should stop, and a guest looping on ready pollables would not.</summary>
    public void Block()
    {
        while (true)
        {
            Timing.ThrowIfStopping();
            if (Ready()) return;
            WaitSlice();
        }
    }

    /// <summary>True when the thing watched can no longer change.</summary>
    private protected abstract bool IsGone { get; }

    /// <summary>Looks (without blocking) whether the event has come; may consume it.</summary>
    private protected abstract bool Check();

    /// <summary>Waits a while for the event, or returns early when it may have come.</summary>
    internal abstract void WaitSlice();
}

/// <summary><c>watch-rising-edge</c> / <c>watch-falling-edge</c>: ready at the first edge of its kind
/// (as a physical edge, the pin having translated active-low) that no other edge pollable took.</summary>
internal sealed class EdgePollable(DigitalPin pin, GpioEdge edge) : HostPollable(pin.Host.Timing)
{
    private protected override bool IsGone => pin.IsGone;

    private protected override bool Check() => pin.TryTakeEdge(edge);

    internal override void WaitSlice() => pin.WaitForEdge(edge, HostTiming.RecheckEvery);
}

/// <summary><c>watch-state</c>, <c>watch-active</c>, <c>watch-inactive</c>: ready once the pin is in
/// the state, or has passed through it since the pollable was made (a pulse shorter than the guest's
/// look still counts). Consumes no edges.</summary>
internal sealed class LevelPollable : HostPollable
{
    private readonly DigitalPin _pin;
    private readonly bool _active;
    private readonly GpioEdge _into;
    private readonly long _baseline;

    public LevelPollable(DigitalPin pin, bool active, GpioEdge into) : base(pin.Host.Timing)
    {
        _pin = pin;
        _active = active;
        _into = into;
        _baseline = pin.Seen(into);
    }

    private protected override bool IsGone => _pin.IsGone;

    private protected override bool Check()
    {
        _pin.Pump();
        return _pin.Seen(_into) > _baseline || _pin.IsActiveNow() == _active;
    }

    internal override void WaitSlice() => _pin.WaitForEdge(_into, HostTiming.RecheckEvery);
}

/// <summary><c>watch-above(-raw)</c> / <c>watch-below(-raw)</c>: ready once the raw value is at or above
/// (at or below) the threshold. Analog lines give no signal, so a blocked wait samples every millisecond.</summary>
internal sealed class AnalogPollable(AnalogPin pin, uint threshold, bool above) : HostPollable(pin.Host.Timing)
{
    public static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(1);

    private protected override bool IsGone => pin.IsGone;

    private protected override bool Check() =>
        pin.TrySample(out uint value) && (above ? value >= threshold : value <= threshold);

    internal override void WaitSlice() => Timing.Pause(SampleEvery);
}

/// <summary>wasi:gpio's <c>poll</c>: the indices of the pollables that are ready, waiting until at
/// least one is. One pollable waits on its own signal; several are looked at every millisecond.</summary>
internal sealed class PollHost(HostTiming timing) : IHost
{
    public static readonly TimeSpan LookEvery = TimeSpan.FromMilliseconds(1);

    public uint[] Poll(IPollable[] @in)
    {
        // As in wasi:io, polling nothing would wait forever: a guest bug, so a trap that says so.
        if (@in.Length == 0) throw new ArgumentException("poll was given no pollables, so it would wait forever");
        // One look at each per round: an edge pollable's look may take its edge.
        Span<bool> isReady = @in.Length <= 256 ? stackalloc bool[@in.Length] : new bool[@in.Length];
        while (true)
        {
            timing.ThrowIfStopping();
            int ready = 0;
            for (int i = 0; i < @in.Length; i++)
                if (isReady[i] = @in[i].Ready()) ready++;
            if (ready > 0)
            {
                var indices = new uint[ready];
                for (int i = 0, n = 0; i < @in.Length; i++)
                    if (isReady[i]) indices[n++] = (uint)i;
                return indices;
            }
            if (@in.Length == 1 && @in[0] is HostPollable single) single.WaitSlice();
            else timing.Pause(LookEvery);
        }
    }
}
