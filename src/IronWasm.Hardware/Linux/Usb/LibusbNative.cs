using System.Runtime.InteropServices;

namespace IronWasm.Hardware.Linux.Usb;

/// <summary>libusb-1.0 could not be loaded or initialised; the message says what to install or check.</summary>
public sealed class LibusbUnavailableException : Exception
{
    public LibusbUnavailableException(string message, Exception? inner = null) : base(message, inner)
    {
    }
}

// The structures of libusb.h (1.0.26) as laid out on the 64-bit ABIs .NET runs on; the offsets
// are checked by LibusbLayoutTests. Only what we read or write is declared.

[StructLayout(LayoutKind.Sequential)]
internal struct LibusbDeviceDescriptor
{
    public byte bLength;
    public byte bDescriptorType;
    public ushort bcdUSB;
    public byte bDeviceClass;
    public byte bDeviceSubClass;
    public byte bDeviceProtocol;
    public byte bMaxPacketSize0;
    public ushort idVendor;
    public ushort idProduct;
    public ushort bcdDevice;
    public byte iManufacturer;
    public byte iProduct;
    public byte iSerialNumber;
    public byte bNumConfigurations;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LibusbEndpointDescriptor
{
    public byte bLength;
    public byte bDescriptorType;
    public byte bEndpointAddress;
    public byte bmAttributes;
    public ushort wMaxPacketSize;
    public byte bInterval;
    public byte bRefresh;
    public byte bSynchAddress;
    public byte* extra;
    public int extra_length;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LibusbInterfaceDescriptor
{
    public byte bLength;
    public byte bDescriptorType;
    public byte bInterfaceNumber;
    public byte bAlternateSetting;
    public byte bNumEndpoints;
    public byte bInterfaceClass;
    public byte bInterfaceSubClass;
    public byte bInterfaceProtocol;
    public byte iInterface;
    public LibusbEndpointDescriptor* endpoint;
    public byte* extra;
    public int extra_length;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LibusbInterface
{
    public LibusbInterfaceDescriptor* altsetting;
    public int num_altsetting;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LibusbConfigDescriptor
{
    public byte bLength;
    public byte bDescriptorType;
    public ushort wTotalLength;
    public byte bNumInterfaces;
    public byte bConfigurationValue;
    public byte iConfiguration;
    public byte bmAttributes;
    public byte MaxPower;
    public LibusbInterface* @interface;
    public byte* extra;
    public int extra_length;
}

[StructLayout(LayoutKind.Sequential)]
internal struct LibusbIsoPacketDescriptor
{
    public uint length;
    public uint actual_length;
    public int status;
}

/// <summary>struct libusb_transfer; the iso packet descriptors follow it at <see cref="IsoOffset"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LibusbTransferStruct
{
    public nint dev_handle;
    public byte flags;
    public byte endpoint;
    public byte type;
    public uint timeout;
    public int status;
    public int length;
    public int actual_length;
    public nint callback;
    public nint user_data;
    public byte* buffer;
    public int num_iso_packets;

    /// <summary>offsetof(struct libusb_transfer, iso_packet_desc): the flexible array after num_iso_packets.</summary>
    public const int IsoOffset = 60;

    public static LibusbIsoPacketDescriptor* IsoPackets(LibusbTransferStruct* transfer) => (LibusbIsoPacketDescriptor*)((byte*)transfer + IsoOffset);
}

[StructLayout(LayoutKind.Sequential)]
internal struct LibusbTimeval
{
    public long tv_sec;
    public long tv_usec;
}

/// <summary>The libusb-1.0 functions, resolved once per library file into unmanaged function
/// pointers: calling them marshals nothing and allocates nothing, and a missing library is an
/// exception we word ourselves rather than a DllNotFoundException at the first call.</summary>
internal sealed unsafe class LibusbLibrary
{
    public const string DefaultName = "libusb-1.0.so.0";

    public const int LIBUSB_CAP_HAS_HOTPLUG = 0x0001;
    public const int LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED = 1;
    public const int LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT = 2;
    public const int LIBUSB_HOTPLUG_MATCH_ANY = -1;
    public const byte LIBUSB_TRANSFER_TYPE_BULK_STREAM = 4;

    private static readonly Lock LoadLock = new();
    private static readonly Dictionary<string, LibusbLibrary> Loaded = new(StringComparer.Ordinal);

    public delegate* unmanaged[Cdecl]<nint*, int> init;
    public delegate* unmanaged[Cdecl]<nint, void> exit;
    public delegate* unmanaged[Cdecl]<uint, int> has_capability;
    public delegate* unmanaged[Cdecl]<nint, nint**, nint> get_device_list;
    public delegate* unmanaged[Cdecl]<nint*, int, void> free_device_list;
    public delegate* unmanaged[Cdecl]<nint, nint> ref_device;
    public delegate* unmanaged[Cdecl]<nint, void> unref_device;
    public delegate* unmanaged[Cdecl]<nint, byte> get_bus_number;
    public delegate* unmanaged[Cdecl]<nint, byte> get_device_address;
    public delegate* unmanaged[Cdecl]<nint, byte> get_port_number;
    public delegate* unmanaged[Cdecl]<nint, byte*, int, int> get_port_numbers;
    public delegate* unmanaged[Cdecl]<nint, int> get_device_speed;
    public delegate* unmanaged[Cdecl]<nint, LibusbDeviceDescriptor*, int> get_device_descriptor;
    public delegate* unmanaged[Cdecl]<nint, byte, LibusbConfigDescriptor**, int> get_config_descriptor;
    public delegate* unmanaged[Cdecl]<nint, LibusbConfigDescriptor**, int> get_active_config_descriptor;
    public delegate* unmanaged[Cdecl]<LibusbConfigDescriptor*, void> free_config_descriptor;
    public delegate* unmanaged[Cdecl]<nint, nint*, int> open;
    public delegate* unmanaged[Cdecl]<nint, void> close;
    public delegate* unmanaged[Cdecl]<nint, int*, int> get_configuration;
    public delegate* unmanaged[Cdecl]<nint, int, int> set_configuration;
    public delegate* unmanaged[Cdecl]<nint, int, int> claim_interface;
    public delegate* unmanaged[Cdecl]<nint, int, int> release_interface;
    public delegate* unmanaged[Cdecl]<nint, int, int, int> set_interface_alt_setting;
    public delegate* unmanaged[Cdecl]<nint, byte, int> clear_halt;
    public delegate* unmanaged[Cdecl]<nint, int> reset_device;
    public delegate* unmanaged[Cdecl]<nint, uint, byte*, int, int> alloc_streams;
    public delegate* unmanaged[Cdecl]<nint, byte*, int, int> free_streams;
    public delegate* unmanaged[Cdecl]<nint, int, int> kernel_driver_active;
    public delegate* unmanaged[Cdecl]<nint, int, int> detach_kernel_driver;
    public delegate* unmanaged[Cdecl]<nint, int, int> attach_kernel_driver;
    public delegate* unmanaged[Cdecl]<int, LibusbTransferStruct*> alloc_transfer;
    public delegate* unmanaged[Cdecl]<LibusbTransferStruct*, void> free_transfer;
    public delegate* unmanaged[Cdecl]<LibusbTransferStruct*, int> submit_transfer;
    public delegate* unmanaged[Cdecl]<LibusbTransferStruct*, int> cancel_transfer;
    public delegate* unmanaged[Cdecl]<LibusbTransferStruct*, uint, void> transfer_set_stream_id;
    public delegate* unmanaged[Cdecl]<nint, LibusbTimeval*, int*, int> handle_events_timeout_completed;
    public delegate* unmanaged[Cdecl]<nint, void> interrupt_event_handler;
    public delegate* unmanaged[Cdecl]<nint, int, int, int, int, int, nint, nint, int*, int> hotplug_register_callback;
    public delegate* unmanaged[Cdecl]<nint, int, void> hotplug_deregister_callback;

    private LibusbLibrary(string name)
    {
        Name = name;
    }

    public string Name { get; }

    /// <summary>libusb's version as "1.0.26".</summary>
    public string Version { get; private set; } = "";

    /// <summary>Loads <paramref name="name"/> once per process.</summary>
    /// <exception cref="LibusbUnavailableException">It is missing, or lacks a function we need (older than 1.0.22).</exception>
    public static LibusbLibrary Load(string name = DefaultName)
    {
        lock (LoadLock)
        {
            if (Loaded.TryGetValue(name, out var loaded)) return loaded;
            if (!OperatingSystem.IsLinux())
                throw new LibusbUnavailableException($"the libusb backend runs on Linux only (this is {RuntimeInformation.OSDescription})");
            if (!NativeLibrary.TryLoad(name, typeof(LibusbLibrary).Assembly, DllImportSearchPath.SafeDirectories | DllImportSearchPath.AssemblyDirectory, out nint handle)
                && !NativeLibrary.TryLoad(name, out handle))
                throw new LibusbUnavailableException($"libusb-1.0 is not available: cannot load '{name}' (on Debian or Ubuntu: apt-get install libusb-1.0-0)");
            var lib = new LibusbLibrary(name);
            try
            {
                lib.Bind(handle);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new LibusbUnavailableException($"'{name}' is not a usable libusb-1.0 (1.0.22 or later is needed): {e.Message}", e);
            }
            Loaded[name] = lib;
            return lib;
        }
    }

    private void Bind(nint h)
    {
        nint F(string f) => NativeLibrary.GetExport(h, "libusb_" + f);
        init = (delegate* unmanaged[Cdecl]<nint*, int>)F("init");
        exit = (delegate* unmanaged[Cdecl]<nint, void>)F("exit");
        has_capability = (delegate* unmanaged[Cdecl]<uint, int>)F("has_capability");
        get_device_list = (delegate* unmanaged[Cdecl]<nint, nint**, nint>)F("get_device_list");
        free_device_list = (delegate* unmanaged[Cdecl]<nint*, int, void>)F("free_device_list");
        ref_device = (delegate* unmanaged[Cdecl]<nint, nint>)F("ref_device");
        unref_device = (delegate* unmanaged[Cdecl]<nint, void>)F("unref_device");
        get_bus_number = (delegate* unmanaged[Cdecl]<nint, byte>)F("get_bus_number");
        get_device_address = (delegate* unmanaged[Cdecl]<nint, byte>)F("get_device_address");
        get_port_number = (delegate* unmanaged[Cdecl]<nint, byte>)F("get_port_number");
        get_port_numbers = (delegate* unmanaged[Cdecl]<nint, byte*, int, int>)F("get_port_numbers");
        get_device_speed = (delegate* unmanaged[Cdecl]<nint, int>)F("get_device_speed");
        get_device_descriptor = (delegate* unmanaged[Cdecl]<nint, LibusbDeviceDescriptor*, int>)F("get_device_descriptor");
        get_config_descriptor = (delegate* unmanaged[Cdecl]<nint, byte, LibusbConfigDescriptor**, int>)F("get_config_descriptor");
        get_active_config_descriptor = (delegate* unmanaged[Cdecl]<nint, LibusbConfigDescriptor**, int>)F("get_active_config_descriptor");
        free_config_descriptor = (delegate* unmanaged[Cdecl]<LibusbConfigDescriptor*, void>)F("free_config_descriptor");
        open = (delegate* unmanaged[Cdecl]<nint, nint*, int>)F("open");
        close = (delegate* unmanaged[Cdecl]<nint, void>)F("close");
        get_configuration = (delegate* unmanaged[Cdecl]<nint, int*, int>)F("get_configuration");
        set_configuration = (delegate* unmanaged[Cdecl]<nint, int, int>)F("set_configuration");
        claim_interface = (delegate* unmanaged[Cdecl]<nint, int, int>)F("claim_interface");
        release_interface = (delegate* unmanaged[Cdecl]<nint, int, int>)F("release_interface");
        set_interface_alt_setting = (delegate* unmanaged[Cdecl]<nint, int, int, int>)F("set_interface_alt_setting");
        clear_halt = (delegate* unmanaged[Cdecl]<nint, byte, int>)F("clear_halt");
        reset_device = (delegate* unmanaged[Cdecl]<nint, int>)F("reset_device");
        alloc_streams = (delegate* unmanaged[Cdecl]<nint, uint, byte*, int, int>)F("alloc_streams");
        free_streams = (delegate* unmanaged[Cdecl]<nint, byte*, int, int>)F("free_streams");
        kernel_driver_active = (delegate* unmanaged[Cdecl]<nint, int, int>)F("kernel_driver_active");
        detach_kernel_driver = (delegate* unmanaged[Cdecl]<nint, int, int>)F("detach_kernel_driver");
        attach_kernel_driver = (delegate* unmanaged[Cdecl]<nint, int, int>)F("attach_kernel_driver");
        alloc_transfer = (delegate* unmanaged[Cdecl]<int, LibusbTransferStruct*>)F("alloc_transfer");
        free_transfer = (delegate* unmanaged[Cdecl]<LibusbTransferStruct*, void>)F("free_transfer");
        submit_transfer = (delegate* unmanaged[Cdecl]<LibusbTransferStruct*, int>)F("submit_transfer");
        cancel_transfer = (delegate* unmanaged[Cdecl]<LibusbTransferStruct*, int>)F("cancel_transfer");
        transfer_set_stream_id = (delegate* unmanaged[Cdecl]<LibusbTransferStruct*, uint, void>)F("transfer_set_stream_id");
        handle_events_timeout_completed = (delegate* unmanaged[Cdecl]<nint, LibusbTimeval*, int*, int>)F("handle_events_timeout_completed");
        interrupt_event_handler = (delegate* unmanaged[Cdecl]<nint, void>)F("interrupt_event_handler");
        hotplug_register_callback = (delegate* unmanaged[Cdecl]<nint, int, int, int, int, int, nint, nint, int*, int>)F("hotplug_register_callback");
        hotplug_deregister_callback = (delegate* unmanaged[Cdecl]<nint, int, void>)F("hotplug_deregister_callback");
        // struct libusb_version { uint16_t major, minor, micro, nano; const char *rc, *describe; }
        ushort* v = (ushort*)((delegate* unmanaged[Cdecl]<nint>)F("get_version"))();
        Version = $"{v[0]}.{v[1]}.{v[2]}";
    }

    /// <summary>A libusb return value (0 or a negative LIBUSB_ERROR_*) as <see cref="Hardware.Usb.UsbError"/>;
    /// an unknown negative code is Other, a positive count is success.</summary>
    public static Hardware.Usb.UsbError ToError(int code) => code switch
    {
        >= 0 => Hardware.Usb.UsbError.Success,
        >= -12 => (Hardware.Usb.UsbError)code,
        _ => Hardware.Usb.UsbError.Other,
    };
}
