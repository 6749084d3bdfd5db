namespace IronWasm.Hardware.Simulation;

/// <summary>What the simulated sensors measure at one moment.</summary>
/// <param name="Temperature">Degrees Celsius.</param>
/// <param name="Humidity">Relative humidity, percent (0 to 100).</param>
/// <param name="Pressure">Hectopascal.</param>
public readonly record struct EnvironmentReading(double Temperature, double Humidity, double Pressure);

/// <summary>How far each quantity wanders when drift is on, and how fast.</summary>
/// <param name="Seed">Chooses the (deterministic) wandering; the same seed gives the same curve.</param>
/// <param name="Period">Roughly how long one swing takes.</param>
/// <param name="Temperature">The largest excursion, °C.</param>
/// <param name="Humidity">The largest excursion, %RH.</param>
/// <param name="Pressure">The largest excursion, hPa.</param>
public sealed record EnvironmentDrift(int Seed, TimeSpan Period, double Temperature = 1.5, double Humidity = 5, double Pressure = 1.5);

/// <summary>The air around the simulated sensors: temperature, humidity and pressure, shared by
/// every sensor of a simulation. Settable at any time; with drift on, each value wanders smoothly
/// within ± its amplitude around a centre, as a deterministic function of time, so a run with
/// the same seed and timing reads the same values. Setting a value (or turning drift on) moves
/// the centre so that the value now is the one set. Thread-safe.</summary>
public sealed class SimulatedEnvironment
{
    public const double MinTemperature = -40, MaxTemperature = 85, MinPressure = 300, MaxPressure = 1100;

    private readonly Lock _lock = new();
    private readonly SimulationClock _clock;
    private double _temperature, _humidity, _pressure;
    private EnvironmentDrift? _drift;
    // Three sine components per quantity: (angular frequency per second, phase).
    private readonly double[] _waves = new double[18];

    internal SimulatedEnvironment(SimulationClock clock, double temperature = 21.5, double humidity = 45, double pressure = 1013.25)
    {
        _clock = clock;
        Set(temperature, humidity, pressure);
    }

    public EnvironmentDrift? Drift
    {
        get { lock (_lock) return _drift; }
        set
        {
            lock (_lock)
            {
                EnvironmentReading now = ReadLocked();
                _drift = value;
                if (value is not null)
                {
                    if (value.Period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(value), "drift needs a positive period");
                    var random = new Random(value.Seed);
                    for (int i = 0; i < _waves.Length; i += 2)
                    {
                        // Periods between a third of and the full period, so the sum never repeats quickly.
                        double period = value.Period.TotalSeconds * (1.0 / 3 + random.NextDouble() * 2 / 3);
                        _waves[i] = 2 * Math.PI / period;
                        _waves[i + 1] = random.NextDouble() * 2 * Math.PI;
                    }
                }
                // Keep the present value where it is: only its future changes.
                SetLocked(now.Temperature, now.Humidity, now.Pressure);
            }
        }
    }

    /// <summary>The values now (with drift, if on).</summary>
    public EnvironmentReading Read()
    {
        lock (_lock) return ReadLocked();
    }

    /// <summary>Sets all three values as of now. Out-of-range values are refused rather than
    /// clamped, so a typo in a test or file is noticed.</summary>
    public void Set(double temperature, double humidity, double pressure)
    {
        Check(temperature, humidity, pressure);
        lock (_lock) SetLocked(temperature, humidity, pressure);
    }

    public double Temperature
    {
        get => Read().Temperature;
        set { lock (_lock) { var r = ReadLocked(); Check(value, r.Humidity, r.Pressure); SetLocked(value, r.Humidity, r.Pressure); } }
    }

    public double Humidity
    {
        get => Read().Humidity;
        set { lock (_lock) { var r = ReadLocked(); Check(r.Temperature, value, r.Pressure); SetLocked(r.Temperature, value, r.Pressure); } }
    }

    public double Pressure
    {
        get => Read().Pressure;
        set { lock (_lock) { var r = ReadLocked(); Check(r.Temperature, r.Humidity, value); SetLocked(r.Temperature, r.Humidity, value); } }
    }

    private static void Check(double temperature, double humidity, double pressure)
    {
        if (!(temperature >= MinTemperature && temperature <= MaxTemperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, $"temperature must be within {MinTemperature} to {MaxTemperature} °C (the sensors' operating range)");
        if (!(humidity >= 0 && humidity <= 100))
            throw new ArgumentOutOfRangeException(nameof(humidity), humidity, "relative humidity must be within 0 to 100 %");
        if (!(pressure >= MinPressure && pressure <= MaxPressure))
            throw new ArgumentOutOfRangeException(nameof(pressure), pressure, $"pressure must be within {MinPressure} to {MaxPressure} hPa (the BME280's range)");
    }

    private void SetLocked(double temperature, double humidity, double pressure)
    {
        double t = _clock.Elapsed.TotalSeconds;
        // Stored as the value without drift, so that drift continues smoothly from here.
        _temperature = temperature - Wander(0, t) * (_drift?.Temperature ?? 0);
        _humidity = humidity - Wander(6, t) * (_drift?.Humidity ?? 0);
        _pressure = pressure - Wander(12, t) * (_drift?.Pressure ?? 0);
    }

    private EnvironmentReading ReadLocked()
    {
        if (_drift is null) return new(_temperature, _humidity, _pressure);
        double t = _clock.Elapsed.TotalSeconds;
        return new(
            Math.Clamp(_temperature + Wander(0, t) * _drift.Temperature, MinTemperature, MaxTemperature),
            Math.Clamp(_humidity + Wander(6, t) * _drift.Humidity, 0, 100),
            Math.Clamp(_pressure + Wander(12, t) * _drift.Pressure, MinPressure, MaxPressure));
    }

    /// <summary>A smooth curve in [-1, 1]: the mean of three sines.</summary>
    private double Wander(int first, double seconds)
    {
        if (_drift is null) return 0;
        double sum = 0;
        for (int i = first; i < first + 6; i += 2) sum += Math.Sin(_waves[i] * seconds + _waves[i + 1]);
        return sum / 3;
    }
}
