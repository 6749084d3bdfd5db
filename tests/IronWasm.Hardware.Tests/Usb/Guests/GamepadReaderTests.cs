using IronWasm.Hardware.Tests.Simulation;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Usb.Guests;

/// <summary>guests/usb/gamepad.wasm reading the simulated gamepad's input reports.</summary>
public sealed class GamepadReaderTests
{
    [Fact]
    public async Task PrintsTheInitialStateThenEveryButtonAndAxisChange()
    {
        using var rig = new UsbGuestRig();
        rig.Pad.Press(GamepadButton.Start);
        var (running, output) = rig.Start("gamepad", "app", "--count", "6");

        // Each input is made only after the guest printed the one before, so no report is coalesced.
        int at = output.WaitFor("state: buttons start; left-x 0 left-y 0 right-x 0 right-y 0\n");
        rig.Pad.Press(GamepadButton.A);
        at = output.WaitFor("button a pressed\n", at);
        rig.Pad.Release(GamepadButton.A);
        at = output.WaitFor("button a released\n", at);
        rig.Pad.SetAxis(GamepadAxis.LeftX, -127);
        at = output.WaitFor("axis left-x -127\n", at);
        rig.Pad.Release(GamepadButton.Start);
        at = output.WaitFor("button start released\n", at);
        rig.Pad.SetAxis(GamepadAxis.RightY, 100);
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(
        [
            "gamepad 1209:0003: interface 0, endpoint 0x81",
            "state: buttons start; left-x 0 left-y 0 right-x 0 right-y 0",
            "button a pressed",
            "button a released",
            "axis left-x -127",
            "button start released",
            "axis right-y 100",
            "6 reports",
        ], run.Lines);
    }

    [Fact]
    public async Task AScriptPlayedOnTheBusClockIsSeenStepByStep()
    {
        var clock = new ManualTimeProvider();
        using var rig = new UsbGuestRig(time: clock);
        rig.Pad.Play(GamepadInput.ParseScript("10ms press a; 20ms release a; 30ms axis left-y -100; 40ms press guide"));
        var (running, output) = rig.Start("gamepad", "app", "--count", "5");

        // The bus clock moves only when the test moves it: one step per 10 ms, each seen before the next.
        int at = output.WaitFor("state: buttons none; left-x 0 left-y 0 right-x 0 right-y 0\n");
        foreach (var expected in new[] { "button a pressed\n", "button a released\n", "axis left-y -100\n", "button guide pressed\n" })
        {
            clock.Advance(TimeSpan.FromMilliseconds(10));
            at = output.WaitFor(expected, at);
        }
        var run = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.EndsWith("button guide pressed\n5 reports\n", run.Output);
    }

    [Fact]
    public void ADurationEndsTheRunWhenNothingHappens()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("gamepad", "app", "--duration", "50ms");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(["gamepad 1209:0003: interface 0, endpoint 0x81", "state: buttons none; left-x 0 left-y 0 right-x 0 right-y 0", "1 reports"], run.Lines);
    }

    [Fact]
    public void TheKernelDriverIsAttachedAgainAfterTheRun()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("gamepad", "app", "--count", "1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(UsbError.Success, rig.PadUsb.Open(out var handle));
        using (handle)
        {
            Assert.Equal(UsbError.Success, handle!.KernelDriverActive(GamepadDevice.Interface, out bool active));
            Assert.True(active);
        }
    }

    [Fact]
    public void AGuestNotGrantedTheGamepadIsToldItIsNotVisible()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("gamepad", "disk-only", "--count", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("gamepad: no gamepad visible (1209:0003 with a HID interrupt IN endpoint): it is not connected, or the policy does not grant it to this guest\n", run.Error);
    }

    [Fact]
    public void AnyFindsTheFirstVisibleHidDevice()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("gamepad", "app", "--device", "any", "--count", "1");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith("gamepad 1209:0003: interface 0, endpoint 0x81\n", run.Output);
    }
}
