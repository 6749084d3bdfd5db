using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Policy;
using static IronWasm.Hardware.Bindings.WasiGpio.Analog;
using static IronWasm.Hardware.Bindings.WasiGpio.Digital;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>wasi:gpio analog pins through the generated bindings, against simulated ADC, DAC and PWM
/// lines (and a fake line that is both an input and an output).</summary>
public class GpioAnalogHostTests
{
    private const string Out = "analog-out-pin", In = "analog-in-pin", InOut = "analog-in-out-pin";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private const string Policy = GpioDigitalHostTests.Policy + """

          lab:
            gpio:
              - pin: both
                analog: [in, out]
              - pin: level
                analog: [in, out]
          input-only:
            gpio:
              - pin: both
                analog: [in]
        """;

    [Fact]
    public void AnAnalogInputReadsTheAdcRawAndAsAFractionOfFullScale()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.GetAnalog(In, "level");
        rig.Sim.Gpio.Analog("level").SetValue(767);   // of 1023
        Assert.Equal((767u, (string?)null), gpio.U32(In, pin, "read-raw"));
        Assert.Equal(0.75, gpio.F32(In, pin, "read").Value, 0.001);
        Assert.Equal("level in none", gpio.AnalogConfig(In, pin));
        Assert.True(gpio.IsReady(In, pin));
    }

    [Fact]
    public void AnAnalogOutputWritesRawValuesClampedToItsWidthAndFractionsOfFullScale()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var dac = rig.Sim.Gpio.Analog("dac");   // 8 bits
        int pin = gpio.GetAnalog(Out, "dac");
        Assert.Null(gpio.Do(Out, pin, "set-value-raw", 100));
        Assert.Null(gpio.Do(Out, pin, "set-value-raw", 300));   // above 8 bits: fully on
        Assert.Null(gpio.Do(Out, pin, "set-value", 0.5f));
        Assert.Null(gpio.Do(Out, pin, "set-value", 7f));       // clamped to 1
        Assert.Null(gpio.Do(Out, pin, "set-value", -1f));
        Assert.Equal([100u, 255u, 128u, 255u, 0u], dac.Writes.Select(w => w.Value));
        Assert.Equal("dac out dac", gpio.AnalogConfig(Out, pin));
        Assert.True(gpio.IsReady(Out, pin));
    }

    [Fact]
    public void AValueThatIsNotANumberIsRefused()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.GetAnalog(Out, "pwm");
        Assert.StartsWith("other(an analog value is a fraction", gpio.Do(Out, pin, "set-value", float.NaN));
        Assert.Empty(rig.Sim.Gpio.Analog("pwm").Writes);
        int input = gpio.GetAnalog(In, "level");
        Assert.StartsWith("other(", gpio.Watch(In, input, "watch-above", float.NaN).Error);
    }

    [Theory]
    [InlineData(Out, "dac", new[] { AnalogFlag.Dac | AnalogFlag.Pwm }, "invalid-flag")]
    [InlineData(In, "level", new[] { AnalogFlag.Dac }, "invalid-flag")]
    [InlineData(Out, "dac", new[] { AnalogFlag.Pwm }, "pin-mode-not-available")]
    [InlineData(Out, "pwm", new[] { AnalogFlag.Dac }, "pin-mode-not-available")]
    [InlineData(In, "dac", new AnalogFlag[0], "pin-mode-not-allowed")]
    [InlineData(Out, "level", new AnalogFlag[0], "pin-mode-not-allowed")]
    [InlineData(In, "led", new AnalogFlag[0], "pin-mode-not-allowed")]
    [InlineData(In, "secret", new AnalogFlag[0], "pin-not-allowed")]
    public void AnAnalogGetIsRefusedForBadFlagsAnUngrantedModeOrAnotherOutputMethod(string kind, string label, AnalogFlag[] flags, string error)
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        Assert.Equal(error, gpio.TryGetAnalog(kind, label, flags).Error);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void TheOutputMethodAskedForIsReportedAndMustBeTheLines()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        Assert.Equal("pwm out pwm", gpio.AnalogConfig(Out, gpio.GetAnalog(Out, "pwm", AnalogFlag.Pwm)));
        Assert.Equal("dac out dac", gpio.AnalogConfig(Out, gpio.GetAnalog(Out, "dac", AnalogFlag.Dac)));
    }

    [Fact]
    public void DigitalAndAnalogLinesAreNotInterchangeable()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("lab"));
        Assert.Equal("pin-mode-not-available", gpio.TryGetAnalog(InOut, "level").Error);   // an ADC only
        Assert.Equal("pin-mode-not-allowed", gpio.TryGet("digital-in-pin", "level", DigitalFlag.ActiveHigh).Error);   // granted as analog only
    }

    [Fact]
    public void AnInOutLineStartsAsAnInputAndWritesTheValueSetMeanwhileWhenItTurnsOutput()
    {
        using var rig = new Rig(Policy);
        var line = new FakeAnalogController.Line("both", Bits: 12);
        rig.Inventory.Add(new FakeAnalogController("fake-gpio", line));
        var gpio = new GpioProbe(rig.Raw("lab"));
        int pin = gpio.GetAnalog(InOut, "both");
        Assert.Equal("both in none", gpio.AnalogConfig(InOut, pin));
        line.Value = 2048;
        Assert.Equal(2048u, gpio.U32(InOut, pin, "read-raw").Value);
        Assert.Equal(0.5, gpio.F32(InOut, pin, "read").Value, 0.001);

        Assert.Null(gpio.Do(InOut, pin, "set-value-raw", 4000));
        Assert.Empty(line.Written);                                   // an input: kept
        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 1));
        Assert.Equal([4000u], line.Written);
        Assert.Null(gpio.Do(InOut, pin, "set-value", 1f));
        Assert.Equal([4000u, 4095u], line.Written);
        Assert.Equal("both out none", gpio.AnalogConfig(InOut, pin));
        Assert.Null(gpio.Do(InOut, pin, "set-pin-mode", 0));
        Assert.True(gpio.IsReady(InOut, pin));
    }

    [Fact]
    public void AnInOutLineCannotTurnToADirectionThePolicyDoesNotGrant()
    {
        using var rig = new Rig(Policy);
        rig.Inventory.Add(new FakeAnalogController("fake-gpio", new FakeAnalogController.Line("both", Bits: 12)));
        var gpio = new GpioProbe(rig.Raw("input-only"));
        int pin = gpio.GetAnalog(InOut, "both");
        Assert.Equal("pin-mode-not-allowed", gpio.Do(InOut, pin, "set-pin-mode", 1));
        Assert.Equal(("both", "analog-out", "direction-not-granted"),
            (rig.Audit(AuditEvent.Denied)[0].Resource, rig.Audit(AuditEvent.Denied)[0].Operation, rig.Audit(AuditEvent.Denied)[0].Reason));
    }

    [Fact]
    public void WatchAboveAndBelowAreReadyAtTheThreshold()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        var adc = rig.Sim.Gpio.Analog("level");
        int pin = gpio.GetAnalog(In, "level");
        adc.SetValue(100);
        int above = gpio.WatchOk(In, pin, "watch-above-raw", 512);
        int aboveFraction = gpio.WatchOk(In, pin, "watch-above", 0.5f);
        int below = gpio.WatchOk(In, pin, "watch-below-raw", 100);
        int fullyOn = gpio.WatchOk(In, pin, "watch-above-raw", int.MaxValue);   // past the ADC's range: fully on
        Assert.Equal([2u], gpio.Poll(above, aboveFraction, below, fullyOn));
        adc.SetValue(512);
        Assert.Equal([0u, 1u, 2u], gpio.Poll(above, aboveFraction, below, fullyOn));
        adc.SetValue(1023);
        Assert.True(gpio.Ready(fullyOn));
        Assert.True(gpio.Ready(gpio.WatchOk(In, pin, "watch-below", 1f)));
        Assert.False(gpio.Ready(gpio.WatchOk(In, pin, "watch-below-raw", 0)));
    }

    [Fact]
    public async Task BlockOnAnAnalogWatchWaitsUntilTheValueGetsThere()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.GetAnalog(In, "level");
        int above = gpio.WatchOk(In, pin, "watch-above-raw", 900);
        var blocked = Task.Run(() => gpio.Block(above));
        rig.Sim.Gpio.Analog("level").SetValue(950);
        await blocked.WaitAsync(Patience);
    }

    [Fact]
    public void DroppingAnAnalogPinReleasesItsLine()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.GetAnalog(Out, "dac");
        Assert.True(rig.Sim.Gpio.Analog("dac").IsOpen);
        gpio.Drop(Out, pin);
        Assert.False(rig.Sim.Gpio.Analog("dac").IsOpen);
        Assert.Equal(0, rig.Policy.LiveLeaseCount);
    }

    [Fact]
    public void ReplacingThePolicyInvalidatesALiveAnalogPin()
    {
        using var rig = new Rig(Policy);
        var gpio = new GpioProbe(rig.Raw("app"));
        int pin = gpio.GetAnalog(In, "level");
        rig.Replace("guests: {}");
        Assert.False(gpio.IsReady(In, pin));
        Assert.Equal("resource-invalidated", gpio.U32(In, pin, "read-raw").Error);
        Assert.False(rig.Sim.Gpio.Analog("level").IsOpen);
    }
}

