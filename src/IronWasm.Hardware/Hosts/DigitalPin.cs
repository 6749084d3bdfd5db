using IronWasm.Components.Bindings;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiGpio.Digital;
using static IronWasm.Hardware.Bindings.WasiGpio.General;
using IPollable = IronWasm.Hardware.Bindings.WasiGpio.Poll.IPollable;

namespace IronWasm.Hardware.Hosts;

/// <summary>The four kinds of wasi:gpio digital pin.</summary>
internal enum DigitalPinKind : byte { Out, StatefulOut, In, InOut }

/// <summary>
/// A guest's digital pin, of any of the four kinds (the guest reaches only the methods of the kind
/// its handle is). States are logical: the host applies active-low, so <c>active</c> on an
/// active-low pin is a low line. Edges are logical too: a rising edge is inactive to active, which
/// on an active-low pin is the line falling.
/// </summary>
/// <remarks>
/// Edges: the backend line counts physical edges from the moment it is open; the pin moves them
/// into its own tally (<see cref="Pump"/>) so that edge pollables (which take edges, one each) and
/// level pollables (which only look) do not compete. An edge that happens while no pollable waits is
/// kept for the next edge pollable of its kind, so a press between two watches is not lost, and each
/// press is delivered once.
/// </remarks>
internal sealed class DigitalPin : GpioPin, IDigitalOutPin, IStatefulDigitalOutPin, IDigitalInPin, IDigitalInOutPin
{
    private readonly IGpioLine _line;
    private readonly long[] _seen = new long[2];   // physical edges moved from the line, by GpioEdge
    private readonly long[] _taken = new long[2];  // of those, edges handed to edge pollables
    private bool _setActive;

    public DigitalPin(GuestScope scope, string label, GpioLease lease, IGpioLine line, DigitalPinKind kind, bool activeLow, GpioPull pull, GpioDirection direction, bool initialActive)
        : base(scope, label, lease)
    {
        _line = line;
        Kind = kind;
        ActiveLow = activeLow;
        Pull = pull;
        Direction = direction;
        _setActive = initialActive;
    }

    public DigitalPinKind Kind { get; }

    public bool ActiveLow { get; }

    /// <summary>The pull the guest asked for, applied while the pin is an input.</summary>
    public GpioPull Pull { get; }

    public GpioDirection Direction { get; private set; }

    public Result<DigitalConfig, GpioError> GetConfig()
    {
        if (Enter() is { } error) return Fail<DigitalConfig>(error);
        var pull = Direction == GpioDirection.Input && Pull != GpioPull.None
            ? Option.Some(Pull == GpioPull.PullUp ? PullResistor.PullUp : PullResistor.PullDown)
            : Option<PullResistor>.None;
        return Result.Ok(new DigitalConfig(Label, Direction == GpioDirection.Input ? PinMode.In : PinMode.Out,
            ActiveLow ? ActiveLevel.ActiveLow : ActiveLevel.ActiveHigh, pull));
    }

    // ---- output -----------------------------------------------------------------------------

    public Result<Unit, GpioError> SetState(PinState state) => Set(state == PinState.Active);

    public Result<Unit, GpioError> SetActive() => Set(true);

    public Result<Unit, GpioError> SetInactive() => Set(false);

    public Result<Unit, GpioError> Toggle() => Set(!_setActive);

    public Result<bool, GpioError> IsSetActive() => Enter() is { } error ? Fail<bool>(error) : Result.Ok(_setActive);

    public Result<bool, GpioError> IsSetInactive() => Enter() is { } error ? Fail<bool>(error) : Result.Ok(!_setActive);

    public Result<PinState, GpioError> GetState() =>
        Enter() is { } error ? Fail<PinState>(error) : Result.Ok(_setActive ? PinState.Active : PinState.Inactive);

    /// <summary>Drives the line; an in-out pin that is an input keeps the state and drives it when it
    /// turns output (the output latch of most GPIO hardware).</summary>
    private Result<Unit, GpioError> Set(bool active)
    {
        if (Enter() is { } error) return Result.Err(error);
        if (Direction == GpioDirection.Output)
        {
            try
            {
                _line.Write(active != ActiveLow);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Result.Err(Failure(e));
            }
        }
        _setActive = active;
        return Result.Ok();
    }

    // ---- input ------------------------------------------------------------------------------

    public Result<PinState, GpioError> Read()
    {
        if (Enter() is { } error) return Fail<PinState>(error);
        if (!TryReadActive(out bool active, out var failure)) return Fail<PinState>(failure);
        return Result.Ok(active ? PinState.Active : PinState.Inactive);
    }

