using IronWasm.Components.Bindings;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation.Gpio;
using static IronWasm.Hardware.Bindings.WasiGpio.General;
using AnalogInterface = IronWasm.Hardware.Bindings.WasiGpio.Analog;
using DigitalInterface = IronWasm.Hardware.Bindings.WasiGpio.Digital;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// The static <c>get</c> functions of wasi:gpio's digital and analog pins, for one guest. Each get
/// checks, in order: the flags (<c>invalid-flag</c>, <c>missing-flags</c>); the policy for the pin in
/// the mode asked (<c>pin-not-allowed</c>, <c>pin-mode-not-allowed</c>; checked before the inventory
/// so a denial does not reveal which labels exist); the inventory (<c>undefined-pin-label</c>); the
/// line's abilities (<c>pin-mode-not-available</c>); who holds the pin (<c>already-in-use</c> when
/// another guest or process does; the same guest's earlier handle to it is invalidated, as the WIT
/// says). Then it opens the line.
/// </summary>
internal sealed class GpioHost(GuestScope scope) : DigitalInterface.IHost, AnalogInterface.IHost
{
    private HardwareHost Host => scope.Host;

    // ---- digital ----------------------------------------------------------------------------

    public Result<DigitalInterface.IDigitalOutPin, GpioError> DigitalOutPinGet(string pinLabel, DigitalInterface.DigitalFlag[] flags) =>
        As<DigitalInterface.IDigitalOutPin>(GetDigital(pinLabel, flags, DigitalPinKind.Out));

    public Result<DigitalInterface.IStatefulDigitalOutPin, GpioError> StatefulDigitalOutPinGet(string pinLabel, DigitalInterface.DigitalFlag[] flags) =>
        As<DigitalInterface.IStatefulDigitalOutPin>(GetDigital(pinLabel, flags, DigitalPinKind.StatefulOut));

    public Result<DigitalInterface.IDigitalInPin, GpioError> DigitalInPinGet(string pinLabel, DigitalInterface.DigitalFlag[] flags) =>
        As<DigitalInterface.IDigitalInPin>(GetDigital(pinLabel, flags, DigitalPinKind.In));

    public Result<DigitalInterface.IDigitalInOutPin, GpioError> DigitalInOutPinGet(string pinLabel, DigitalInterface.DigitalFlag[] flags) =>
        As<DigitalInterface.IDigitalInOutPin>(GetDigital(pinLabel, flags, DigitalPinKind.InOut));

    /// <summary>What a digital get asks for, from its flags.</summary>
    internal readonly record struct DigitalRequest(bool ActiveLow, GpioPull Pull, bool InitialActive, GpioDirection Direction);

    /// <summary>Reads the flags of a digital get: contradictory flags and flags the kind does not take
    /// are <c>invalid-flag</c>; no active level (or, for an in-out pin, no direction) is <c>missing-flags</c>.
    /// An output starts inactive unless <c>active</c> is given.</summary>
    internal static GpioError? ParseDigitalFlags(DigitalInterface.DigitalFlag[] flags, DigitalPinKind kind, out DigitalRequest request)
    {
        request = default;
        DigitalInterface.DigitalFlag all = 0;
        foreach (var flag in flags) all |= flag;
        bool Has(DigitalInterface.DigitalFlag f) => (all & f) != 0;

        bool high = Has(DigitalInterface.DigitalFlag.ActiveHigh), low = Has(DigitalInterface.DigitalFlag.ActiveLow);
        bool up = Has(DigitalInterface.DigitalFlag.PullUp), down = Has(DigitalInterface.DigitalFlag.PullDown);
        bool active = Has(DigitalInterface.DigitalFlag.Active), inactive = Has(DigitalInterface.DigitalFlag.Inactive);
        bool input = Has(DigitalInterface.DigitalFlag.Input), output = Has(DigitalInterface.DigitalFlag.Output);

        if ((high && low) || (up && down) || (active && inactive) || (input && output)) return GpioError.InvalidFlag;
        bool isOutput = kind is DigitalPinKind.Out or DigitalPinKind.StatefulOut;
        if (isOutput && (up || down || input || output)) return GpioError.InvalidFlag;
        if (kind == DigitalPinKind.In && (active || inactive || input || output)) return GpioError.InvalidFlag;
        if (!high && !low) return GpioError.MissingFlags;
        if (kind == DigitalPinKind.InOut && !input && !output) return GpioError.MissingFlags;

        var direction = kind switch
        {
            DigitalPinKind.In => GpioDirection.Input,
            DigitalPinKind.InOut => input ? GpioDirection.Input : GpioDirection.Output,
            _ => GpioDirection.Output,
        };
        request = new DigitalRequest(low, up ? GpioPull.PullUp : down ? GpioPull.PullDown : GpioPull.None, active, direction);
        return null;
    }

