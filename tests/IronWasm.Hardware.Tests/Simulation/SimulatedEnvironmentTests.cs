using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Tests.Simulation;

public class SimulatedEnvironmentTests
{
    private readonly TestClock _clock = new();

    [Fact]
    public void Values_read_back_as_set()
    {
        var environment = new SimulatedEnvironment(_clock.Clock);
        environment.Set(18.25, 61, 987.5);
        Assert.Equal(new EnvironmentReading(18.25, 61, 987.5), environment.Read());
        environment.Humidity = 30;
        Assert.Equal(new EnvironmentReading(18.25, 30, 987.5), environment.Read());
    }

    [Theory]
    [InlineData(-41.0, 50.0, 1000.0)]
    [InlineData(20.0, 101.0, 1000.0)]
    [InlineData(20.0, 50.0, 1200.0)]
    [InlineData(double.NaN, 50.0, 1000.0)]
    public void Values_outside_the_sensors_range_are_refused(double t, double h, double p)
    {
        var environment = new SimulatedEnvironment(_clock.Clock);
        Assert.Throws<ArgumentOutOfRangeException>(() => environment.Set(t, h, p));
    }

    [Fact]
    public void Without_drift_values_stay_put()
    {
        var environment = new SimulatedEnvironment(_clock.Clock);
        var before = environment.Read();
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(before, environment.Read());
    }

    [Fact]
    public void Drift_wanders_within_its_amplitude_and_is_the_same_for_the_same_seed()
    {
        var a = new SimulatedEnvironment(_clock.Clock) { Drift = new EnvironmentDrift(7, TimeSpan.FromSeconds(60), 2, 5, 1) };
        var b = new SimulatedEnvironment(_clock.Clock) { Drift = new EnvironmentDrift(7, TimeSpan.FromSeconds(60), 2, 5, 1) };
        var c = new SimulatedEnvironment(_clock.Clock) { Drift = new EnvironmentDrift(8, TimeSpan.FromSeconds(60), 2, 5, 1) };
        var readings = new List<EnvironmentReading>();
        bool differs = false;
        for (int i = 0; i < 600; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            EnvironmentReading ra = a.Read(), rb = b.Read(), rc = c.Read();
            Assert.Equal(ra, rb);
            differs |= ra != rc;
            readings.Add(ra);
        }
        Assert.True(differs);
        // Each value stays within ± amplitude of its centre, and it does move.
        double Spread(Func<EnvironmentReading, double> f) => readings.Max(f) - readings.Min(f);
        Assert.InRange(Spread(r => r.Temperature), 0.5, 4);
        Assert.InRange(Spread(r => r.Humidity), 1, 10);
        Assert.InRange(Spread(r => r.Pressure), 0.2, 2);
    }

    [Fact]
    public void Setting_a_value_under_drift_takes_effect_now_and_drifts_on_from_there()
    {
        var environment = new SimulatedEnvironment(_clock.Clock) { Drift = new EnvironmentDrift(3, TimeSpan.FromSeconds(30)) };
        _clock.Advance(TimeSpan.FromSeconds(13));
        environment.Temperature = 30;
        Assert.Equal(30, environment.Temperature, 1e-9);
        _clock.Advance(TimeSpan.FromSeconds(5));
        Assert.NotEqual(30, environment.Temperature);
        Assert.InRange(environment.Temperature, 30 - 3.1, 30 + 3.1);
    }
}
