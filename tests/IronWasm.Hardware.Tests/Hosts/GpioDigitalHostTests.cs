using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiGpio.Digital;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>wasi:gpio digital pins and pollables through the generated bindings: the C button-LED app,
/// and a raw guest for every function, against simulated LEDs, buttons and pins.</summary>
public class GpioDigitalHostTests
{
    private const string Out = "digital-out-pin", Stateful = "stateful-digital-out-pin", In = "digital-in-pin", InOut = "digital-in-out-pin";
    private const DigitalFlag High = DigitalFlag.ActiveHigh, Low = DigitalFlag.ActiveLow;

    internal const string Policy = """
        guests:
          app:
            gpio:
              - pin: led
                directions: [out]
              - pin: button
                directions: [in]
                pulls: [up, none]
              - pin: pin
                directions: [in, out]
                pulls: [up, down, none]
              - pin: level
                analog: [in]
              - pin: dac
                analog: [out]
              - pin: pwm
                analog: [out]
              - pin: ghost
                directions: [in]
          other:
            gpio:
              - pin: led
                directions: [out]
          bench:
            gpio:
              - pin: led
                directions: [in, out]
              - pin: level
                directions: [out]
          limited:
            gpio:
              - pin: pin
                directions: [in]
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // ---- the C app -----------------------------------------------------------------------------

    [Fact]
    public async Task TheButtonLedAppTogglesTheLedOncePerPress()
    {
        using var rig = new Rig(Policy);
        var app = rig.Component("app", "apps/button_led.wasm", "button-led-app");
        var run = Task.Run(() => app.GetFunction("app", "run").Invoke(V.U32(3))!.Value);
        var button = rig.Sim.Gpio.Button("button");
        WaitUntil(() => button.IsOpen);
        // Presses may come before the app watches again: none is lost, none counts twice.
        for (int press = 0; press < 3; press++)
        {
            button.Press();
            button.Release();
        }
        var result = await run.WaitAsync(Patience);
        Assert.Equal(0u, result.CaseIndex);
        Assert.Equal("button: ready, led: off\npress 1: led on\npress 2: led off\npress 3: led on\n", result.Payload!.Value.AsString());
        // On, off, on, and off again when the app drops the pin and the line is released.
        Assert.Equal([true, false, true, false], rig.Sim.Gpio.Led("led").Changes.Select(c => c.On));
        // The app dropped both pins: their lines and leases are released.
        Assert.False(button.IsOpen);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void TheButtonLedAppIsToldWhenThePolicyDoesNotGrantThePullUp()
    {
        using var rig = new Rig(Policy.Replace("pulls: [up, none]", "pulls: [none]"));
        var app = rig.Component("app", "apps/button_led.wasm", "button-led-app");
        var result = app.GetFunction("app", "run").Invoke(V.U32(1))!.Value;
        Assert.Equal(1u, result.CaseIndex);
        Assert.Equal("button: digital-in-pin.get failed: pin-mode-not-allowed", result.Payload!.Value.AsString());
        Assert.Equal("pull-not-granted", Assert.Single(rig.Audit(AuditEvent.Denied)).Reason);
    }

    // ---- get: flags, policy, inventory ---------------------------------------------------------

    [Theory]
    [InlineData(Out, new[] { High, Low }, "invalid-flag")]
    [InlineData(Out, new[] { High, DigitalFlag.Active | DigitalFlag.Inactive }, "invalid-flag")]
    [InlineData(Out, new[] { High, DigitalFlag.PullUp }, "invalid-flag")]
    [InlineData(Out, new[] { High, DigitalFlag.Output }, "invalid-flag")]
    [InlineData(Out, new DigitalFlag[0], "missing-flags")]
    [InlineData(Out, new[] { DigitalFlag.Active }, "missing-flags")]
    [InlineData(In, new[] { Low, DigitalFlag.PullUp | DigitalFlag.PullDown }, "invalid-flag")]
    [InlineData(In, new[] { Low, DigitalFlag.Active }, "invalid-flag")]
    [InlineData(In, new[] { Low, DigitalFlag.Input }, "invalid-flag")]
    [InlineData(InOut, new[] { High, DigitalFlag.Input | DigitalFlag.Output }, "invalid-flag")]
    [InlineData(InOut, new[] { High }, "missing-flags")]
    public void ContradictoryFlagsAreInvalidAndAMissingActiveLevelOrDirectionIsMissing(string kind, DigitalFlag[] flags, string error)
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        Assert.Equal(error, gpio.TryGet(kind, kind == Out ? "led" : "pin", flags).Error);
        Assert.Empty(rig.Audit(AuditEvent.Denied));   // refused before the policy is asked
    }

    [Theory]
    [InlineData("app", Out, "secret", new[] { High }, "pin-not-allowed", "resource-not-granted")]
    [InlineData("nobody", Out, "led", new[] { High }, "pin-not-allowed", "unknown-guest")]
    [InlineData("app", Out, "button", new[] { High }, "pin-mode-not-allowed", "direction-not-granted")]
    [InlineData("app", In, "button", new[] { Low, DigitalFlag.PullDown }, "pin-mode-not-allowed", "pull-not-granted")]
    [InlineData("app", In, "led", new[] { High }, "pin-mode-not-allowed", "direction-not-granted")]
    public void APinOrModeThePolicyDoesNotGrantIsRefusedAndAudited(string guest, string kind, string label, DigitalFlag[] flags, string error, string reason)
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw(guest));
        Assert.Equal(error, gpio.TryGet(kind, label, flags).Error);
        var denial = Assert.Single(rig.Audit(AuditEvent.Denied));
        Assert.Equal((guest, PolicyInterface.Gpio, label, reason), (denial.Guest, denial.Interface, denial.Resource, denial.Reason));
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void AGrantedLabelNoLineHasIsUndefinedButAnUngrantedOneIsNotAllowed()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        Assert.Equal("undefined-pin-label", gpio.TryGet(In, "ghost", High).Error);
        Assert.Equal("pin-not-allowed", gpio.TryGet(In, "phantom", High).Error);   // says nothing about what exists
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void AModeTheLineCannotDoIsNotAvailable()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("bench"));
        Assert.Equal("pin-mode-not-available", gpio.TryGet(In, "led", High).Error);      // an LED is an output only
        Assert.Equal("pin-mode-not-available", gpio.TryGet(InOut, "led", High, DigitalFlag.Output).Error);
        Assert.Equal("pin-mode-not-available", gpio.TryGet(Out, "level", High).Error);   // an analog line
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    // ---- output pins -------------------------------------------------------------------------

    [Fact]
    public void AnOutputPinDrivesTheLineAndStartsInactiveUnlessAskedOtherwise()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var led = rig.Sim.Gpio.Led("led");
        int pin = gpio.Get(Out, "led", High);
        Assert.False(led.IsOn);
        Assert.Null(gpio.Do(Out, pin, "set-active"));
        Assert.True(led.IsOn);
        Assert.Null(gpio.Do(Out, pin, "set-state", 1));   // inactive
        Assert.False(led.IsOn);
        Assert.Null(gpio.Do(Out, pin, "set-state", 0));   // active
        Assert.Null(gpio.Do(Out, pin, "set-inactive"));
        Assert.Equal([true, false, true, false], led.Changes.Select(c => c.On));
        Assert.True(gpio.IsReady(Out, pin));
        Assert.Equal("led out active-high none", gpio.DigitalConfig(Out, pin));

        gpio.Drop(Out, pin);
        Assert.True(gpio.Get(Out, "led", High, DigitalFlag.Active) > 0);
        Assert.True(led.IsOn);
    }

    [Fact]
    public void TheHostAppliesActiveLowSoActiveIsALowLine()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var line = rig.Sim.Gpio.Line("pin");
        int pin = gpio.Get(Out, "pin", Low);
        Assert.True(line.Level);                         // inactive
        Assert.Null(gpio.Do(Out, pin, "set-active"));
        Assert.False(line.Level);
        Assert.Equal("pin out active-low none", gpio.DigitalConfig(Out, pin));
        gpio.Drop(Out, pin);

        int input = gpio.Get(In, "pin", Low);
        rig.Sim.Gpio.Pin("pin").Drive(false);
        Assert.Equal("active", gpio.State(In, input));
        Assert.Equal("true", gpio.State(In, input, "is-active"));
        rig.Sim.Gpio.Pin("pin").Drive(true);
        Assert.Equal("inactive", gpio.State(In, input));
        Assert.Equal("true", gpio.State(In, input, "is-inactive"));
    }

    [Fact]
    public void AStatefulOutputRemembersWhatItWasSetToAndToggles()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var led = rig.Sim.Gpio.Led("led");
        int pin = gpio.Get(Stateful, "led", High, DigitalFlag.Active);
        Assert.True(led.IsOn);
        Assert.Equal("active", gpio.State(Stateful, pin, "get-state"));
        Assert.Null(gpio.Do(Stateful, pin, "toggle"));
        Assert.False(led.IsOn);
        Assert.Equal("inactive", gpio.State(Stateful, pin, "get-state"));
        Assert.Equal("false", gpio.State(Stateful, pin, "is-set-active"));
        Assert.Equal("true", gpio.State(Stateful, pin, "is-set-inactive"));
        Assert.Null(gpio.Do(Stateful, pin, "set-active"));
        Assert.Null(gpio.Do(Stateful, pin, "toggle"));
        Assert.Null(gpio.Do(Stateful, pin, "set-state", 0));
        Assert.Null(gpio.Do(Stateful, pin, "set-inactive"));
        Assert.Equal([true, false, true, false, true, false], led.Changes.Select(c => c.On));
        Assert.Equal("led out active-high none", gpio.DigitalConfig(Stateful, pin));
        Assert.True(gpio.IsReady(Stateful, pin));
    }

    // ---- input and in-out pins ---------------------------------------------------------------

    [Fact]
    public void AnInputPinWithAPullReadsThePulledLevelAndReportsItsConfig()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int button = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        Assert.Equal("inactive", gpio.State(In, button));   // pulled up, a button to ground, not pressed
        rig.Sim.Gpio.Button("button").Press();
        Assert.Equal("active", gpio.State(In, button));
        Assert.Equal("false", gpio.State(In, button, "is-inactive"));
        Assert.Equal("button in active-low pull-up", gpio.DigitalConfig(In, button));
        Assert.True(gpio.IsReady(In, button));
    }

    [Fact]
    public void AnInOutPinDrivesTheStateSetWhileItWasAnInputWhenItTurnsOutput()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var line = rig.Sim.Gpio.Line("pin");
        int pin = gpio.Get(InOut, "pin", High, DigitalFlag.Input, DigitalFlag.PullDown);
        Assert.Equal("pin in active-high pull-down", gpio.DigitalConfig(InOut, pin));
        Assert.Equal("inactive", gpio.State(InOut, pin));
        Assert.Null(gpio.Do(InOut, pin, "set-active"));     // kept: the pin is an input
        Assert.False(line.Level);

        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 1));   // out
        Assert.True(line.Level);
        Assert.Equal("pin out active-high none", gpio.DigitalConfig(InOut, pin));
        Assert.Null(gpio.Do(InOut, pin, "set-inactive"));
        Assert.False(line.Level);
        Assert.Equal("true", gpio.State(InOut, pin, "is-inactive"));

        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 0));   // back in
        rig.Sim.Gpio.Pin("pin").Drive(true);
        Assert.Equal("true", gpio.State(InOut, pin, "is-active"));
        Assert.Equal("active", gpio.State(InOut, pin));
        Assert.Null(gpio.Do(InOut, pin, "set-state", 1));        // inactive, kept for the next output
        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 1));
        Assert.False(line.Level);
        Assert.True(gpio.IsReady(InOut, pin));
    }

    [Fact]
    public void AnInOutPinCannotTurnToADirectionThePolicyDoesNotGrant()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("limited"));
        int pin = gpio.Get(InOut, "pin", High, DigitalFlag.Input);
        Assert.Equal("pin-mode-not-allowed", gpio.Do(InOut, pin, "set-pin-mode", 1));
        Assert.Equal("direction-not-granted", Assert.Single(rig.Audit(AuditEvent.Denied)).Reason);
        Assert.Equal("pin in active-high none", gpio.DigitalConfig(InOut, pin));   // unchanged
        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 0));                        // staying put is fine
        Assert.Equal("pin-mode-not-allowed", gpio.TryGet(InOut, "pin", High, DigitalFlag.Output).Error);
    }

    // ---- who holds a pin ---------------------------------------------------------------------

    [Fact]
    public void GettingAPinAgainInvalidatesTheGuestsEarlierHandle()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int first = gpio.Get(Out, "led", High);
        int second = gpio.Get(Stateful, "led", High);
        Assert.False(gpio.IsReady(Out, first));
        Assert.Equal("resource-invalidated", gpio.Do(Out, first, "set-active"));
        Assert.Equal("resource-invalidated", gpio.DigitalConfig(Out, first));
        Assert.Null(gpio.Do(Stateful, second, "set-active"));
        Assert.True(rig.Sim.Gpio.Led("led").IsOn);
        Assert.Equal(1, rig.Policy.LiveLeaseCount);
        gpio.Drop(Out, first);   // dropping the stale handle leaves the new one alone
        Assert.Null(gpio.Do(Stateful, second, "toggle"));
    }

    [Fact]
    public void APinAnotherGuestHoldsIsAlreadyInUseUntilItIsDropped()
    {
        using var rig = new Rig(Policy);
        var app = new GpioProbe(rig.Raw("app"));
        var other = new GpioProbe(rig.Raw("other"));
        int held = app.Get(Out, "led", High);
        Assert.Equal("already-in-use", other.TryGet(Out, "led", High).Error);
        Assert.Null(app.Do(Out, held, "set-active"));   // the holder is undisturbed
        app.Drop(Out, held);
        Assert.Null(other.TryGet(Out, "led", High).Error);
    }

    [Fact]
    public void ReplacingThePolicyInvalidatesALivePinAndReleasesItsLine()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(Out, "led", High, DigitalFlag.Active);
        Assert.True(rig.Sim.Gpio.Led("led").IsOn);

        Assert.Equal(1, rig.Replace(Policy.Replace("- pin: led\n        directions: [out]\n      - pin: button", "- pin: button")).LeasesRevoked);
        Assert.False(gpio.IsReady(Out, pin));
        Assert.Equal("resource-invalidated", gpio.Do(Out, pin, "set-inactive"));
        Assert.False(rig.Sim.Gpio.Line("led").IsOpen);
        Assert.False(rig.Sim.Gpio.Led("led").IsOn);
        Assert.Equal(("app", "led", "revoke"), (rig.Audit(AuditEvent.Revoked)[0].Guest, rig.Audit(AuditEvent.Revoked)[0].Resource, rig.Audit(AuditEvent.Revoked)[0].Operation));
        Assert.Equal("revoked", Assert.Single(rig.Audit(AuditEvent.Denied)).Reason);
    }

    [Fact]
    public void DroppingAPinClosesItsLineAndLease()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        Assert.True(rig.Sim.Gpio.Line("button").IsOpen);
        gpio.Drop(In, pin);
        Assert.False(rig.Sim.Gpio.Line("button").IsOpen);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
        Assert.Equal(0, gpio.Guest.HandleCount);
    }

    // ---- pollables -----------------------------------------------------------------------------

    [Fact]
    public void OnePressOfAnActiveLowButtonIsExactlyOneRisingEdge()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var button = rig.Sim.Gpio.Button("button");
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge");
        Assert.False(gpio.Ready(rising));

        button.Press();     // the line falls: the pin becomes active
        button.Release();
        Assert.True(gpio.Ready(rising));
        Assert.True(gpio.Ready(rising));                                      // ready stays ready
        Assert.False(gpio.Ready(gpio.WatchOk(In, pin, "watch-rising-edge"))); // the release was no second press
        Assert.True(gpio.Ready(gpio.WatchOk(In, pin, "watch-falling-edge"))); // it was the falling edge
        Assert.False(gpio.Ready(gpio.WatchOk(In, pin, "watch-falling-edge")));
    }

    [Fact]
    public void APressBetweenTwoWatchesIsKeptForTheNextWatch()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var button = rig.Sim.Gpio.Button("button");
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        button.Press();
        button.Release();
        button.Press();
        button.Release();
        int first = gpio.WatchOk(In, pin, "watch-rising-edge"), second = gpio.WatchOk(In, pin, "watch-rising-edge"), third = gpio.WatchOk(In, pin, "watch-rising-edge");
        Assert.Equal([true, true, false], new[] { gpio.Ready(first), gpio.Ready(second), gpio.Ready(third) });
    }

    [Fact]
    public void AStateWatchIsReadyInTheStateOrOnceThePinHasPassedThroughIt()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var button = rig.Sim.Gpio.Button("button");
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        Assert.True(gpio.Ready(gpio.WatchOk(In, pin, "watch-inactive")));
        Assert.True(gpio.Ready(gpio.WatchOk(In, pin, "watch-state", 1)));
        int active = gpio.WatchOk(In, pin, "watch-active");
        int state = gpio.WatchOk(In, pin, "watch-state", 0);
        Assert.False(gpio.Ready(active));
        button.Press();
        button.Release();   // a pulse shorter than the guest's look
        Assert.True(gpio.Ready(active));
        Assert.True(gpio.Ready(state));
        // State watches take no edges: the press is still there for an edge watch.
        Assert.True(gpio.Ready(gpio.WatchOk(In, pin, "watch-rising-edge")));
    }

    [Fact]
    public async Task BlockWaitsForTheEdge()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge");
        var blocked = Task.Run(() => gpio.Block(rising));
        rig.Sim.Gpio.Button("button").Press();
        await blocked.WaitAsync(Patience);
        Assert.True(gpio.Ready(rising));
    }

    [Fact]
    public void PollReturnsTheIndicesOfThePollablesThatAreReady()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge"), inactive = gpio.WatchOk(In, pin, "watch-inactive"), active = gpio.WatchOk(In, pin, "watch-active");
        Assert.Equal([1u], gpio.Poll(rising, inactive, active));
        rig.Sim.Gpio.Button("button").Press();
        Assert.Equal([0u, 1u, 2u], gpio.Poll(rising, inactive, active));
    }

    [Fact]
    public async Task PollBlocksUntilOneOfItsPollablesIsReady()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int button = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int pin = gpio.Get(In, "pin", High, DigitalFlag.PullDown);
        int pressed = gpio.WatchOk(In, button, "watch-rising-edge"), driven = gpio.WatchOk(In, pin, "watch-rising-edge");
        var polling = Task.Run(() => gpio.Poll(pressed, driven));
        rig.Sim.Gpio.Pin("pin").Drive(true);
        uint[] ready = await polling.WaitAsync(Patience);
        Assert.Equal([1u], ready);
        Assert.Equal([0u], gpio.Poll(driven));   // a single pollable: waits on its own signal
    }

    [Fact]
    public void PollingNothingTrapsRatherThanWaitingForever()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var trap = Assert.Throws<TrapException>(() => gpio.Poll());
        Assert.Contains("no pollables", trap.Message);
    }

    [Fact]
    public async Task APollableOfADroppedOrRevokedPinIsReadySoABlockedGuestWakes()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge");
        var blocked = Task.Run(() => gpio.Block(rising));
        WaitUntil(() => rig.Sim.Gpio.Line("button").IsOpen);
        rig.Replace("guests: {}");
        await blocked.WaitAsync(Patience);   // revocation woke it
        Assert.True(gpio.Ready(rising));
        Assert.Equal("resource-invalidated", gpio.State(In, pin));
        Assert.Equal("resource-invalidated", gpio.Watch(In, pin, "watch-rising-edge").Error);
    }

    [Fact]
    public async Task CancellingTheHostsTokenInterruptsAGuestBlockedOnAPollable()
    {
        using var stop = new CancellationTokenSource();
        using var rig = new Rig(Policy, cancellation: stop.Token);
        // Two instances of the guest (a store runs one call at a time), one blocked, one polling.
        var gpio = new GpioProbe(rig.Raw("app"));
        var second = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge");
        int other = second.Get(In, "pin", High);
        int otherRising = second.WatchOk(In, other, "watch-rising-edge"), otherFalling = second.WatchOk(In, other, "watch-falling-edge");
        var blocked = Task.Run(() => gpio.Block(rising));
        var polling = Task.Run(() => second.Poll(otherRising, otherFalling));
        stop.Cancel();
        foreach (var task in new Task[] { blocked, polling })
        {
            var trap = await Assert.ThrowsAsync<TrapException>(() => task.WaitAsync(Patience));
            Assert.Equal(TrapCode.Interrupt, trap.Code);
        }
        // The pins stay usable for a host that carries on; only waiting is over.
        Assert.Equal("inactive", gpio.State(In, pin));
    }

    [Fact]
    public async Task DisposingTheHostInterruptsAGuestBlockedOnAPollableAndClosesItsPins()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.Get(In, "button", Low, DigitalFlag.PullUp);
        int rising = gpio.WatchOk(In, pin, "watch-rising-edge");
        var blocked = Task.Run(() => gpio.Block(rising));
        WaitUntil(() => rig.Sim.Gpio.Line("button").IsOpen);
        rig.Host.Dispose();
        var trap = await Assert.ThrowsAsync<TrapException>(() => blocked.WaitAsync(Patience));
        Assert.Equal(TrapCode.Interrupt, trap.Code);
        Assert.False(rig.Sim.Gpio.Line("button").IsOpen);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
        Assert.Equal("resource-invalidated", gpio.State(In, pin));
        Assert.Equal("other(the hardware host is shut down)", gpio.TryGet(Out, "led", High).Error);
    }

    internal static void WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException("the condition did not come true");
            Thread.Sleep(1);
        }
    }
}