    public Result<bool, GpioError> IsActive()
    {
        if (Enter() is { } error) return Fail<bool>(error);
        return TryReadActive(out bool active, out var failure) ? Result.Ok(active) : Fail<bool>(failure);
    }

    public Result<bool, GpioError> IsInactive()
    {
        if (Enter() is { } error) return Fail<bool>(error);
        return TryReadActive(out bool active, out var failure) ? Result.Ok(!active) : Fail<bool>(failure);
    }

    private bool TryReadActive(out bool active, out GpioError failure)
    {
        try
        {
            active = _line.Read() != ActiveLow;
            failure = default;
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            active = false;
            failure = Failure(e);
            return false;
        }
    }

    public Result<IPollable, GpioError> WatchState(PinState state) => Watch(level: true, state == PinState.Active);

    public Result<IPollable, GpioError> WatchActive() => Watch(level: true, active: true);

    public Result<IPollable, GpioError> WatchInactive() => Watch(level: true, active: false);

    public Result<IPollable, GpioError> WatchRisingEdge() => Watch(level: false, active: true);

    public Result<IPollable, GpioError> WatchFallingEdge() => Watch(level: false, active: false);

    /// <param name="level">A state watch (true) or an edge watch (false).</param>
    /// <param name="active">The state watched for, or for an edge the state it goes to.</param>
    private Result<IPollable, GpioError> Watch(bool level, bool active)
    {
        if (Enter() is { } error) return Fail<IPollable>(error);
        Pump();
        // The physical edge that takes the line into the logical state watched for.
        GpioEdge edge = active != ActiveLow ? GpioEdge.Rising : GpioEdge.Falling;
        HostPollable pollable = level ? new LevelPollable(this, active, edge) : new EdgePollable(this, edge);
        return Result.Ok<IPollable>(pollable);
    }

    // ---- in-out -----------------------------------------------------------------------------

    public Result<Unit, GpioError> SetPinMode(PinMode pinMode)
    {
        if (Enter() is { } error) return Result.Err(error);
        var direction = pinMode == PinMode.In ? GpioDirection.Input : GpioDirection.Output;
        if (direction == Direction) return Result.Ok();
        var pull = direction == GpioDirection.Input ? Pull : GpioPull.None;
        var verdict = Lease.TryChangeMode(direction, pull);
        if (verdict != PolicyVerdict.Granted)
        {
            if (verdict == PolicyVerdict.Revoked) Close();
            return Result.Err(FromVerdict(verdict));
        }
        try
        {
            _line.Reconfigure(new GpioLineConfig(direction, pull, InitialHigh: _setActive != ActiveLow));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result.Err(Failure(e));
        }
        Direction = direction;
        return Result.Ok();
    }

    // ---- what pollables use -----------------------------------------------------------------

    /// <summary>The logical state now (false when the line cannot be read any more).</summary>
    internal bool IsActiveNow()
    {
        try
        {
            return _line.Read() != ActiveLow;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return false;
        }
    }

    /// <summary>Moves the edges the line has counted into the pin's tally.</summary>
    internal void Pump()
    {
        if (IsClosed || Direction != GpioDirection.Input) return;
        try
        {
            while (_line.TryTakeEdge(GpioEdge.Rising)) _seen[(int)GpioEdge.Rising]++;
            while (_line.TryTakeEdge(GpioEdge.Falling)) _seen[(int)GpioEdge.Falling]++;
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // Closed under us (the host stopped, the pin was replaced): IsGone tells the pollables.
        }
    }

    internal long Seen(GpioEdge edge) => _seen[(int)edge];

    /// <summary>Hands one edge not yet handed out to an edge pollable.</summary>
    internal bool TryTakeEdge(GpioEdge edge)
    {
        Pump();
        if (_taken[(int)edge] >= _seen[(int)edge]) return false;
        _taken[(int)edge]++;
        return true;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for <paramref name="edge"/> on the line,
    /// adding it to the tally when it comes. Returns early when the pin closes; traps the guest when
    /// the host stops.</summary>
    internal void WaitForEdge(GpioEdge edge, TimeSpan timeout)
    {
        if (IsGone || Direction != GpioDirection.Input) return;
        var timing = Host.Timing;
        try
        {
            if (_line.WaitForEdge(edge, timeout, timing.Stopping)) _seen[(int)edge]++;
        }
        catch (OperationCanceledException)
        {
            throw HostTiming.Interrupted();
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            // The line closed while we waited: IsGone now says so.
        }
    }

    private protected override void CloseLine() => _line.Dispose();
}
