using IronWasm.Hardware.Tests.Simulation;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;

namespace IronWasm.Hardware.Tests.Usb;

internal static class UsbTestKit
{
    /// <summary>A bus where transfers complete as soon as the device answers, inline.</summary>
    public static SimulatedUsbBackend ZeroLatency() => new(UsbBusTiming.ZeroLatency, new ManualTimeProvider());

    /// <summary>A timed bus on a manual clock: transfers complete as the test advances it.</summary>
    public static SimulatedUsbBackend Timed(out ManualTimeProvider clock, UsbBusTiming? timing = null)
    {
        clock = new ManualTimeProvider();
        return new SimulatedUsbBackend(timing ?? UsbBusTiming.HighSpeed, clock);
    }

    public static UsbDeviceHandle Open(IUsbDevice device)
    {
        Assert.Equal(UsbError.Success, device.Open(out var handle));
        return handle!;
    }

    /// <summary>Opens, detaches any kernel driver and claims the interfaces.</summary>
    public static UsbDeviceHandle OpenAndClaim(IUsbDevice device, params byte[] interfaces)
    {
        var handle = Open(device);
        foreach (byte i in interfaces)
        {
            Assert.Equal(UsbError.Success, handle.KernelDriverActive(i, out bool active));
            if (active) Assert.Equal(UsbError.Success, handle.DetachKernelDriver(i));
            Assert.Equal(UsbError.Success, handle.ClaimInterface(i));
        }
        return handle;
    }

    public static UsbTransfer Allocate(UsbDeviceHandle handle, UsbTransferType type, byte endpoint, int capacity, int isoPackets = 0)
    {
        Assert.Equal(UsbError.Success, handle.AllocateTransfer(type, endpoint, capacity, isoPackets, out var transfer));
        return transfer!;
    }

    /// <summary>Fills <paramref name="t"/> with <paramref name="data"/> and submits it.</summary>
    public static void Submit(UsbTransfer t, ReadOnlySpan<byte> data)
    {
        data.CopyTo(t.Buffer);
        t.Length = data.Length;
        Assert.Equal(UsbError.Success, t.Submit());
    }

    public static void SubmitIn(UsbTransfer t, int length)
    {
        t.Length = length;
        Assert.Equal(UsbError.Success, t.Submit());
    }

    /// <summary>Bus time at which a simulated transfer completed, in nanoseconds.</summary>
    public static long CompletedAtNs(UsbTransfer t) => ((SimulatedUsbTransfer)t).CompletedAt;

    public static byte[] Pattern(int length, int seed = 1)
    {
        var data = new byte[length];
        for (int i = 0; i < length; i++) data[i] = (byte)(i * 7 + seed);
        return data;
    }

    public static TimeSpan Us(double microseconds) => TimeSpan.FromTicks((long)Math.Round(microseconds * 10));

    public static byte ControlIn(UsbRequestKind kind, UsbRequestRecipient recipient) =>
        UsbSetupPacket.MakeRequestType(true, kind, recipient);

    public static byte ControlOut(UsbRequestKind kind, UsbRequestRecipient recipient) =>
        UsbSetupPacket.MakeRequestType(false, kind, recipient);
}
