namespace IronWasm.Hardware.Simulation.Gpio;

/// <summary>One scripted press: at <see cref="At"/> after the script starts, held for <see cref="Hold"/>.</summary>
public readonly record struct ButtonPress(TimeSpan At, TimeSpan Hold);

/// <summary>A push button between the line and the supply (pressed reads high) or ground
/// (pressed reads low), with the board's resistor pulling the line to the released level; an
/// input only. Tests press it with <see cref="Press"/>/<see cref="Release"/>; demos give it a
/// script of presses that runs on the simulation's clock once started.</summary>
public sealed class SimulatedButton : SimulatedDigitalLine
{
    private bool _pressed;
    private readonly ButtonPress[] _script;
    private readonly TimeSpan? _repeatEvery;
    private ITimer? _timer;
    private TimeSpan _scriptStart;
    private int _nextEvent; // 2 per press: press, release
    private long _round;

    internal SimulatedButton(string label, uint offset, SimulationClock clock, bool pressedHigh = true,
        IReadOnlyList<ButtonPress>? script = null, TimeSpan? repeatEvery = null) : base(label, offset, clock)
    {
        PressedHigh = pressedHigh;
        _script = script?.OrderBy(p => p.At).ToArray() ?? [];
        for (int i = 0; i < _script.Length; i++)
        {
            if (_script[i].At < TimeSpan.Zero || _script[i].Hold <= TimeSpan.Zero)
                throw new ArgumentException($"button '{label}': a scripted press needs a time >= 0 and a hold > 0");
            if (i > 0 && _script[i].At < _script[i - 1].At + _script[i - 1].Hold)
                throw new ArgumentException($"button '{label}': the press at {_script[i].At.TotalSeconds} s starts before the one before it is released");
        }
        if (repeatEvery is { } every && _script.Length > 0 && every < _script[^1].At + _script[^1].Hold)
            throw new ArgumentException($"button '{label}': the script repeats every {every.TotalSeconds} s but lasts longer");
        _repeatEvery = repeatEvery;
        Initialise();
    }

    public bool PressedHigh { get; }

    public override string Kind => "button";

    public override string Description => PressedHigh ? "push button (pressed = high)" : "push button (pressed = low)";

    public override bool CanInput => true;

    public override bool CanOutput => false;

    public bool IsPressed { get { lock (Gate) return _pressed; } }

    /// <summary>The scripted presses (relative to the start of the script).</summary>
    public IReadOnlyList<ButtonPress> Script => _script;

    public TimeSpan? RepeatEvery => _repeatEvery;

    public void Press() => SetPressed(true);

    public void Release() => SetPressed(false);

    private void SetPressed(bool pressed)
    {
        lock (Gate)
        {
            _pressed = pressed;
            Recompute();
        }
    }

    private protected override bool? ExternalLevel => _pressed ? PressedHigh : null;

    private protected override bool IdleLevel => !PressedHigh;

    internal override void StartScript()
    {
        lock (Gate)
        {
            if (_script.Length == 0 || _timer is not null) return;
            _scriptStart = Clock.Elapsed;
            _nextEvent = 0;
            _round = 0;
            _timer = Clock.Provider.CreateTimer(_ => RunDue(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            ArmNext();
        }
    }

    internal override void StopScript()
    {
        lock (Gate)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    private TimeSpan EventTime(int index)
    {
        ButtonPress press = _script[index / 2];
        TimeSpan offset = _repeatEvery is { } every ? every * _round : TimeSpan.Zero;
        return _scriptStart + offset + press.At + (index % 2 == 1 ? press.Hold : TimeSpan.Zero);
    }

    /// <summary>Applies every scripted event that is due, then sets the timer for the next one.</summary>
    private void RunDue()
    {
        lock (Gate)
        {
            if (_timer is null) return;
            TimeSpan now = Clock.Elapsed;
            while (_nextEvent < _script.Length * 2 && EventTime(_nextEvent) <= now)
            {
                _pressed = _nextEvent % 2 == 0;
                Recompute();
                _nextEvent++;
                if (_nextEvent == _script.Length * 2 && _repeatEvery is not null)
                {
                    _nextEvent = 0;
                    _round++;
                }
            }
            ArmNext();
        }
    }

    private void ArmNext()
    {
        if (_nextEvent >= _script.Length * 2)
        {
            _timer?.Dispose();
            _timer = null;
            return;
        }
        TimeSpan due = EventTime(_nextEvent) - Clock.Elapsed;
        _timer!.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }
}
