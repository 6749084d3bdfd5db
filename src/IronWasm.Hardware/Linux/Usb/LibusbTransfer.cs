using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Linux.Usb;

/// <summary>A libusb_transfer allocated once, with its iso packet descriptors, for the life of
/// this object. Each submission fills it with the pinned buffer's address and the current
/// settings; libusb calls <see cref="OnComplete"/> on the backend's event thread, which finds this
/// object through a GCHandle in user_data. Submitting and completing allocate nothing.</summary>
internal sealed unsafe class LibusbTransfer : UsbTransfer
{
    private readonly LibusbDeviceHandle _handle;
    private readonly LibusbLibrary _lib;
    private LibusbTransferStruct* _native;
    private GCHandle _self;

    private LibusbTransfer(LibusbDeviceHandle handle, LibusbLibrary lib, LibusbTransferStruct* native, UsbTransferType type, byte endpoint, int capacity, int isoPacketCount)
        : base(type, endpoint, capacity, isoPacketCount)
    {
        _handle = handle;
        _lib = lib;
        _native = native;
        _self = GCHandle.Alloc(this);
        native->callback = (nint)(delegate* unmanaged[Cdecl]<LibusbTransferStruct*, void>)&OnComplete;
        native->user_data = GCHandle.ToIntPtr(_self);
        // The buffer is allocated pinned: its address never changes.
        native->buffer = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(RawBuffer));
        native->num_iso_packets = isoPacketCount;
    }

    /// <summary>Null when libusb cannot allocate the transfer.</summary>
    public static LibusbTransfer? Create(LibusbDeviceHandle handle, UsbTransferType type, byte endpoint, int capacity, int isoPacketCount)
    {
        var lib = handle.Library;
        var native = lib.alloc_transfer(isoPacketCount);
        if (native == null) return null;
        return new LibusbTransfer(handle, lib, native, type, endpoint, capacity, isoPacketCount);
    }

    protected override UsbError SubmitCore() => _handle.Submit(this);

    protected override UsbError CancelCore()
    {
        var native = _native;
        if (native == null) return UsbError.NotFound;
        return LibusbLibrary.ToError(_lib.cancel_transfer(native));
    }

    /// <summary>Ends a submission the handle refuses to send (it never reaches libusb).</summary>
    internal void Finish(UsbTransferStatus status) => Complete(status, 0);

    /// <summary>Under the handle's gate: fills the libusb_transfer and submits it.</summary>
    internal UsbError SubmitNative(nint deviceHandle)
    {
        var t = _native;
        if (t == null) return UsbError.InvalidParam;
        t->dev_handle = deviceHandle;
        t->flags = 0;
        t->endpoint = Endpoint;
        t->timeout = TimeoutMilliseconds;
        t->status = 0;
        t->actual_length = 0;
        switch (Type)
        {
            case UsbTransferType.Control:
                t->type = (byte)UsbTransferType.Control;
                t->length = DataOffset + Setup.Length;
                break;
            case UsbTransferType.Isochronous:
                t->type = (byte)UsbTransferType.Isochronous;
                var packets = LibusbTransferStruct.IsoPackets(t);
                var lengths = IsoPackets;
                int total = 0;
                for (int i = 0; i < lengths.Length; i++)
                {
                    packets[i].length = (uint)lengths[i].Length;
                    packets[i].actual_length = 0;
                    packets[i].status = 0;
                    total += lengths[i].Length;
                }
                t->num_iso_packets = lengths.Length;
                t->length = total;
                break;
            default:
                t->type = Type == UsbTransferType.Bulk && StreamId != 0 ? LibusbLibrary.LIBUSB_TRANSFER_TYPE_BULK_STREAM : (byte)Type;
                t->length = Length;
                break;
        }
        if (t->type == LibusbLibrary.LIBUSB_TRANSFER_TYPE_BULK_STREAM) _lib.transfer_set_stream_id(t, StreamId);
        return LibusbLibrary.ToError(_lib.submit_transfer(t));
    }

    protected override void Dispose(bool disposing)
    {
        _handle.Forget(this);
        var native = _native;
        _native = null;
        if (native != null) _lib.free_transfer(native);
        if (_self.IsAllocated) _self.Free();
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnComplete(LibusbTransferStruct* native)
    {
        try
        {
            if (GCHandle.FromIntPtr(native->user_data).Target is LibusbTransfer transfer) transfer.Completed(native);
        }
        catch (Exception e)
        {
            // An exception must not unwind into libusb.
            System.Diagnostics.Trace.TraceError($"libusb transfer completion failed: {e}");
        }
    }

    private void Completed(LibusbTransferStruct* native)
    {
        int actual = native->actual_length;
        if (Type == UsbTransferType.Isochronous)
        {
            var packets = LibusbTransferStruct.IsoPackets(native);
            var results = IsoPacketResults;
            actual = 0;
            for (int i = 0; i < results.Length; i++)
            {
                results[i].ActualLength = (int)packets[i].actual_length;
                results[i].Status = (UsbTransferStatus)packets[i].status;
                actual += (int)packets[i].actual_length;
            }
        }
        Complete((UsbTransferStatus)native->status, actual);
    }
}
