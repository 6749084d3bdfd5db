using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation.Gpio;

namespace IronWasm.Hardware.Tests.Simulation;

public class GpioTests
{
    private static readonly GpioLineConfig Output = new(GpioDirection.Output);
    private static readonly GpioLineConfig Input = new(GpioDirection.Input);
    private readonly TestClock _clock = new();
    private readonly SimulatedGpioController _gpio;

    public GpioTests()
    {
        _gpio = new SimulatedGpioController("sim-gpio", _clock.Clock);
        _gpio.AddLed("led");
        _gpio.AddButton("button");
        _gpio.AddButton("to-ground", pressedHigh: false);
        _gpio.AddPin("pin");
        _gpio.AddAnalog("pot", AnalogLineKind.Adc, 10, 512);
        _gpio.AddAnalog("dimmer", AnalogLineKind.Pwm, 8);
    }

    [Fact]
    public void Lines_are_listed_with_their_capabilities()
    {
        var lines = _gpio.Lines;
        Assert.Equal(new[] { "led", "button", "to-ground", "pin", "pot", "dimmer" }, lines.Select(l => l.Label));
        Assert.Equal(new GpioLineInfo("led", 0, CanInput: false, CanOutput: true, IsAnalog: false, InUse: false), lines[0]);
        Assert.True(lines[4].IsAnalog && lines[4].CanInput && !lines[4].CanOutput);
    }

    [Fact]
    public void A_line_is_open_in_one_place_at_a_time()
    {
        IGpioLine first = _gpio.OpenDigital("led", Output);
        Assert.True(_gpio.Lines[0].InUse);
        Assert.Throws<InvalidOperationException>(() => _gpio.OpenDigital("led", Output));
        first.Dispose();
        using IGpioLine again = _gpio.OpenDigital("led", Output);
    }

    [Fact]
    public void Unknown_labels_and_wrong_directions_are_refused()
    {
        Assert.Throws<KeyNotFoundException>(() => _gpio.OpenDigital("nope", Input));
        Assert.Throws<InvalidOperationException>(() => _gpio.OpenDigital("led", Input));
        Assert.Throws<InvalidOperationException>(() => _gpio.OpenDigital("button", Output));
        Assert.Throws<InvalidOperationException>(() => _gpio.OpenDigital("pot", Input));
        Assert.Throws<KeyNotFoundException>(() => _gpio.OpenAnalog("led"));
    }

    [Fact]
    public void Led_changes_are_recorded_with_timestamps()
    {
        using IGpioLine led = _gpio.OpenDigital("led", Output);
        _clock.AdvanceMs(100);
        led.Write(true);
        led.Write(true); // no change, no record
        _clock.AdvanceMs(250);
        led.Write(false);
        SimulatedLed model = _gpio.Led("led");
        Assert.False(model.IsOn);
        Assert.Equal(new[] { (TimeSpan.FromMilliseconds(100), true), (TimeSpan.FromMilliseconds(350), false) }, model.Changes);
    }

    [Fact]
    public void An_output_starts_at_its_initial_level()
    {
        using IGpioLine led = _gpio.OpenDigital("led", new GpioLineConfig(GpioDirection.Output, InitialHigh: true));
        Assert.True(_gpio.Led("led").IsOn);
        Assert.True(led.Read());
    }

