using IronWasm.Components.Bindings;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiGpio.Analog;
using static IronWasm.Hardware.Bindings.WasiGpio.General;
using IPollable = IronWasm.Hardware.Bindings.WasiGpio.Poll.IPollable;

namespace IronWasm.Hardware.Hosts;

/// <summary>The three kinds of wasi:gpio analog pin.</summary>
internal enum AnalogPinKind : byte { Out, In, InOut }

/// <summary>
/// A guest's analog pin (an ADC input, a DAC or PWM output, or a line that is both). Raw values are
/// the line's own, <see cref="IAnalogLine.Bits"/> wide: a raw value above the largest is the largest
/// (fully on), as the WIT says; fractions are raw / largest.
/// </summary>
internal sealed class AnalogPin : GpioPin, IAnalogOutPin, IAnalogInPin, IAnalogInOutPin
{
    private readonly IAnalogLine _line;
    private readonly Option<OutputMode> _outputMode;
    private uint? _latched;

    public AnalogPin(GuestScope scope, string label, GpioLease lease, IAnalogLine line, AnalogPinKind kind, GpioDirection direction, Option<OutputMode> outputMode)
        : base(scope, label, lease)
    {
        _line = line;
        Kind = kind;
        Direction = direction;
        _outputMode = outputMode;
        Max = line.Bits >= 32 ? uint.MaxValue : (1u << line.Bits) - 1;
    }

    public AnalogPinKind Kind { get; }

    public GpioDirection Direction { get; private set; }

    /// <summary>The largest raw value: fully on.</summary>
    public uint Max { get; }

    public Result<AnalogConfig, GpioError> GetConfig()
    {
        if (Enter() is { } error) return Fail<AnalogConfig>(error);
        return Result.Ok(new AnalogConfig(Label, Direction == GpioDirection.Input ? PinMode.In : PinMode.Out, _outputMode));
    }

    public Result<Unit, GpioError> SetValueRaw(uint value) => Write(Math.Min(value, Max));

    public Result<Unit, GpioError> SetValue(float value)
    {
        if (!TryScale(value, out uint raw, out var error)) return Result.Err(error);
        return Write(raw);
    }

    /// <summary>Writes the output; an in-out pin that is an input keeps the value and writes it when it turns output.</summary>
    private Result<Unit, GpioError> Write(uint raw)
    {
        if (Enter() is { } error) return Result.Err(error);
        if (Direction == GpioDirection.Input)
        {
            _latched = raw;
            return Result.Ok();
        }
        try
        {
            _line.WriteRaw(raw);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Result.Err(Failure(e));
        }
        return Result.Ok();
    }

    public Result<uint, GpioError> ReadRaw()
    {
        if (Enter() is { } error) return Fail<uint>(error);
        try
        {
            return Result.Ok(Math.Min(_line.ReadRaw(), Max));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Fail<uint>(Failure(e));
        }
    }

    public Result<float, GpioError> Read()
    {
        var raw = ReadRaw();
        return raw.IsOk ? Result.Ok((float)((double)raw.Value / Max)) : Fail<float>(raw.Error);
    }

    public Result<IPollable, GpioError> WatchAboveRaw(uint value) => Watch(Math.Min(value, Max), above: true);

    public Result<IPollable, GpioError> WatchBelowRaw(uint value) => Watch(Math.Min(value, Max), above: false);

    public Result<IPollable, GpioError> WatchAbove(float value) =>
        TryScale(value, out uint raw, out var error) ? Watch(raw, above: true) : Fail<IPollable>(error);

    public Result<IPollable, GpioError> WatchBelow(float value) =>
        TryScale(value, out uint raw, out var error) ? Watch(raw, above: false) : Fail<IPollable>(error);

    private Result<IPollable, GpioError> Watch(uint threshold, bool above)
    {
        if (Enter() is { } error) return Fail<IPollable>(error);
        return Result.Ok<IPollable>(new AnalogPollable(this, threshold, above));
    }

    public Result<Unit, GpioError> SetPinMode(PinMode pinMode)
    {
        if (Enter() is { } error) return Result.Err(error);
        var direction = pinMode == PinMode.In ? GpioDirection.Input : GpioDirection.Output;
        if (direction == Direction) return Result.Ok();
        var verdict = Lease.TryChangeMode(direction);
        if (verdict != PolicyVerdict.Granted)
        {
            if (verdict == PolicyVerdict.Revoked) Close();
            return Result.Err(FromVerdict(verdict));
        }
        Direction = direction;
        if (direction == GpioDirection.Output && _latched is { } raw)
        {
            _latched = null;
            try
            {
                _line.WriteRaw(raw);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return Result.Err(Failure(e));
            }
        }
        return Result.Ok();
    }

    /// <summary>Reads the raw value for a pollable; false when the line cannot be read.</summary>
    internal bool TrySample(out uint value)
    {
        try
        {
            value = _line.ReadRaw();
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            value = 0;
            return false;
        }
    }

    /// <summary>A fraction of full scale (0 to 1, clamped) as a raw value; NaN is an error.</summary>
    private bool TryScale(float fraction, out uint raw, out GpioError error)
    {
        if (float.IsNaN(fraction))
        {
            raw = 0;
            error = GpioError.Other("an analog value is a fraction from 0 to 1, not NaN");
            return false;
        }
        raw = (uint)Math.Round(Math.Clamp((double)fraction, 0, 1) * Max);
        error = default;
        return true;
    }

    private protected override void CloseLine() => _line.Dispose();
}
