using IronWasm.Components.Bindings;
using IronWasm.Hardware.Usb;
using LibusbError = IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError;
using Transfers = IronWasm.Hardware.Bindings.WasiUsb.Transfers;

namespace IronWasm.Hardware.Hosts;

/// <summary>
/// A guest's <c>transfer</c>: one backend transfer of its device handle's pool, filled by
/// <c>submit-transfer</c> and finished by <c>await-transfer</c>, which takes the guest's handle and
/// gives the transfer back to the pool (as does dropping it). Direction comes from the endpoint
/// (bit 7) or, for control, from bmRequestType: OUT sends the submitted data (at most
/// <c>buf-size</c> bytes; a control transfer's wLength is its length), IN ignores it and reads up to
/// <c>buf-size</c> bytes. An isochronous transfer has <c>iso-packets</c> packets of
/// <c>buf-size / iso-packets</c> bytes; OUT data fills them in order, and IN returns what each
/// packet received, one after another.
/// </summary>
internal sealed class UsbTransferObject(UsbDeviceHandleObject owner, UsbTransfer backend) : Transfers.ITransfer, IDisposable
{
    private Transfers.TransferSetup _setup;
    // What the last IN await returned: reused when the next has the same length, so a steady round
    // trip allocates nothing (the binding copies it into guest memory before the next call).
    private byte[] _result = [];

    public UsbTransfer Backend => backend;

    private bool IsIn => backend.Type == UsbTransferType.Control ? (_setup.BmRequestType & 0x80) != 0 : (backend.Endpoint & 0x80) != 0;

    /// <summary>Makes a pooled transfer ready for <c>new-transfer</c>'s arguments.</summary>
    public void Prepare(Transfers.TransferSetup setup, Transfers.TransferOptions options)
    {
        _setup = setup;
        backend.TimeoutMilliseconds = options.TimeoutMs;
        backend.StreamId = options.StreamId;
    }

    public Result<Unit, LibusbError> SubmitTransfer(ReadOnlySpan<byte> data)
    {
        if (owner.Deny() is { } denied) return Result.Err(denied);
        if (backend.IsPending) return Result.Err(LibusbError.Busy);
        bool isIn = IsIn;
        if (!isIn && data.Length > backend.Capacity) return Result.Err(LibusbError.Overflow);
        try
        {
            int length = isIn ? backend.Capacity : data.Length;
            switch (backend.Type)
            {
                case UsbTransferType.Control:
                    backend.Setup = new UsbSetupPacket(_setup.BmRequestType, _setup.BRequest, _setup.WValue, _setup.WIndex, (ushort)length);
                    break;
                case UsbTransferType.Isochronous:
                    SetIsoLengths(length, isIn);
                    break;
                default:
                    backend.Length = length;
                    break;
            }
            if (!isIn) data.CopyTo(backend.Buffer);
            var error = backend.Submit();
            return error == UsbError.Success ? Result.Ok() : Result.Err(UsbWit.ToWit(error));
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or ObjectDisposedException)
        {
            return Result.Err(LibusbError.InvalidParam);
        }
    }

    public Result<Unit, LibusbError> CancelTransfer()
    {
        if (owner.IsClosed) return Result.Err(LibusbError.NotFound);
        var error = backend.Cancel();
        return error == UsbError.Success ? Result.Ok() : Result.Err(UsbWit.ToWit(error));
    }

    /// <summary><c>await-transfer</c>: waits (a host shutting down cancels it), then returns the
    /// transfer to its pool.</summary>
    public Result<byte[], LibusbError> Await()
    {
        try
        {
            if (backend.State == UsbTransferState.Idle) return Result.Err(LibusbError.NotFound);
            // At zero latency (and often on a fast device) it is done already: skip registering for cancellation.
            var status = backend.State == UsbTransferState.Completed ? backend.Status : backend.Wait(owner.Host.Timing.Stopping);
            if (status != UsbTransferStatus.Completed) return Result.Err(UsbWit.ToWit(status));
            if (!IsIn) return Result.Ok(Array.Empty<byte>());
            return Result.Ok(Received());
        }
        catch (ObjectDisposedException)
        {
            return Result.Err(LibusbError.NoDevice);
        }
        finally
        {
            owner.Return(this);
        }
    }

    /// <summary>The guest dropped the transfer without awaiting it: cancel it and take it back.</summary>
    public void Dispose()
    {
        if (backend.IsPending)
        {
            backend.Cancel();
            backend.Wait();
        }
        owner.Return(this);
    }

    private byte[] Received()
    {
        if (backend.Type != UsbTransferType.Isochronous)
        {
            var data = backend.ActualData;
            if (_result.Length != data.Length) _result = data.ToArray();
            else data.CopyTo(_result);
            return _result;
        }
        int total = backend.ActualLength;
        if (_result.Length != total) _result = new byte[total];
        int at = 0;
        for (int i = 0; i < backend.IsoPacketCount; i++)
        {
            var packet = backend.GetIsoPacketData(i);
            packet.CopyTo(_result.AsSpan(at));
            at += packet.Length;
        }
        return _result;
    }

    private void SetIsoLengths(int length, bool isIn)
    {
        int packets = backend.IsoPacketCount;
        int each = backend.Capacity / packets;
        for (int i = 0; i < packets; i++)
        {
            int packet = isIn ? each : Math.Clamp(length - i * each, 0, each);
            backend.SetIsoPacketLength(i, packet);
        }
        // OUT data beyond packets * each (a buf-size not divisible by iso-packets) goes in the last packet.
        if (!isIn && length > packets * each) backend.SetIsoPacketLength(packets - 1, each + length - packets * each);
    }
}