    private Result<DigitalPin, GpioError> GetDigital(string label, DigitalInterface.DigitalFlag[] flags, DigitalPinKind kind)
    {
        if (Host.IsDisposed) return Fail<DigitalPin>(GpioError.Other(HardwareHost.ShutDownMessage));
        if (ParseDigitalFlags(flags, kind, out var request) is { } flagError) return Fail<DigitalPin>(flagError);
        var pull = request.Direction == GpioDirection.Input ? request.Pull : GpioPull.None;

        var verdict = Host.Policy.OpenGpio(scope.Guest, label, request.Direction, pull, out GpioLease? lease);
        if (verdict != PolicyVerdict.Granted) return Fail<DigitalPin>(OpenDenial(verdict));

        if (FindLine(label, out IGpioController? controller, out GpioLineInfo line) is { } missing) return Dispose<DigitalPin>(lease!, missing);
        bool able = !line.IsAnalog && kind switch
        {
            DigitalPinKind.In => line.CanInput,
            DigitalPinKind.InOut => line.CanInput && line.CanOutput,
            _ => line.CanOutput,
        };
        if (!able) return Dispose<DigitalPin>(lease!, GpioError.PinModeNotAvailable);
        if (!Host.TakeOverPin(label, scope.Guest)) return Dispose<DigitalPin>(lease!, GpioError.AlreadyInUse);

        IGpioLine opened;
        try
        {
            opened = controller!.OpenDigital(label, new GpioLineConfig(request.Direction, pull, InitialHigh: request.InitialActive != request.ActiveLow));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Dispose<DigitalPin>(lease!, OpenFailure(e));
        }
        var pin = new DigitalPin(scope, label, lease!, opened, kind, request.ActiveLow, request.Pull, request.Direction, request.InitialActive);
        return Host.RegisterPin(pin) ? Result.Ok(pin) : Fail<DigitalPin>(GpioError.Other(HardwareHost.ShutDownMessage));
    }

    // ---- analog -----------------------------------------------------------------------------

    public Result<AnalogInterface.IAnalogOutPin, GpioError> AnalogOutPinGet(string pinLabel, AnalogInterface.AnalogFlag[] flags) =>
        As<AnalogInterface.IAnalogOutPin>(GetAnalog(pinLabel, flags, AnalogPinKind.Out));

    public Result<AnalogInterface.IAnalogInPin, GpioError> AnalogInPinGet(string pinLabel, AnalogInterface.AnalogFlag[] flags) =>
        As<AnalogInterface.IAnalogInPin>(GetAnalog(pinLabel, flags, AnalogPinKind.In));

    public Result<AnalogInterface.IAnalogInOutPin, GpioError> AnalogInOutPinGet(string pinLabel, AnalogInterface.AnalogFlag[] flags) =>
        As<AnalogInterface.IAnalogInOutPin>(GetAnalog(pinLabel, flags, AnalogPinKind.InOut));

    /// <summary>Reads the flags of an analog get: <c>dac</c> and <c>pwm</c> together, or either on an
    /// input pin, are <c>invalid-flag</c>; none means whichever output the line has.</summary>
    internal static GpioError? ParseAnalogFlags(AnalogInterface.AnalogFlag[] flags, AnalogPinKind kind, out Option<AnalogInterface.OutputMode> requested)
    {
        requested = default;
        AnalogInterface.AnalogFlag all = 0;
        foreach (var flag in flags) all |= flag;
        bool dac = (all & AnalogInterface.AnalogFlag.Dac) != 0, pwm = (all & AnalogInterface.AnalogFlag.Pwm) != 0;
        if (dac && pwm) return GpioError.InvalidFlag;
        if (kind == AnalogPinKind.In && (dac || pwm)) return GpioError.InvalidFlag;
        if (dac) requested = Option.Some(AnalogInterface.OutputMode.Dac);
        else if (pwm) requested = Option.Some(AnalogInterface.OutputMode.Pwm);
        return null;
    }

