namespace IronWasm.Hardware.Buses;

public enum GpioDirection : byte { Input, Output }

public enum GpioPull : byte { None, PullUp, PullDown }

public enum GpioEdge : byte { Rising, Falling }

/// <summary>How a line is to be driven or read. Levels here are physical (true = high); the
/// host applies active-low itself.</summary>
public readonly record struct GpioLineConfig(GpioDirection Direction, GpioPull Pull = GpioPull.None, bool InitialHigh = false);

/// <summary>What a controller says about one of its lines before it is opened.</summary>
public readonly record struct GpioLineInfo(string Label, uint Offset, bool CanInput, bool CanOutput, bool IsAnalog, bool InUse);

/// <summary>An opened GPIO line. Thread-safe.</summary>
public interface IGpioLine : IDisposable
{
    string Label { get; }
    GpioLineConfig Config { get; }

    /// <summary>The physical level: for inputs what the pin sees, for outputs what it drives.</summary>
    bool Read();

    /// <summary>Drives an output line. Throws <see cref="InvalidOperationException"/> for an input line.</summary>
    void Write(bool high);

    /// <summary>Changes direction (and pull) of the open line.</summary>
    void Reconfigure(GpioLineConfig config);

    /// <summary>Waits until <paramref name="edge"/> happens on an input line (edges that happened
    /// before the call and were not yet consumed count), at most <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/> for no limit). True when the edge came.</summary>
    bool WaitForEdge(GpioEdge edge, TimeSpan timeout, CancellationToken cancellation = default);

    /// <summary>Consumes one pending <paramref name="edge"/> if there is one, without waiting.</summary>
    bool TryTakeEdge(GpioEdge edge);
}

/// <summary>An analog line: an ADC input and/or a DAC or PWM output, as raw values of <see cref="Bits"/> bits.</summary>
public interface IAnalogLine : IDisposable
{
    string Label { get; }
    int Bits { get; }
    bool CanRead { get; }
    bool CanWrite { get; }
    uint ReadRaw();
    void WriteRaw(uint value);
}

/// <summary>A backend's GPIO controller (the Linux GPIO character device, simulated pins).
/// Lines are found by label; a line is open in one place at a time.</summary>
public interface IGpioController : IDisposable
{
    /// <summary>e.g. "gpiochip0" or "sim-gpio".</summary>
    string Name { get; }
    string Description { get; }
    IReadOnlyList<GpioLineInfo> Lines { get; }

    /// <summary>Opens the digital line named <paramref name="label"/>.</summary>
    /// <exception cref="KeyNotFoundException">No line has that label.</exception>
    /// <exception cref="InvalidOperationException">The line is in use, or cannot be configured so.</exception>
    IGpioLine OpenDigital(string label, GpioLineConfig config);

    /// <summary>Opens the analog line named <paramref name="label"/>.</summary>
    /// <exception cref="KeyNotFoundException">No analog line has that label.</exception>
    /// <exception cref="InvalidOperationException">The line is in use.</exception>
    IAnalogLine OpenAnalog(string label);
}
