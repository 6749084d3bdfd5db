using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

/// <summary>Each transfer type against the echo device, at zero latency (transfers complete inline).</summary>
public class EchoTransferTests : IDisposable
{
    private readonly SimulatedUsbBackend _usb = ZeroLatency();
    private readonly EchoDevice _echo = new();
    private readonly UsbDeviceHandle _h;

    public EchoTransferTests()
    {
        _h = OpenAndClaim(_usb.Plug(_echo), EchoDevice.DataInterface, EchoDevice.IsochronousInterface);
    }

    public void Dispose()
    {
        _h.Dispose();
        _usb.Dispose();
    }

    [Fact]
    public void A_bulk_out_comes_back_in_and_a_short_packet_ends_the_read()
    {
        var sent = Pattern(32);
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, sent, 1000, out int written));
        Assert.Equal(32, written);
        var back = new byte[512];
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkIn, back, 1000, out int read));
        Assert.Equal(32, read);
        Assert.Equal(sent, back[..32]);
    }

    [Fact]
    public void A_bulk_transfer_of_several_packets_comes_back_whole()
    {
        var sent = Pattern(1024 + 100);
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, sent, 1000, out _));
        var back = new byte[2048];
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkIn, back, 1000, out int read));
        Assert.Equal(sent.Length, read);
        Assert.Equal(sent, back[..read]);
    }

    [Fact]
    public void A_bulk_packet_larger_than_the_room_left_is_an_overflow()
    {
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(100), 1000, out _));
        var small = new byte[64];
        Assert.Equal(UsbError.Overflow, _h.BulkTransfer(EchoDevice.BulkIn, small, 1000, out int read));
        Assert.Equal(64, read);
        Assert.Equal(Pattern(100)[..64], small);
    }

    [Fact]
    public void A_read_with_nothing_to_echo_waits_until_something_is_sent()
    {
        var read = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        SubmitIn(read, 512);
        Assert.True(read.IsPending);
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(10), 1000, out _));
        Assert.Equal(UsbTransferStatus.Completed, read.Wait());
        Assert.Equal(Pattern(10), read.ActualData.ToArray());
    }

    [Fact]
    public void A_full_echo_buffer_holds_back_writes_until_reads_drain_it()
    {
        var fill = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 64 * 1024);
        Submit(fill, Pattern(64 * 1024));
        Assert.Equal(UsbTransferStatus.Completed, fill.Wait());
        var more = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 512);
        Submit(more, Pattern(512, 9));
        Assert.True(more.IsPending);
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkIn, new byte[512], 1000, out _));
        Assert.Equal(UsbTransferStatus.Completed, more.Wait());
    }

    [Fact]
    public void An_interrupt_out_comes_back_on_the_interrupt_in_endpoint()
    {
        Assert.Equal(UsbError.Success, _h.InterruptTransfer(EchoDevice.InterruptOut, Pattern(16), 1000, out _));
        var back = new byte[64];
        Assert.Equal(UsbError.Success, _h.InterruptTransfer(EchoDevice.InterruptIn, back, 1000, out int read));
        Assert.Equal(Pattern(16), back[..read]);
    }

    [Fact]
    public void Isochronous_packets_come_back_one_for_one_with_their_own_lengths_and_statuses()
    {
        Assert.Equal(UsbError.Success, _h.SetInterfaceAltSetting(EchoDevice.IsochronousInterface, 1));
        var output = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousOut, 4 * 100, 4);
        output.SetIsoPacketLengths(100);
        Pattern(400).CopyTo(output.Buffer);
        Assert.Equal(UsbError.Success, output.Submit());
        Assert.Equal(UsbTransferStatus.Completed, output.Wait());
        Assert.All(output.IsoPackets.ToArray(), p => Assert.Equal((100, UsbTransferStatus.Completed), (p.ActualLength, p.Status)));

        var input = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousIn, 6 * 1024, 6);
        input.SetIsoPacketLengths(1024);
        Assert.Equal(UsbError.Success, input.Submit());
        Assert.Equal(UsbTransferStatus.Completed, input.Wait());
        for (int i = 0; i < 4; i++) Assert.Equal(Pattern(400)[(i * 100)..((i + 1) * 100)], input.GetIsoPacketData(i).ToArray());
        // No data for the last two intervals: empty packets, not errors (isochronous has no NAK).
        Assert.Equal(0, input.IsoPackets[4].ActualLength);
        Assert.Equal(UsbTransferStatus.Completed, input.IsoPackets[5].Status);
        Assert.Equal(400, input.ActualLength);
    }

    [Fact]
    public void An_isochronous_packet_smaller_than_the_data_overflows_alone()
    {
        Assert.Equal(UsbError.Success, _h.SetInterfaceAltSetting(EchoDevice.IsochronousInterface, 1));
        var output = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousOut, 300, 2);
        output.SetIsoPacketLength(0, 200);
        output.SetIsoPacketLength(1, 50);
        Assert.Equal(UsbError.Success, output.Submit());
        var input = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousIn, 200, 2);
        input.SetIsoPacketLengths(100);
        Assert.Equal(UsbError.Success, input.Submit());
        Assert.Equal(UsbTransferStatus.Completed, input.Wait());
        Assert.Equal((100, UsbTransferStatus.Overflow), (input.IsoPackets[0].ActualLength, input.IsoPackets[0].Status));
        Assert.Equal((50, UsbTransferStatus.Completed), (input.IsoPackets[1].ActualLength, input.IsoPackets[1].Status));
    }

    [Fact]
    public void An_isochronous_packet_beyond_the_endpoint_size_is_refused()
    {
        Assert.Equal(UsbError.Success, _h.SetInterfaceAltSetting(EchoDevice.IsochronousInterface, 1));
        var t = Allocate(_h, UsbTransferType.Isochronous, EchoDevice.IsochronousOut, 2048, 1);
        t.SetIsoPacketLengths(1025);
        Assert.Equal(UsbError.InvalidParam, t.Submit());
        t.SetIsoPacketLengths(2048);
        Assert.Equal(UsbError.InvalidParam, t.Submit());
    }

    [Fact]
    public void A_vendor_control_request_echoes_its_data_stage()
    {
        byte toDevice = ControlOut(UsbRequestKind.Vendor, UsbRequestRecipient.Device);
        byte fromDevice = ControlIn(UsbRequestKind.Vendor, UsbRequestRecipient.Device);
        Assert.Equal(UsbError.Success, _h.ControlTransfer(toDevice, EchoDevice.EchoRequest, 0, 0, Pattern(48), 1000, out int sent));
        Assert.Equal(48, sent);
        var back = new byte[64];
        Assert.Equal(UsbError.Success, _h.ControlTransfer(fromDevice, EchoDevice.EchoRequest, 0, 0, back, 1000, out int read));
        Assert.Equal(Pattern(48), back[..read]);
    }

    [Fact]
    public void An_unknown_control_request_stalls_that_request_only()
    {
        byte fromDevice = ControlIn(UsbRequestKind.Vendor, UsbRequestRecipient.Device);
        Assert.Equal(UsbError.Pipe, _h.ControlTransfer(fromDevice, 0x77, 0, 0, new byte[4], 1000, out _));
        Assert.Equal(UsbError.Success, _h.ControlTransfer(fromDevice, EchoDevice.EchoRequest, 0, 0, new byte[4], 1000, out _));
    }

    [Fact]
    public void A_control_transfer_moves_its_setup_packet_and_data_in_one_buffer()
    {
        var t = Allocate(_h, UsbTransferType.Control, 0, 64);
        t.Setup = new UsbSetupPacket(ControlOut(UsbRequestKind.Vendor, UsbRequestRecipient.Device), EchoDevice.EchoRequest, 0, 0, 5);
        Pattern(5).CopyTo(t.Buffer);
        Assert.Equal(5, t.Length);
        Assert.Equal(UsbError.Success, t.Submit());
        Assert.Equal(UsbTransferStatus.Completed, t.Wait());
        Assert.Equal(5, t.ActualLength);
        Assert.Throws<InvalidOperationException>(() => t.Length = 3);
        t.Setup = t.Setup with { Length = 65 };
        Assert.Equal(UsbError.InvalidParam, t.Submit());
    }

    [Fact]
    public void A_transfer_is_submitted_once_at_a_time_and_can_be_reused()
    {
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        Assert.Throws<InvalidOperationException>(() => t.Wait());
        SubmitIn(t, 512);
        Assert.Equal(UsbError.Busy, t.Submit());
        Assert.Throws<InvalidOperationException>(() => t.Length = 5);
        Assert.Throws<InvalidOperationException>(() => t.Endpoint = 0x82);
        Assert.Equal(UsbError.Success, t.Cancel());
        Assert.Equal(UsbTransferStatus.Cancelled, t.Wait());
        Assert.Equal(UsbError.NotFound, t.Cancel());

        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(3), 1000, out _));
        SubmitIn(t, 512);
        Assert.Equal(UsbTransferStatus.Completed, t.Wait());
        Assert.Equal(3, t.ActualLength);
    }

    [Fact]
    public async Task A_transfer_can_be_awaited_and_cancelled_through_a_token()
    {
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        SubmitIn(t, 512);
        var pending = t.WaitAsync();
        Assert.False(pending.IsCompleted);
        Assert.Equal(UsbError.Success, _h.BulkTransfer(EchoDevice.BulkOut, Pattern(7), 1000, out _));
        Assert.Equal(UsbTransferStatus.Completed, await pending);

        SubmitIn(t, 512);
        using var cts = new CancellationTokenSource();
        var cancelled = t.WaitAsync(cts.Token);
        cts.Cancel();
        Assert.Equal(UsbTransferStatus.Cancelled, await cancelled);
    }

    [Fact]
    public void Disposing_a_pending_transfer_cancels_it_and_closing_the_handle_cancels_the_rest()
    {
        var t = Allocate(_h, UsbTransferType.Interrupt, EchoDevice.InterruptIn, 64);
        SubmitIn(t, 64);
        t.Dispose();
        Assert.Equal(UsbTransferStatus.Cancelled, t.Status);
        Assert.Equal(UsbError.InvalidParam, t.Submit());

        var u = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 64);
        SubmitIn(u, 64);
        _h.Dispose();
        Assert.Equal(UsbTransferStatus.Cancelled, u.Wait());
        Assert.Equal(UsbError.InvalidParam, u.Submit());
    }

    [Fact]
    public void Releasing_an_interface_cancels_its_pending_transfers()
    {
        var t = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 64);
        SubmitIn(t, 64);
        Assert.Equal(UsbError.Success, _h.ReleaseInterface(EchoDevice.DataInterface));
        Assert.Equal(UsbTransferStatus.Cancelled, t.Wait());
    }

    [Fact]
    public void A_32_byte_bulk_round_trip_allocates_nothing_once_warm()
    {
        var output = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkOut, 32);
        var input = Allocate(_h, UsbTransferType.Bulk, EchoDevice.BulkIn, 512);
        Pattern(32).CopyTo(output.Buffer);
        var helper = new byte[32];

        void RoundTrip()
        {
            output.Submit();
            output.Wait();
            input.Submit();
            input.Wait();
            _h.BulkTransfer(EchoDevice.BulkOut, helper, 1000, out _);
            _h.BulkTransfer(EchoDevice.BulkIn, helper, 1000, out _);
        }

        for (int i = 0; i < 100; i++) RoundTrip();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++) RoundTrip();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(UsbTransferStatus.Completed, input.Status);
        Assert.Equal(32, input.ActualLength);
    }
}
