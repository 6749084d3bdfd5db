using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;
using static IronWasm.Hardware.Tests.Usb.UsbTestKit;

namespace IronWasm.Hardware.Tests.Usb;

public class GamepadTests
{
    private static byte ClassIn => ControlIn(UsbRequestKind.Class, UsbRequestRecipient.Interface);
    private static byte ClassOut => ControlOut(UsbRequestKind.Class, UsbRequestRecipient.Interface);

    [Fact]
    public void Usbhid_holds_the_interface_until_detached()
    {
        using var usb = ZeroLatency();
        using var h = Open(usb.Plug(new GamepadDevice()));
        Assert.Equal(UsbError.Busy, h.ClaimInterface(0));
        Assert.Equal(UsbError.Success, h.DetachKernelDriver(0));
        Assert.Equal(UsbError.Success, h.ClaimInterface(0));
    }

    [Fact]
    public void The_report_descriptor_is_read_with_an_interface_get_descriptor()
    {
        using var usb = ZeroLatency();
        using var h = OpenAndClaim(usb.Plug(new GamepadDevice()), 0);
        var buffer = new byte[256];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Interface), 0x06, 0x2200, 0, buffer, 100, out int n));
        Assert.Equal(GamepadDevice.ReportDescriptor.ToArray(), buffer[..n]);
        Assert.Equal(new byte[] { 0x05, 0x01, 0x09, 0x05, 0xA1, 0x01 }, buffer[..6]);   // Generic Desktop, Game Pad, Application
        Assert.Equal(0xC0, buffer[n - 1]);
        Assert.Equal(UsbError.Success, h.ControlTransfer(ControlIn(UsbRequestKind.Standard, UsbRequestRecipient.Interface), 0x06, 0x2100, 0, buffer, 100, out n));
        Assert.Equal(9, n);
    }

    [Fact]
    public void The_first_read_gives_the_initial_state_and_the_next_waits_for_a_change()
    {
        using var usb = ZeroLatency();
        var pad = new GamepadDevice();
        using var h = OpenAndClaim(usb.Plug(pad), 0);
        var report = new byte[8];
        Assert.Equal(UsbError.Success, h.InterruptTransfer(GamepadDevice.InterruptIn, report, 100, out int n));
        Assert.Equal(new byte[6], report[..n]);

        var next = Allocate(h, UsbTransferType.Interrupt, GamepadDevice.InterruptIn, 8);
        SubmitIn(next, 8);
        Assert.True(next.IsPending);
        pad.Press(GamepadButton.B);
        Assert.Equal(UsbTransferStatus.Completed, next.Wait());
        Assert.Equal(new byte[] { 0x02, 0, 0, 0, 0, 0 }, next.ActualData.ToArray());

        // Changes between two reads arrive together in the next report.
        pad.Press(GamepadButton.Guide);
        pad.SetAxis(GamepadAxis.RightX, -127);
        pad.Release(GamepadButton.B);
        Assert.Equal(UsbError.Success, h.InterruptTransfer(GamepadDevice.InterruptIn, report, 100, out n));
        Assert.Equal(new byte[] { 0x00, 0x40, 0, 0, 0x81, 0 }, report[..n]);
        Assert.Equal((ushort)0x4000, pad.Buttons);
        Assert.Equal(-127, pad.GetAxis(GamepadAxis.RightX));
    }

    [Fact]
    public void Get_report_reads_the_input_state_and_set_report_lights_the_leds()
    {
        using var usb = ZeroLatency();
        var pad = new GamepadDevice();
        using var h = OpenAndClaim(usb.Plug(pad), 0);
        pad.SetAxis(GamepadAxis.LeftY, 100);
        var report = new byte[6];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ClassIn, GamepadDevice.GetReport, 0x0100, 0, report, 100, out _));
        Assert.Equal(pad.CurrentReport(), report);

        Assert.Equal(UsbError.Success, h.ControlTransfer(ClassOut, GamepadDevice.SetReport, 0x0200, 0, new byte[] { 0x05 }, 100, out _));
        Assert.Equal(5, pad.Leds);
        var leds = new byte[1];
        Assert.Equal(UsbError.Success, h.ControlTransfer(ClassIn, GamepadDevice.GetReport, 0x0200, 0, leds, 100, out _));
        Assert.Equal(5, leds[0]);
        Assert.Equal(UsbError.Pipe, h.ControlTransfer(ClassIn, GamepadDevice.GetReport, 0x0300, 0, leds, 100, out _));
        Assert.Equal(UsbError.Pipe, h.ControlTransfer(ClassIn, GamepadDevice.GetProtocol, 0, 0, leds, 100, out _));
    }

    [Fact]
    public void Set_idle_makes_an_unchanged_report_repeat_every_idle_period()
    {
        using var usb = Timed(out var clock);
        var pad = new GamepadDevice();
        using var h = OpenAndClaim(usb.Plug(pad), 0);
        var setIdle = Allocate(h, UsbTransferType.Control, 0, 0);
        setIdle.Setup = new UsbSetupPacket(ClassOut, GamepadDevice.SetIdle, 4 << 8, 0, 0);   // 4 x 4 ms
        Assert.Equal(UsbError.Success, setIdle.Submit());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(UsbTransferStatus.Completed, setIdle.Status);
        Assert.Equal(TimeSpan.FromMilliseconds(16), pad.IdleRate);

        var read = Allocate(h, UsbTransferType.Interrupt, GamepadDevice.InterruptIn, 8);
        SubmitIn(read, 8);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.Equal(UsbTransferStatus.Completed, read.Status);   // the initial report, at the 2 ms poll
        long first = CompletedAtNs(read);
        SubmitIn(read, 8);
        clock.Advance(TimeSpan.FromMilliseconds(14));
        Assert.True(read.IsPending);
        clock.Advance(TimeSpan.FromMilliseconds(4));
        Assert.Equal(UsbTransferStatus.Completed, read.Status);
        Assert.Equal(16_000_000, CompletedAtNs(read) - first);

        SubmitIn(read, 8);
        read.Cancel();
        var getIdle = Allocate(h, UsbTransferType.Control, 0, 1);
        getIdle.Setup = new UsbSetupPacket(ClassIn, GamepadDevice.GetIdle, 0, 0, 1);
        Assert.Equal(UsbError.Success, getIdle.Submit());
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(4, getIdle.ActualData[0]);
    }

    [Fact]
    public void A_script_plays_on_the_bus_clock_and_each_change_is_reported_at_the_next_poll()
    {
        using var usb = Timed(out var clock);
        var pad = new GamepadDevice();
        using var h = OpenAndClaim(usb.Plug(pad), 0);
        var read = Allocate(h, UsbTransferType.Interrupt, GamepadDevice.InterruptIn, 8);
        SubmitIn(read, 8);
        clock.Advance(TimeSpan.FromMilliseconds(2));
        Assert.False(read.IsPending);   // initial state

        pad.Play(GamepadInput.ParseScript("10ms press a; 10.5ms axis left-x 127\n30ms release a"));
        SubmitIn(read, 8);
        clock.Advance(TimeSpan.FromMilliseconds(10.2));
        Assert.Equal(1, pad.Buttons);
        Assert.Equal(0, pad.GetAxis(GamepadAxis.LeftX));
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(UsbTransferStatus.Completed, read.Status);
        // Pressed at 12 ms on the bus (2 + 10), reported at the 13 ms poll.
        Assert.Equal(13_000_000, CompletedAtNs(read) - 45_000 - 100);
        // The axis moved at 12.5 ms, before that poll: the report has both.
        Assert.Equal(new byte[] { 1, 0, 127, 0, 0, 0 }, read.ActualData.ToArray());
        Assert.Equal(127, pad.GetAxis(GamepadAxis.LeftX));
        clock.Advance(TimeSpan.FromMilliseconds(30));
        Assert.Equal(0, pad.Buttons);
    }

    [Theory]
    [InlineData("10 press a", "not a time")]
    [InlineData("10ms push a", "expected")]
    [InlineData("10ms press z", "no button 'z'")]
    [InlineData("10ms axis left-z 5", "no axis 'left-z'")]
    [InlineData("10ms axis left-x -128", "-127 to 127")]
    public void A_bad_script_step_is_refused_with_the_reason(string script, string reason)
    {
        var e = Assert.Throws<FormatException>(() => GamepadInput.ParseScript(script));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Script_names_cover_every_button_and_axis()
    {
        var steps = GamepadInput.ParseScript("0ms press left-shoulder; 1ms press right-stick; 2us axis right-y -5; 1.5s release up");
        Assert.Equal(GamepadButton.LeftShoulder, steps[0].Button);
        Assert.Equal(GamepadButton.RightStick, steps[1].Button);
        Assert.Equal((GamepadAxis.RightY, (sbyte)-5, TimeSpan.FromMicroseconds(2)), (steps[2].Axis, steps[2].Value, steps[2].At));
        Assert.Equal((GamepadInputKind.Release, GamepadButton.Up, TimeSpan.FromSeconds(1.5)), (steps[3].Kind, steps[3].Button, steps[3].At));
    }

    [Fact]
    public void A_script_needs_a_plugged_gamepad()
    {
        Assert.Throws<InvalidOperationException>(() => new GamepadDevice().Play([GamepadInput.Press(GamepadButton.A, TimeSpan.Zero)]));
    }
}