    private Result<AnalogPin, GpioError> GetAnalog(string label, AnalogInterface.AnalogFlag[] flags, AnalogPinKind kind)
    {
        if (Host.IsDisposed) return Fail<AnalogPin>(GpioError.Other(HardwareHost.ShutDownMessage));
        if (ParseAnalogFlags(flags, kind, out var requested) is { } flagError) return Fail<AnalogPin>(flagError);
        // An in-out pin starts as an input: reading changes nothing outside.
        var direction = kind == AnalogPinKind.Out ? GpioDirection.Output : GpioDirection.Input;

        var verdict = Host.Policy.OpenAnalog(scope.Guest, label, direction, out GpioLease? lease);
        if (verdict != PolicyVerdict.Granted) return Fail<AnalogPin>(OpenDenial(verdict));

        if (FindLine(label, out IGpioController? controller, out GpioLineInfo line) is { } missing) return Dispose<AnalogPin>(lease!, missing);
        bool able = line.IsAnalog && kind switch
        {
            AnalogPinKind.In => line.CanInput,
            AnalogPinKind.InOut => line.CanInput && line.CanOutput,
            _ => line.CanOutput,
        };
        // The output method asked for must be the line's, where the backend says which it is.
        Option<AnalogInterface.OutputMode> actual = OutputModeOf(controller!, label);
        if (requested.HasValue && actual.HasValue && requested.Value != actual.Value) able = false;
        if (!able) return Dispose<AnalogPin>(lease!, GpioError.PinModeNotAvailable);
        if (!Host.TakeOverPin(label, scope.Guest)) return Dispose<AnalogPin>(lease!, GpioError.AlreadyInUse);

        IAnalogLine opened;
        try
        {
            opened = controller!.OpenAnalog(label);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Dispose<AnalogPin>(lease!, OpenFailure(e));
        }
        var mode = kind == AnalogPinKind.In ? Option<AnalogInterface.OutputMode>.None : actual.HasValue ? actual : requested;
        var pin = new AnalogPin(scope, label, lease!, opened, kind, direction, mode);
        return Host.RegisterPin(pin) ? Result.Ok(pin) : Fail<AnalogPin>(GpioError.Other(HardwareHost.ShutDownMessage));
    }

    private static Option<AnalogInterface.OutputMode> OutputModeOf(IGpioController controller, string label)
    {
        if (controller is not SimulatedGpioController simulated) return default;
        return simulated.Analog(label).Kind switch
        {
            AnalogLineKind.Dac => Option.Some(AnalogInterface.OutputMode.Dac),
            AnalogLineKind.Pwm => Option.Some(AnalogInterface.OutputMode.Pwm),
            _ => Option<AnalogInterface.OutputMode>.None,
        };
    }

    // ---- shared -----------------------------------------------------------------------------

    private GpioError? FindLine(string label, out IGpioController? controller, out GpioLineInfo line)
    {
        line = default;
        if (!Host.Inventory.TryGetGpioLine(label, out controller)) return GpioError.UndefinedPinLabel;
        if (HardwareInventory.FindLine(controller, label) is not { } info) return GpioError.UndefinedPinLabel;
        line = info;
        return null;
    }

    // A lease that is revoked the moment it is registered means the policy just changed to deny it.
    private static GpioError OpenDenial(PolicyVerdict verdict) =>
        verdict == PolicyVerdict.Revoked ? GpioError.PinNotAllowed : GpioPin.FromVerdict(verdict);

    private static GpioError OpenFailure(Exception e) => e switch
    {
        KeyNotFoundException => GpioError.UndefinedPinLabel,
        // Open elsewhere (another process on Linux) or not configurable so.
        InvalidOperationException when e.Message.Contains("already open", StringComparison.Ordinal) || e.Message.Contains("in use", StringComparison.Ordinal) => GpioError.AlreadyInUse,
        InvalidOperationException => GpioError.PinModeNotAvailable,
        _ => GpioPin.FromException(e),
    };

    private Result<T, GpioError> Dispose<T>(GpioLease lease, GpioError error)
    {
        lease.Dispose();
        return Fail<T>(error);
    }

    private static Result<T, GpioError> Fail<T>(GpioError error) => Result<T, GpioError>.Err(error);

    private static Result<T, GpioError> As<T>(Result<DigitalPin, GpioError> result) where T : class =>
        result.IsOk ? Result<T, GpioError>.Ok((T)(object)result.Value) : Fail<T>(result.Error);

    private static Result<T, GpioError> As<T>(Result<AnalogPin, GpioError> result) where T : class =>
        result.IsOk ? Result<T, GpioError>.Ok((T)(object)result.Value) : Fail<T>(result.Error);
}