    [Fact]
    public void Writing_an_input_is_refused()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        Assert.Throws<InvalidOperationException>(() => button.Write(true));
    }

    [Fact]
    public void A_press_of_a_button_to_the_supply_is_a_rising_edge_and_its_release_a_falling_one()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        Assert.False(button.Read());
        _gpio.Button("button").Press();
        Assert.True(button.Read());
        _gpio.Button("button").Release();
        Assert.True(button.TryTakeEdge(GpioEdge.Rising));
        Assert.True(button.TryTakeEdge(GpioEdge.Falling));
        Assert.False(button.TryTakeEdge(GpioEdge.Rising));
    }

    [Fact]
    public void A_button_to_ground_reads_high_until_pressed()
    {
        using IGpioLine button = _gpio.OpenDigital("to-ground", new GpioLineConfig(GpioDirection.Input, GpioPull.PullUp));
        Assert.True(button.Read());
        _gpio.Button("to-ground").Press();
        Assert.False(button.Read());
        Assert.True(button.TryTakeEdge(GpioEdge.Falling));
    }

    [Fact]
    public void A_pull_against_the_button_hides_its_presses()
    {
        // Pressed = high with the internal pull-up on: released also reads high.
        using IGpioLine button = _gpio.OpenDigital("button", new GpioLineConfig(GpioDirection.Input, GpioPull.PullUp));
        _gpio.Button("button").Press();
        _gpio.Button("button").Release();
        Assert.False(button.TryTakeEdge(GpioEdge.Rising));
        Assert.True(button.Read());
    }

    [Fact]
    public void Edges_before_the_wait_count_and_each_is_consumed_once()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        for (int i = 0; i < 3; i++) { _gpio.Button("button").Press(); _gpio.Button("button").Release(); }
        for (int i = 0; i < 3; i++) Assert.True(button.WaitForEdge(GpioEdge.Rising, TimeSpan.Zero));
        Assert.False(button.WaitForEdge(GpioEdge.Rising, TimeSpan.Zero));
    }

    [Fact]
    public void Edges_before_the_line_was_opened_do_not_count()
    {
        _gpio.Button("button").Press();
        _gpio.Button("button").Release();
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        Assert.False(button.TryTakeEdge(GpioEdge.Rising));
    }

    [Fact]
    public void A_wait_times_out_without_an_edge()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        Assert.False(button.WaitForEdge(GpioEdge.Rising, TimeSpan.FromMilliseconds(20)));
    }

    [Fact]
    public async Task A_wait_ends_when_another_thread_presses()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        using var started = new ManualResetEventSlim();
        var waiter = Task.Run(() =>
        {
            started.Set();
            return button.WaitForEdge(GpioEdge.Rising, Timeout.InfiniteTimeSpan);
        });
        started.Wait();
        _gpio.Button("button").Press();
        Assert.True(await waiter.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void A_falling_edge_does_not_end_a_wait_for_a_rising_one()
    {
        using IGpioLine button = _gpio.OpenDigital("to-ground", Input);
        _gpio.Button("to-ground").Press();
        Assert.False(button.WaitForEdge(GpioEdge.Rising, TimeSpan.FromMilliseconds(1)));
        Assert.True(button.WaitForEdge(GpioEdge.Falling, TimeSpan.Zero));
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        using IGpioLine button = _gpio.OpenDigital("button", Input);
        using var cancel = new CancellationTokenSource();
        var waiter = Task.Run(() => button.WaitForEdge(GpioEdge.Rising, Timeout.InfiniteTimeSpan, cancel.Token));
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Disposing_the_line_ends_a_wait()
    {
        IGpioLine button = _gpio.OpenDigital("button", Input);
        using var started = new ManualResetEventSlim();
        var waiter = Task.Run(() => { started.Set(); return button.WaitForEdge(GpioEdge.Rising, Timeout.InfiniteTimeSpan); });
        started.Wait();
        button.Dispose(); // before or during the wait: either way the waiter learns the line is gone
        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiter.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Edges_are_for_inputs()
    {
        using IGpioLine led = _gpio.OpenDigital("led", Output);
        Assert.Throws<InvalidOperationException>(() => led.TryTakeEdge(GpioEdge.Rising));
    }

    [Fact]
    public void A_pin_can_turn_from_input_to_output()
    {
        using IGpioLine pin = _gpio.OpenDigital("pin", Input);
        _gpio.Pin("pin").Drive(true);
        Assert.True(pin.Read());
        pin.Reconfigure(new GpioLineConfig(GpioDirection.Output, InitialHigh: false));
        Assert.False(pin.Read());
        pin.Write(true);
        Assert.True(_gpio.Pin("pin").Level);
        pin.Reconfigure(Input);
        _gpio.Pin("pin").Drive(false);
        Assert.True(pin.TryTakeEdge(GpioEdge.Falling));
    }

    [Fact]
    public void A_floating_pin_follows_its_pull()
    {
        using IGpioLine pin = _gpio.OpenDigital("pin", new GpioLineConfig(GpioDirection.Input, GpioPull.PullUp));
        Assert.True(pin.Read());
        pin.Reconfigure(new GpioLineConfig(GpioDirection.Input, GpioPull.PullDown));
        Assert.False(pin.Read());
        Assert.False(pin.TryTakeEdge(GpioEdge.Falling)); // caused by the reconfiguration itself
    }

    [Fact]
    public void Scripted_presses_run_on_the_simulation_clock()
    {
        var gpio = new SimulatedGpioController("g", _clock.Clock);
        gpio.AddButton("b", script: [new ButtonPress(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100)), new ButtonPress(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(100))]);
        using IGpioLine line = gpio.OpenDigital("b", Input);
        gpio.StartScripts();
        _clock.AdvanceMs(999);
        Assert.False(line.Read());
        _clock.AdvanceMs(1);
        Assert.True(line.Read());
        _clock.AdvanceMs(100);
        Assert.False(line.Read());
        _clock.AdvanceMs(2000);
        Assert.True(line.TryTakeEdge(GpioEdge.Rising));
        Assert.True(line.TryTakeEdge(GpioEdge.Rising));
        Assert.False(line.TryTakeEdge(GpioEdge.Rising));
        var times = gpio.Button("b").History.Select(h => (h.At, h.High));
        Assert.Equal(new[] { (TimeSpan.FromSeconds(1), true), (TimeSpan.FromMilliseconds(1100), false), (TimeSpan.FromSeconds(2), true), (TimeSpan.FromMilliseconds(2100), false) }, times);
    }

    [Fact]
    public void A_repeating_script_keeps_pressing()
    {
        var gpio = new SimulatedGpioController("g", _clock.Clock);
        gpio.AddButton("b", script: [new ButtonPress(TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100))], repeatEvery: TimeSpan.FromSeconds(2));
        using IGpioLine line = gpio.OpenDigital("b", Input);
        gpio.StartScripts();
        _clock.Advance(TimeSpan.FromSeconds(10));
        int presses = 0;
        while (line.TryTakeEdge(GpioEdge.Rising)) presses++;
        Assert.Equal(5, presses); // at 1, 3, 5, 7, 9 s
    }

    [Fact]
    public void Overlapping_scripted_presses_are_refused()
    {
        var gpio = new SimulatedGpioController("g", _clock.Clock);
        Assert.Throws<ArgumentException>(() => gpio.AddButton("b", script: [new ButtonPress(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)), new ButtonPress(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1))]));
    }

    [Fact]
    public void An_adc_input_reads_the_value_set_by_the_test()
    {
        using IAnalogLine pot = _gpio.OpenAnalog("pot");
        Assert.True(pot.CanRead);
        Assert.Equal(10, pot.Bits);
        Assert.Equal(512u, pot.ReadRaw());
        _gpio.Analog("pot").SetFraction(1.0);
        Assert.Equal(1023u, pot.ReadRaw());
        Assert.Throws<InvalidOperationException>(() => pot.WriteRaw(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => _gpio.Analog("pot").SetValue(1024));
    }

    [Fact]
    public void Pwm_writes_are_recorded()
    {
        using IAnalogLine dimmer = _gpio.OpenAnalog("dimmer");
        dimmer.WriteRaw(10);
        _clock.AdvanceMs(5);
        dimmer.WriteRaw(200);
        Assert.Equal(new[] { new AnalogWrite(TimeSpan.Zero, 10), new AnalogWrite(TimeSpan.FromMilliseconds(5), 200) }, _gpio.Analog("dimmer").Writes);
        Assert.Throws<ArgumentOutOfRangeException>(() => dimmer.WriteRaw(256));
        Assert.Throws<InvalidOperationException>(() => dimmer.ReadRaw());
        Assert.Throws<InvalidOperationException>(() => _gpio.OpenAnalog("dimmer"));
    }
}
