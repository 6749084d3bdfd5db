using System.Diagnostics;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Tests.Simulation;
using static IronWasm.Hardware.Bindings.WasiGpio.Digital;
using GpioDelayBindings = IronWasm.Hardware.Bindings.WasiGpio.Delay;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>The host as a deployment uses it: handing drivers their bus, choosing a default grant,
/// releasing a gone instance's handles, delays, and stopping waiting guests.</summary>
public class HardwareHostTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string Policy = """
        default:
          gpio:
            - pin: led
              directions: [out]
        guests:
          sensor:
            i2c:
              - bus: i2c-9
                addresses: [0x40]
                access: read
              - bus: sim-i2c-1
                addresses: [0x76, 0x5f]
                access: read-write
          elsewhere:
            i2c:
              - bus: i2c-9
                addresses: [0x10-0x12]
                access: read-write
          app:
            spi:
              - device: flash0
            gpio:
              - pin: button
                directions: [in]
                pulls: [up]
        """;

    [Fact]
    public void OpeningABusThePolicyDoesNotGrantThrowsAndIsAudited()
    {
        using var rig = new Rig(Policy);
        var guest = rig.Raw("app");
        var denied = Assert.Throws<HardwareAccessException>(() => rig.Host.OpenI2cForAttach(guest.Canonical, "app", "sim-i2c-1"));
        Assert.Equal(("app", "sim-i2c-1", PolicyVerdict.ResourceNotGranted), (denied.Guest, denied.Resource, denied.Verdict));
        Assert.Equal("guest 'app' may not use I2C bus 'sim-i2c-1': the policy says resource-not-granted", denied.Message);
        var record = Assert.Single(rig.Audit(AuditEvent.Denied));
        Assert.Equal(("app", "sim-i2c-1", "open"), (record.Guest, record.Resource, record.Operation));
        Assert.Equal(0, guest.HandleCount);
    }

    [Fact]
    public void OpeningAGrantedBusTheInventoryLacksNamesTheBusesThereAreAndKeepsNoLease()
    {
        using var rig = new Rig(Policy);
        var missing = Assert.Throws<KeyNotFoundException>(() => rig.Host.OpenI2cForAttach(rig.Raw("sensor").Canonical, "sensor", "i2c-9"));
        Assert.Equal("no I2C bus is named 'i2c-9' (buses: sim-i2c-1)", missing.Message);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void TheDefaultGrantIsTheLowestAddressOnTheFirstGrantedBusTheInventoryHas()
    {
        using var rig = new Rig(Policy);
        Assert.Equal(("sim-i2c-1", (ushort)0x5f), rig.Host.DefaultI2cGrant("sensor"));
        Assert.Equal(("i2c-9", (ushort)0x10), rig.Host.DefaultI2cGrant("elsewhere"));   // no bus it may use is here
        Assert.Null(rig.Host.DefaultI2cGrant("app"));
        Assert.Null(rig.Host.DefaultI2cGrant("stranger"));   // only the default grants, which have no I2C
    }

    [Fact]
    public void ReleasingAnInstanceClosesItsHandlesAndNoOneElses()
    {
        using var rig = new Rig(Policy);
        var leaving = Probe.Attach(rig, "sensor");
        var leavingGpio = new GpioProbe(leaving.Guest);
        int led = leavingGpio.Get("digital-out-pin", "led", DigitalFlag.ActiveHigh);
        var staying = new GpioProbe(rig.Raw("app"));
        int button = staying.Get("digital-in-pin", "button", DigitalFlag.ActiveLow, DigitalFlag.PullUp);

        Assert.Equal(2, rig.Host.Release(leaving.Guest.Canonical));
        Assert.Equal("other", leaving.WriteRead(0x5f, [0x0F], 1).Error);
        Assert.Equal("resource-invalidated", leavingGpio.Do("digital-out-pin", led, "set-active"));
        Assert.False(rig.Sim.Gpio.Line("led").IsOpen);
        Assert.Equal("inactive", staying.State("digital-in-pin", button));
        Assert.Equal(1, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void DisposingTheHostClosesEveryHandleAndRefusesNewOnes()
    {
        using var rig = new Rig(Policy);
        var bus = Probe.Attach(rig, "sensor");
        var flash = SpiProbe.Open(rig, "app", "flash0");
        var gpio = new GpioProbe(flash.Guest);
        int button = gpio.Get("digital-in-pin", "button", DigitalFlag.ActiveLow, DigitalFlag.PullUp);
        Assert.Equal(3, rig.Policy.LiveLeaseCount);

        rig.Host.Dispose();
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
        Assert.Equal("other", bus.WriteRead(0x5f, [0x0F], 1).Error);
        Assert.Equal("other(the hardware host is shut down)", flash.Read(1).Error);
        Assert.Equal("other(the hardware host is shut down)", SpiProbe.TryOpen(flash.Guest, "flash0").Error);
        Assert.Equal("resource-invalidated", gpio.State("digital-in-pin", button));
        Assert.Throws<ObjectDisposedException>(() => rig.Host.OpenI2cForAttach(bus.Guest.Canonical, "sensor", "sim-i2c-1"));
        rig.Host.Dispose();   // twice is fine
    }

    // ---- delays --------------------------------------------------------------------------------

    [Theory]
    [InlineData("delay-ns", 2_500_000L)]
    [InlineData("delay-us", 2_500L)]
    [InlineData("delay-ms", 3L)]
    [InlineData("delay-ns", 50_000L)]   // under a millisecond: spun, not slept
    public void TheGpioDelayWaitsAtLeastAsLongAsAsked(string method, long amount)
    {
        using var rig = new Rig(Policy);
        var guest = rig.Raw("app");
        int delay = guest.Take(GpioDelayBindings.DelayResource.Own(guest.Canonical, new GpioDelay(rig.Host.Timing)));
        var asked = method switch
        {
            "delay-ns" => TimeSpan.FromTicks(amount / 100),
            "delay-us" => TimeSpan.FromMicroseconds(amount),
            _ => TimeSpan.FromMilliseconds(amount),
        };
        var clock = Stopwatch.StartNew();
        guest.Call("wasi:gpio/delay@0.2.0", $"[method]delay.{method}", delay, amount);
        Assert.True(clock.Elapsed >= asked, $"{method}({amount}) returned after {clock.Elapsed.TotalMilliseconds} ms");
        guest.Call("wasi:gpio/delay@0.2.0", "[resource-drop]delay", delay);
        Assert.Equal(0, guest.HandleCount);
    }

    [Fact]
    public async Task OnAVirtualClockADelayWaitsForThatClockToPass()
    {
        var time = new SignallingTimeProvider();
        using var rig = new Rig(Policy, time: time);
        var bus = Probe.Attach(rig, "sensor");
        var delayed = Task.Run(() => bus.Delay(5_000_000));
        Assert.True(time.TimerCreated.Wait(Patience));
        time.Advance(TimeSpan.FromMilliseconds(4));
        Assert.False(delayed.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await delayed.WaitAsync(Patience);
    }

    [Fact]
    public async Task StoppingTheHostInterruptsAGuestInALongDelay()
    {
        using var rig = new Rig(Policy);
        var guest = rig.Raw("app");
        int delay = guest.Take(GpioDelayBindings.DelayResource.Own(guest.Canonical, new GpioDelay(rig.Host.Timing)));
        // u64::MAX milliseconds saturates to 2^64 ns: as good as forever, but not beyond the host's reach.
        var delayed = Task.Run(() => guest.Call("wasi:gpio/delay@0.2.0", "[method]delay.delay-ms", delay, -1L));
        rig.Host.Dispose();
        var trap = await Assert.ThrowsAsync<TrapException>(() => delayed.WaitAsync(Patience));
        Assert.Equal(TrapCode.Interrupt, trap.Code);
    }

    [Fact]
    public async Task AGuestAlreadyWaitingCenturiesIsInterruptedNotFailed()
    {
        using var rig = new Rig(Policy);
        var guest = rig.Raw("app");
        int delay = guest.Take(GpioDelayBindings.DelayResource.Own(guest.Canonical, new GpioDelay(rig.Host.Timing)));
        var delayed = Task.Run(() => guest.Call("wasi:gpio/delay@0.2.0", "[method]delay.delay-ms", delay, -1L));
        // Let the guest get into its wait first (a wait that failed on entry would have ended by now).
        await Task.WhenAny(delayed, Task.Delay(300));
        Assert.False(delayed.IsCompleted, "the delay ended on its own");
        rig.Host.Dispose();
        var trap = await Assert.ThrowsAsync<TrapException>(() => delayed.WaitAsync(Patience));
        Assert.Equal(TrapCode.Interrupt, trap.Code);
    }

    /// <summary>A hand-moved clock that says when a timer (a delay) starts waiting on it.</summary>
    private sealed class SignallingTimeProvider : TimeProvider
    {
        private readonly ManualTimeProvider _inner = new();

        public ManualResetEventSlim TimerCreated { get; } = new();

        public override long TimestampFrequency => _inner.TimestampFrequency;

        public override long GetTimestamp() => _inner.GetTimestamp();

        public override DateTimeOffset GetUtcNow() => _inner.GetUtcNow();

        public void Advance(TimeSpan by) => _inner.Advance(by);

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = _inner.CreateTimer(callback, state, dueTime, period);
            TimerCreated.Set();
            return timer;
        }
    }
}
