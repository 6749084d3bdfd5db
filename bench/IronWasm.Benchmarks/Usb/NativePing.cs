using System.Diagnostics;
using System.Runtime.CompilerServices;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Benchmarks.Usb;

/// <summary>The ping benchmark written in C# against <see cref="UsbDeviceHandle"/>: the baseline
/// for guests/usb/ping.wasm. One round trip is a transfer of the payload OUT to the echo device and
/// a transfer IN of the same length back, checked byte for byte, as the paper's ping does; the
/// synchronous helpers for control, bulk and interrupt (what a libusb program calls), a pair of
/// kept one-packet transfers for isochronous (which has no synchronous form).</summary>
internal sealed class NativePing : IDisposable
{
    private const uint TimeoutMs = 1000;
    private const int IsoInRetries = 16;
    private readonly UsbDeviceHandle _handle;
    private readonly UsbTransfer _isoOut;
    private readonly UsbTransfer _isoIn;
    private readonly byte[] _out = new byte[UsbPingSizes.Largest];
    private readonly byte[] _in = new byte[UsbPingSizes.Largest];

    private NativePing(UsbDeviceHandle handle, UsbTransfer isoOut, UsbTransfer isoIn)
    {
        _handle = handle;
        _isoOut = isoOut;
        _isoIn = isoIn;
    }

    /// <summary>Opens the echo device, claims both interfaces and selects the isochronous alternate setting.</summary>
    public static NativePing Open(IUsbDevice echo)
    {
        Check(echo.Open(out var handle), "open the echo device");
        try
        {
            Check(handle!.ClaimInterface(EchoDevice.DataInterface), "claim interface 0");
            Check(handle.ClaimInterface(EchoDevice.IsochronousInterface), "claim interface 1");
            Check(handle.SetInterfaceAltSetting(EchoDevice.IsochronousInterface, 1), "select alternate setting 1 of interface 1");
            Check(handle.AllocateTransfer(UsbTransferType.Isochronous, EchoDevice.IsochronousOut, UsbPingSizes.Largest, 1, out var isoOut), "allocate the isochronous OUT transfer");
            Check(handle.AllocateTransfer(UsbTransferType.Isochronous, EchoDevice.IsochronousIn, UsbPingSizes.Largest, 1, out var isoIn), "allocate the isochronous IN transfer");
            isoOut!.TimeoutMilliseconds = TimeoutMs;
            isoIn!.TimeoutMilliseconds = TimeoutMs;
            return new NativePing(handle, isoOut, isoIn);
        }
        catch
        {
            handle?.Dispose();
            throw;
        }
    }

    // AggressiveOptimization: the guest's functions are compiled fully optimised at once (the engine's
    // DynamicMethods are never tiered), so the C# loop skips tier 0 too.
    /// <summary>Times <paramref name="count"/> round trips; fills <paramref name="nanoseconds"/> (at least <paramref name="count"/> long).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Run(UsbPingType type, int size, int count, long[] nanoseconds)
    {
        for (int i = 0; i < size; i++) _out[i] = (byte)(i * 7 + 1);
        for (int n = 0; n < count; n++)
        {
            _out[0] = (byte)n;
            long start = Stopwatch.GetTimestamp();
            RoundTrip(type, size);
            long end = Stopwatch.GetTimestamp();
            nanoseconds[n] = (long)((end - start) * (1e9 / Stopwatch.Frequency));
            if (!_in.AsSpan(0, size).SequenceEqual(_out.AsSpan(0, size)))
                throw new InvalidOperationException($"{type} ping of {size} bytes came back different");
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void RoundTrip(UsbPingType type, int size)
    {
        Span<byte> payload = _out.AsSpan(0, size), echo = _in.AsSpan(0, size);
        int moved;
        switch (type)
        {
            case UsbPingType.Control:
                Check(_handle.ControlTransfer(0x40, EchoDevice.EchoRequest, 0, 0, payload, TimeoutMs, out moved), "control OUT");
                Check(_handle.ControlTransfer(0xC0, EchoDevice.EchoRequest, 0, 0, echo, TimeoutMs, out moved), "control IN");
                break;
            case UsbPingType.Bulk:
                Check(_handle.BulkTransfer(EchoDevice.BulkOut, payload, TimeoutMs, out moved), "bulk OUT");
                Check(_handle.BulkTransfer(EchoDevice.BulkIn, echo, TimeoutMs, out moved), "bulk IN");
                break;
            case UsbPingType.Interrupt:
                Check(_handle.InterruptTransfer(EchoDevice.InterruptOut, payload, TimeoutMs, out moved), "interrupt OUT");
                Check(_handle.InterruptTransfer(EchoDevice.InterruptIn, echo, TimeoutMs, out moved), "interrupt IN");
                break;
            case UsbPingType.Isochronous:
                _isoOut.SetIsoPacketLengths(size);
                payload.CopyTo(_isoOut.Buffer);
                Check(_isoOut.Submit(), "isochronous OUT");
                Check(_isoOut.Wait().ToError(), "isochronous OUT");
                _isoIn.SetIsoPacketLengths(size);
                // An IN polled before the data arrived brings an empty packet, not a retry: ask again (as ping.c does).
                moved = 0;
                for (int attempt = 0; attempt < IsoInRetries && moved == 0; attempt++)
                {
                    Check(_isoIn.Submit(), "isochronous IN");
                    Check(_isoIn.Wait().ToError(), "isochronous IN");
                    if (_isoIn.IsoPackets[0].Status != UsbTransferStatus.Completed) throw new InvalidOperationException($"isochronous IN packet: {_isoIn.IsoPackets[0].Status}");
                    moved = _isoIn.IsoPackets[0].ActualLength;
                }
                _isoIn.GetIsoPacketData(0).CopyTo(echo);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
        if (moved != size) throw new InvalidOperationException($"{type} ping of {size} bytes came back with {moved}");
    }

    internal static void Check(UsbError error, string what)
    {
        if (error != UsbError.Success) throw new InvalidOperationException($"{what}: {error.Describe()}");
    }

    public void Dispose()
    {
        _isoOut.Dispose();
        _isoIn.Dispose();
        _handle.Dispose();
    }
}

internal enum UsbPingType { Control, Bulk, Interrupt, Isochronous }

internal static class UsbPingSizes
{
    public const int Largest = 32;
    public static readonly int[] All = [4, 16, 32];
    public static readonly UsbPingType[] Types = [UsbPingType.Control, UsbPingType.Bulk, UsbPingType.Interrupt, UsbPingType.Isochronous];

    /// <summary>The name ping.c uses on its command line and in its result lines.</summary>
    public static string Name(UsbPingType type) => type switch
    {
        UsbPingType.Control => "control",
        UsbPingType.Bulk => "bulk",
        UsbPingType.Interrupt => "interrupt",
        _ => "iso",
    };
}
