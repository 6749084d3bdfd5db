using IronWasm.Hardware.Tests.Simulation;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

/// <summary>The timing model, on a manual clock: every time below is exact bus time.
/// Defaults: 45 µs submit latency, 45 µs completion latency, bulk 40 MB/s (25 ns a byte),
/// periodic 60 MB/s, 125 µs microframes.</summary>
public class UsbBusTimingTests : IDisposable
{
    private const long Microframe = 125_000;

    private readonly ManualTimeProvider _clock;
    private readonly SimulatedUsbBackend _usb;
    private readonly UsbDeviceHandle _h;

    public UsbBusTimingTests()
    {
        _usb = Timed(out _clock);
        _h = OpenAndClaim(_usb.Plug(new EchoDevice()), EchoDevice.DataInterface, EchoDevice.IsochronousInterface);
    }

    public void Dispose()
    {
        _h.Dispose();
        _usb.Dispose();
    }

    private void AdvanceTo(long ns) => _clock.Advance(TimeSpan.FromTicks((ns - _usb.Bus.Now) / 100));

    private UsbTransfer Out(byte endpoint, UsbTransferType type, int length)
    {
        var t = Allocate(_h, type, endpoint, length);
        Submit(t, Pattern(length));
        return t;
    }

    private UsbTransfer In(byte endpoint, UsbTransferType type, int length)
    {
        var t = Allocate(_h, type, endpoint, length);
        SubmitIn(t, length);
        return t;
    }

