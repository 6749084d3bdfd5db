namespace IronWasm.Hardware.Usb;

/// <summary>The result of a USB operation: <see cref="Success"/> or one of libusb's error codes,
/// with libusb's numeric values (a libusb backend casts its return value), and one case each of
/// the <c>libusb-error</c> enum of component:usb (see <see cref="UsbErrors.ToWitCase"/>).</summary>
public enum UsbError
{
    Success = 0,
    /// <summary>Input/output error (LIBUSB_ERROR_IO).</summary>
    Io = -1,
    /// <summary>Invalid parameter: an argument out of range, a closed handle, a transfer that does not fit its endpoint.</summary>
    InvalidParam = -2,
    /// <summary>Access denied: the device is open elsewhere, or the policy does not grant it.</summary>
    Access = -3,
    /// <summary>The device has been disconnected.</summary>
    NoDevice = -4,
    /// <summary>No such configuration, interface, alternate setting or endpoint; or not claimed.</summary>
    NotFound = -5,
    /// <summary>Busy: a claimed interface or a bound kernel driver is in the way; a transfer already submitted.</summary>
    Busy = -6,
    Timeout = -7,
    /// <summary>The device sent more data than the buffer holds.</summary>
    Overflow = -8,
    /// <summary>The endpoint stalled (LIBUSB_ERROR_PIPE).</summary>
    Pipe = -9,
    /// <summary>Interrupted; here also: the transfer was cancelled.</summary>
    Interrupted = -10,
    NoMem = -11,
    NotSupported = -12,
    Other = -99,
}

public static class UsbErrors
{
    /// <summary>The case index of <paramref name="error"/> in component:usb's <c>libusb-error</c>
    /// enum (io = 0 ... other = 12). <see cref="UsbError.Success"/> is no error and has none.</summary>
    public static int ToWitCase(this UsbError error) => error switch
    {
        UsbError.Success => throw new ArgumentOutOfRangeException(nameof(error), "success is not an error"),
        UsbError.Other => 12,
        >= UsbError.NotSupported and <= UsbError.Io => -(int)error - 1,
        _ => 12,
    };

    /// <summary>The error a synchronous transfer returns for a completed transfer's status
    /// (libusb's sync.c mapping, except that a cancelled transfer reads as
    /// <see cref="UsbError.Interrupted"/> rather than <see cref="UsbError.Io"/>).</summary>
    public static UsbError ToError(this UsbTransferStatus status) => status switch
    {
        UsbTransferStatus.Completed => UsbError.Success,
        UsbTransferStatus.TimedOut => UsbError.Timeout,
        UsbTransferStatus.Stall => UsbError.Pipe,
        UsbTransferStatus.Overflow => UsbError.Overflow,
        UsbTransferStatus.NoDevice => UsbError.NoDevice,
        UsbTransferStatus.Cancelled => UsbError.Interrupted,
        _ => UsbError.Io,
    };

    /// <summary>A short English description, as libusb_strerror gives.</summary>
    public static string Describe(this UsbError error) => error switch
    {
        UsbError.Success => "success",
        UsbError.Io => "input/output error",
        UsbError.InvalidParam => "invalid parameter",
        UsbError.Access => "access denied",
        UsbError.NoDevice => "no such device (it may have been disconnected)",
        UsbError.NotFound => "entity not found",
        UsbError.Busy => "resource busy",
        UsbError.Timeout => "operation timed out",
        UsbError.Overflow => "overflow",
        UsbError.Pipe => "pipe error (endpoint stalled)",
        UsbError.Interrupted => "interrupted",
        UsbError.NoMem => "insufficient memory",
        UsbError.NotSupported => "operation not supported",
        _ => "other error",
    };
}
