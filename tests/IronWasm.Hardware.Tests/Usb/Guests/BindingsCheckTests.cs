namespace IronWasm.Hardware.Tests.Usb.Guests;

/// <summary>guests/usb/usbcheck.wasm calls every function of the C bindings (guests/include/wasi/usb.h)
/// against the host: a wrong core signature would not link, a wrong layout would read garbage.</summary>
public sealed class BindingsCheckTests
{
    [Fact]
    public void EveryBindingLinksAndAnswersAsTheHostDocuments()
    {
        using var rig = new UsbGuestRig();

        var run = rig.Run("usbcheck");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.DoesNotContain("FAILED", run.Output);
        Assert.True(run.Output.Contains("45 checks, 0 failed\n"), run.Output);
    }
}