    [Fact]
    public void A_32_byte_bulk_out_completes_after_submit_latency_wire_time_and_completion_latency()
    {
        var t = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 32);
        AdvanceTo(90_700);
        Assert.True(t.IsPending);
        AdvanceTo(90_800);
        Assert.Equal(UsbTransferStatus.Completed, t.Status);
        Assert.Equal(45_000 + 800 + 45_000, CompletedAtNs(t));
    }

    [Fact]
    public void A_32_byte_bulk_round_trip_takes_181_6_microseconds_like_the_papers_x86_measurement()
    {
        var output = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 32);
        AdvanceTo(90_800);
        Assert.False(output.IsPending);
        var input = In(EchoDevice.BulkIn, UsbTransferType.Bulk, 512);
        AdvanceTo(181_600);
        Assert.Equal(UsbTransferStatus.Completed, input.Status);
        Assert.Equal(181_600, CompletedAtNs(input));
        Assert.Equal(Pattern(32), input.ActualData.ToArray());
    }

    [Fact]
    public void Bulk_data_moves_at_the_configured_bandwidth()
    {
        var t = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 64 * 1024);
        AdvanceTo(2_000_000);
        // 65536 bytes at 40 MB/s = 1638.4 µs on the wire.
        Assert.Equal(45_000 + 1_638_400 + 45_000, CompletedAtNs(t));
    }

    [Fact]
    public void Bulk_transfers_share_the_bus_one_after_another()
    {
        var first = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 4000);   // 100 µs on the wire
        var control = Allocate(_h, UsbTransferType.Control, 0, 64);
        control.Setup = new UsbSetupPacket(ControlIn(UsbRequestKind.Vendor, UsbRequestRecipient.Device), EchoDevice.EchoRequest, 0, 0, 0);
        Assert.Equal(UsbError.Success, control.Submit());
        AdvanceTo(1_000_000);
        Assert.Equal(45_000 + 100_000 + 45_000, CompletedAtNs(first));
        // The control transfer waits for the bulk data, then sends its 8-byte setup packet (200 ns).
        Assert.Equal(145_000 + 200 + 45_000, CompletedAtNs(control));
    }

    [Fact]
    public void Interrupt_endpoints_are_polled_every_2_to_the_interval_minus_1_microframes()
    {
        // bInterval 4: every 8 microframes (1 ms), polls at whole milliseconds.
        var output = Out(EchoDevice.InterruptOut, UsbTransferType.Interrupt, 32);
        AdvanceTo(999_000);
        Assert.True(output.IsPending);
        AdvanceTo(1_100_000);
        Assert.Equal(8 * Microframe, (CompletedAtNs(output) - 45_000) / Microframe * Microframe);
        var input = In(EchoDevice.InterruptIn, UsbTransferType.Interrupt, 64);
        AdvanceTo(3_000_000);
        Assert.Equal(16 * Microframe, (CompletedAtNs(input) - 45_000) / Microframe * Microframe);
        Assert.Equal(Pattern(32), input.ActualData.ToArray());
    }

    [Fact]
    public void An_interrupt_endpoint_with_interval_1_is_polled_every_microframe()
    {
        using var usb = Timed(out var clock);
        using var h = OpenAndClaim(usb.Plug(new EchoDevice(interruptInterval: 1)), 0);
        var t = Allocate(h, UsbTransferType.Interrupt, EchoDevice.InterruptOut, 8);
        Submit(t, Pattern(8));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        // Submitted at 0, on the bus from 45 µs: the poll at 125 µs takes it.
        Assert.Equal(Microframe + 134 + 45_000, CompletedAtNs(t));
    }

    [Fact]
    public void A_waiting_interrupt_read_is_served_at_the_first_poll_after_data_arrives()
    {
        var input = In(EchoDevice.InterruptIn, UsbTransferType.Interrupt, 64);
        AdvanceTo(5_500_000);
        Assert.True(input.IsPending);
        var output = Out(EchoDevice.InterruptOut, UsbTransferType.Interrupt, 4);
        AdvanceTo(10_000_000);
        Assert.Equal(6_000_000 + 67 + 45_000, CompletedAtNs(output));
        Assert.Equal(7_000_000 + 67 + 45_000, CompletedAtNs(input));
    }

    [Fact]
    public void Isochronous_packets_go_one_per_interval_and_the_transfer_completes_after_the_last()
    {
        using var usb = Timed(out var clock);
        using var h = OpenAndClaim(usb.Plug(new EchoDevice(isochronousInterval: 1)), 1);
        Assert.Equal(UsbError.Success, h.SetInterfaceAltSetting(1, 1));
        var t = Allocate(h, UsbTransferType.Isochronous, EchoDevice.IsochronousOut, 3 * 600, 3);
        t.SetIsoPacketLengths(600);
        Assert.Equal(UsbError.Success, t.Submit());
        clock.Advance(TimeSpan.FromMilliseconds(2));
        // Packets in microframes 1, 2 and 3 (the first at or after 45 µs); 600 bytes at 60 MB/s is 10 µs.
        Assert.Equal(3 * Microframe + 10_000 + 45_000, CompletedAtNs(t));
    }

    [Fact]
    public void A_timeout_ends_a_transfer_the_device_never_answers_at_exactly_its_time()
    {
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        t.TimeoutMilliseconds = 5;
        SubmitIn(t, 512);
        AdvanceTo(4_999_900);
        Assert.True(t.IsPending);
        AdvanceTo(5_000_000);
        Assert.Equal(UsbTransferStatus.TimedOut, t.Status);
        Assert.Equal(5_000_000, CompletedAtNs(t));
    }

    [Fact]
    public void A_transfer_that_completes_in_time_is_not_timed_out_later()
    {
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 32);
        t.TimeoutMilliseconds = 1;
        Submit(t, Pattern(32));
        _clock.Advance(TimeSpan.FromMilliseconds(5));
        Assert.Equal(UsbTransferStatus.Completed, t.Status);
    }

    [Fact]
    public void A_resubmitted_transfer_times_out_at_its_own_deadline_not_an_earlier_submissions()
    {
        var read = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        read.TimeoutMilliseconds = 5;
        SubmitIn(read, 512);
        Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 8);
        AdvanceTo(1_000_000);
        Assert.Equal(UsbTransferStatus.Completed, read.Status);
        SubmitIn(read, 512);
        AdvanceTo(5_500_000);
        Assert.True(read.IsPending);
        AdvanceTo(6_000_000);
        Assert.Equal(UsbTransferStatus.TimedOut, read.Status);
        Assert.Equal(6_000_000, CompletedAtNs(read));
    }

    [Fact]
    public void Transfers_queued_on_one_endpoint_follow_each_other_without_waiting_for_completion()
    {
        var a = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 512);
        var b = Out(EchoDevice.BulkOut, UsbTransferType.Bulk, 512);
        AdvanceTo(1_000_000);
        // 512 bytes = 12.8 µs on the wire; b starts as soon as a leaves the wire.
        Assert.Equal(45_000 + 12_800 + 45_000, CompletedAtNs(a));
        Assert.Equal(45_000 + 25_600 + 45_000, CompletedAtNs(b));
    }

    [Fact]
    public void Zero_latency_completes_every_transfer_before_submit_returns()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        var t = Allocate(h, UsbTransferType.Interrupt, EchoDevice.InterruptOut, 8);
        Submit(t, Pattern(8));
        Assert.Equal(UsbTransferState.Completed, t.State);
        Assert.True(usb.Timing.IsZeroLatency);
        Assert.Contains("zero latency", usb.Description);
    }

    [Theory]
    [InlineData(1, UsbSpeed.High, UsbTransferType.Interrupt, 125)]
    [InlineData(4, UsbSpeed.High, UsbTransferType.Interrupt, 1000)]
    [InlineData(16, UsbSpeed.High, UsbTransferType.Isochronous, 4_096_000)]
    [InlineData(10, UsbSpeed.Full, UsbTransferType.Interrupt, 10_000)]
    [InlineData(4, UsbSpeed.Full, UsbTransferType.Isochronous, 8000)]
    public void Polling_periods_follow_the_usb_2_rules(byte interval, UsbSpeed speed, UsbTransferType type, long microseconds)
    {
        var e = UsbEndpointDescriptor.Create(0x81, type, 64, interval);
        Assert.Equal(microseconds * 1000, UsbBusTiming.HighSpeed.PeriodNs(e, speed));
        Assert.Equal(0, UsbBusTiming.ZeroLatency.PeriodNs(e, speed));
    }

    [Fact]
    public void On_the_system_clock_concurrent_round_trips_on_two_devices_each_get_their_own_data()
    {
        using var usb = new SimulatedUsbBackend();
        var handles = new[] { OpenAndClaim(usb.Plug(new EchoDevice("a")), 0), OpenAndClaim(usb.Plug(new EchoDevice("b")), 0) };
        int mismatches = 0;
        Parallel.For(0, 2, d =>
        {
            var back = new byte[512];
            for (int i = 0; i < 50; i++)
            {
                var data = Pattern(32, d * 100 + i);
                if (handles[d].BulkTransfer(EchoDevice.BulkOut, data, 5000, out _) != UsbError.Success
                    || handles[d].BulkTransfer(EchoDevice.BulkIn, back, 5000, out int n) != UsbError.Success
                    || !back.AsSpan(0, n).SequenceEqual(data))
                    Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(0, mismatches);
        foreach (var h in handles) h.Dispose();
    }

    [Fact]
    public void On_the_system_clock_the_bus_completes_transfers_by_itself()
    {
        using var usb = new SimulatedUsbBackend();
        using var h = OpenAndClaim(usb.Plug(new EchoDevice()), 0);
        var data = Pattern(32);
        Assert.Equal(UsbError.Success, h.BulkTransfer(EchoDevice.BulkOut, data, 5000, out _));
        var back = new byte[512];
        Assert.Equal(UsbError.Success, h.BulkTransfer(EchoDevice.BulkIn, back, 5000, out int read));
        Assert.Equal(data, back[..read]);
    }
}
