namespace IronWasm.Hardware.Usb.Simulation;

/// <summary>The timing model of a simulated USB 2.0 high-speed bus (see README.md, "Timing model").
/// A transfer reaches the bus <see cref="SubmitLatency"/> after it is submitted (host controller
/// and kernel), moves its data, and completes <see cref="CompletionLatency"/> after its last byte
/// (interrupt, kernel, event handling). Control and bulk data share the asynchronous schedule at
/// <see cref="BulkBytesPerSecond"/>, one transfer after another; interrupt and isochronous
/// endpoints move one service opportunity's worth of packets every 2^(bInterval-1)
/// <see cref="Microframe"/>s, at <see cref="PeriodicBytesPerSecond"/>.</summary>
public sealed record UsbBusTiming
{
    /// <summary>The default: a USB 2.0 high-speed bus with a USB stick's bulk throughput,
    /// calibrated so that a 32-byte bulk OUT then IN round trip takes 181.6 µs (the paper's x86
    /// native figure is 181.3 µs).</summary>
    public static UsbBusTiming HighSpeed { get; } = new();

    /// <summary>No latency, no bandwidth limit, no polling intervals: a transfer completes as soon
    /// as the device has answered, so measurements show the pure overhead of the software above.</summary>
    public static UsbBusTiming ZeroLatency { get; } = new()
    {
        SubmitLatency = TimeSpan.Zero,
        CompletionLatency = TimeSpan.Zero,
        BulkBytesPerSecond = double.PositiveInfinity,
        PeriodicBytesPerSecond = double.PositiveInfinity,
        HonourPollingIntervals = false,
    };

    /// <summary>125 µs at high speed (USB 2.0 §8.4.3.1).</summary>
    public TimeSpan Microframe { get; init; } = TimeSpan.FromMicroseconds(125);

    /// <summary>Effective bulk (and control) data rate of the asynchronous schedule, protocol
    /// overhead included: 40 MB/s, what a good USB 2.0 stick sustains.</summary>
    public double BulkBytesPerSecond { get; init; } = 40e6;

    /// <summary>Data rate of interrupt and isochronous packets inside their reserved share of a
    /// microframe: the 480 Mbit/s signalling rate, 60 MB/s.</summary>
    public double PeriodicBytesPerSecond { get; init; } = 60e6;

    /// <summary>From submission until the transfer can be on the wire: 45 µs.</summary>
    public TimeSpan SubmitLatency { get; init; } = TimeSpan.FromMicroseconds(45);

    /// <summary>From the last byte on the wire until the submitter sees completion: 45 µs.</summary>
    public TimeSpan CompletionLatency { get; init; } = TimeSpan.FromMicroseconds(45);

    /// <summary>Whether interrupt and isochronous endpoints wait for their polling interval.</summary>
    public bool HonourPollingIntervals { get; init; } = true;

    /// <summary>True when nothing waits: every transfer completes as soon as the device answers.</summary>
    public bool IsZeroLatency =>
        SubmitLatency == TimeSpan.Zero && CompletionLatency == TimeSpan.Zero && !HonourPollingIntervals
        && double.IsPositiveInfinity(BulkBytesPerSecond) && double.IsPositiveInfinity(PeriodicBytesPerSecond);

    internal long MicroframeNs => Microframe.Ticks * 100;
    internal long SubmitLatencyNs => SubmitLatency.Ticks * 100;
    internal long CompletionLatencyNs => CompletionLatency.Ticks * 100;

    internal long BulkWireNs(int bytes) => WireNs(bytes, BulkBytesPerSecond);
    internal long PeriodicWireNs(int bytes) => WireNs(bytes, PeriodicBytesPerSecond);

    private static long WireNs(int bytes, double rate) =>
        double.IsPositiveInfinity(rate) || bytes == 0 ? 0 : (long)Math.Ceiling(bytes * 1e9 / rate);

    /// <summary>The interval of a periodic endpoint in nanoseconds: 2^(bInterval-1) microframes
    /// at high speed (bInterval 1..16); at full and low speed bInterval frames for interrupt
    /// endpoints and 2^(bInterval-1) frames for isochronous ones.</summary>
    internal long PeriodNs(UsbEndpointDescriptor endpoint, UsbSpeed speed)
    {
        if (!HonourPollingIntervals) return 0;
        int b = Math.Clamp((int)endpoint.Interval, 1, 16);
        long microframe = MicroframeNs;
        if (speed >= UsbSpeed.High) return microframe << (b - 1);
        long frame = 8 * microframe;
        return endpoint.TransferType == UsbTransferType.Isochronous ? frame << (b - 1) : frame * Math.Max((int)endpoint.Interval, 1);
    }

    internal void Validate()
    {
        if (Microframe <= TimeSpan.Zero) throw new ArgumentException("the microframe must be positive");
        if (!(BulkBytesPerSecond > 0) || !(PeriodicBytesPerSecond > 0)) throw new ArgumentException("data rates must be positive (infinity for no limit)");
        if (SubmitLatency < TimeSpan.Zero || CompletionLatency < TimeSpan.Zero) throw new ArgumentException("latencies cannot be negative");
    }
}