/// <summary>A GPIO controller with analog lines that are both inputs and outputs (no simulated line is).</summary>
internal sealed class FakeAnalogController(string name, params FakeAnalogController.Line[] lines) : IGpioController
{
    public sealed record Line(string Label, int Bits)
    {
        public uint Value { get; set; }
        public List<uint> Written { get; } = [];
        public bool Open { get; set; }
    }

    public string Name { get; } = name;
    public string Description => "fake analog controller";

    public IReadOnlyList<GpioLineInfo> Lines =>
        lines.Select((l, i) => new GpioLineInfo(l.Label, (uint)i, CanInput: true, CanOutput: true, IsAnalog: true, InUse: l.Open)).ToArray();

    public IGpioLine OpenDigital(string label, GpioLineConfig config) => throw new InvalidOperationException($"'{label}' is analog");

    public IAnalogLine OpenAnalog(string label)
    {
        var line = lines.Single(l => l.Label == label);
        if (line.Open) throw new InvalidOperationException($"'{label}' is already open");
        line.Open = true;
        return new Handle(line);
    }

    public void Dispose()
    {
    }

    private sealed class Handle(Line line) : IAnalogLine
    {
        public string Label => line.Label;
        public int Bits => line.Bits;
        public bool CanRead => true;
        public bool CanWrite => true;
        public uint ReadRaw() => line.Value;

        public void WriteRaw(uint value)
        {
            line.Value = value;
            line.Written.Add(value);
        }

        public void Dispose() => line.Open = false;
    }
}
