using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IronWasm.Hardware.Usb;

namespace IronWasm.Hardware.Linux.Usb;

/// <summary>The USB devices of a Linux machine through libusb-1.0 (Debian's libusb-1.0-0): one
/// libusb_context, one thread handling its events (transfer completions and hotplug), devices
/// wrapped once per libusb_device. See README.md beside this file.</summary>
public sealed unsafe class LibusbBackend : IUsbBackend
{
    // Exclusive open is per process, across contexts: keyed by bus and address, which the
    // kernel does not reuse while a device stays connected.
    private static readonly Lock OpenLock = new();
    private static readonly HashSet<(byte Bus, byte Address)> OpenDevices = [];

    private readonly Lock _lock = new();
    private readonly Dictionary<nint, LibusbDevice> _devices = [];
    private readonly List<LibusbDeviceHandle> _handles = [];
    private readonly Lock _deliveryLock = new();
    private readonly Queue<(int Event, nint Device)> _hotplugQueue = new();
    private readonly Thread _eventThread;
    private readonly int* _stop;
    private GCHandle _self;
    private HotplugSubscription[] _subscriptions = [];
    private int _hotplugHandle = -1;
    private int _hotplugPending;
    private bool _disposed;

    /// <summary>Initialises libusb from <paramref name="libraryName"/> (default libusb-1.0.so.0)
    /// and starts its event thread.</summary>
    /// <exception cref="LibusbUnavailableException">libusb is not installed or cannot start; the message says why.</exception>
    public LibusbBackend(string libraryName = LibusbLibrary.DefaultName) : this(libraryName, "/sys")
    {
    }

    internal LibusbBackend(string libraryName, string sysfsRoot)
    {
        ArgumentException.ThrowIfNullOrEmpty(libraryName);
        Library = LibusbLibrary.Load(libraryName);
        SysfsRoot = sysfsRoot;
        nint context;
        int r = Library.init(&context);
        if (r < 0)
            throw new LibusbUnavailableException($"libusb {Library.Version} ({Library.Name}) cannot start: libusb_init: {LibusbLibrary.ToError(r).Describe()} ({r})");
        Context = context;
        _stop = (int*)NativeMemory.AllocZeroed(sizeof(int));
        _self = GCHandle.Alloc(this, GCHandleType.Weak);
        SupportsHotplug = Library.has_capability(LibusbLibrary.LIBUSB_CAP_HAS_HOTPLUG) != 0;
        if (SupportsHotplug)
        {
            int handle;
            r = Library.hotplug_register_callback(context,
                LibusbLibrary.LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED | LibusbLibrary.LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT, 0,
                LibusbLibrary.LIBUSB_HOTPLUG_MATCH_ANY, LibusbLibrary.LIBUSB_HOTPLUG_MATCH_ANY, LibusbLibrary.LIBUSB_HOTPLUG_MATCH_ANY,
                (nint)(delegate* unmanaged[Cdecl]<nint, nint, int, nint, int>)&OnHotplug, GCHandle.ToIntPtr(_self), &handle);
            if (r == 0) _hotplugHandle = handle;
            else SupportsHotplug = false;
        }
        _eventThread = new Thread(HandleEvents) { IsBackground = true, Name = "libusb events" };
        _eventThread.Start();
    }

    internal LibusbLibrary Library { get; }

    internal nint Context { get; }

    internal string SysfsRoot { get; }

    public string Name => "libusb";

    public string Description => $"Linux USB through libusb {Library.Version} ({Library.Name})";

    public bool SupportsHotplug { get; }

    /// <summary>Tries to start the backend; null with <paramref name="why"/> when libusb is not usable here.</summary>
    public static LibusbBackend? TryCreate(out string? why)
    {
        try
        {
            why = null;
            return new LibusbBackend();
        }
        catch (LibusbUnavailableException e)
        {
            why = e.Message;
            return null;
        }
    }

    public UsbError GetDevices(List<IUsbDevice> into)
    {
        ArgumentNullException.ThrowIfNull(into);
        lock (_lock)
        {
            if (_disposed) return UsbError.InvalidParam;
            nint* list;
            nint count = Library.get_device_list(Context, &list);
            if (count < 0) return LibusbLibrary.ToError((int)count);
            try
            {
                var present = new HashSet<nint>();
                for (int i = 0; i < count; i++)
                {
                    var device = Wrap(list[i]);
                    if (device is null) continue;
                    present.Add(list[i]);
                    into.Add(device);
                }
                foreach (var (native, device) in _devices.ToArray())
                {
                    if (present.Contains(native)) continue;
                    device.MarkDisconnected();
                    // With hotplug the departure event forgets it (and reports the same object);
                    // without, nothing else will.
                    if (!SupportsHotplug) Forget(native);
                }
            }
            finally
            {
                Library.free_device_list(list, 1);
            }
        }
        return UsbError.Success;
    }

    public IDisposable SubscribeHotplug(Action<UsbHotplugEvent> handler, bool enumerateExisting = false)
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (!SupportsHotplug) throw new NotSupportedException($"libusb {Library.Version} on this system does not report hotplug events");
        var subscription = new HotplugSubscription(this, handler);
        var existing = new List<IUsbDevice>();
        lock (_deliveryLock)
        {
            lock (_lock)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                _subscriptions = [.. _subscriptions, subscription];
            }
            if (enumerateExisting)
            {
                GetDevices(existing);
                foreach (var d in existing) Invoke(handler, new UsbHotplugEvent(UsbHotplugEventKind.Arrived, d));
            }
        }
        return subscription;
    }

    internal UsbError Open(LibusbDevice device, out UsbDeviceHandle? handle)
    {
        handle = null;
        if (!device.IsConnected) return UsbError.NoDevice;
        var key = (device.Location.BusNumber, device.Location.DeviceAddress);
        lock (OpenLock)
        {
            if (!OpenDevices.Add(key)) return UsbError.Access;
        }
        nint native = 0;
        int r;
        lock (_lock)
            r = _disposed ? (int)UsbError.NoDevice : Library.open(device.Native, &native);
        if (r < 0)
        {
            lock (OpenLock) OpenDevices.Remove(key);
            return LibusbLibrary.ToError(r);
        }
        var opened = new LibusbDeviceHandle(this, device, native);
        lock (_lock) _handles.Add(opened);
        handle = opened;
        return UsbError.Success;
    }

    /// <summary>From a handle's close, once libusb_close has run.</summary>
    internal void Closed(LibusbDeviceHandle handle)
    {
        lock (_lock) _handles.Remove(handle);
        lock (OpenLock) OpenDevices.Remove((handle.LibusbDevice.Location.BusNumber, handle.LibusbDevice.Location.DeviceAddress));
    }

    public void Dispose()
    {
        LibusbDeviceHandle[] handles;
        lock (_lock)
        {
            if (_disposed) return;
            handles = [.. _handles];
        }
        // Handles cancel and wait for their transfers, which needs the event thread running.
        foreach (var h in handles) h.Dispose();
        lock (_lock)
        {
            _disposed = true;
            _subscriptions = [];
        }
        if (_hotplugHandle >= 0) Library.hotplug_deregister_callback(Context, _hotplugHandle);
        Volatile.Write(ref *_stop, 1);
        Library.interrupt_event_handler(Context);
        _eventThread.Join();
        lock (_lock)
        {
            foreach (var native in _devices.Keys.ToArray()) Forget(native);
            while (_hotplugQueue.TryDequeue(out var queued)) Library.unref_device(queued.Device);
        }
        Library.exit(Context);
        NativeMemory.Free(_stop);
        _self.Free();
    }

    public override string ToString() => $"{Name}: {Description}";

    /// <summary>Under the lock: the wrapper of <paramref name="native"/>, made on first sight.</summary>
    private LibusbDevice? Wrap(nint native)
    {
        // A pointer we hold a reference on cannot have been freed and reused for another device.
        if (_devices.TryGetValue(native, out var known)) return known;
        var device = LibusbDevice.Create(this, native);
        if (device is not null) _devices[native] = device;
        return device;
    }

    private void Forget(nint native)
    {
        if (!_devices.Remove(native, out var device)) return;
        device.MarkDisconnected();
        Library.unref_device(device.Native);
    }

    private void HandleEvents()
    {
        var timeout = new LibusbTimeval { tv_sec = 0, tv_usec = 500_000 };
        while (Volatile.Read(ref *_stop) == 0)
        {
            int r = Library.handle_events_timeout_completed(Context, &timeout, _stop);
            if (r < 0 && r != (int)UsbError.Interrupted && r != (int)UsbError.Busy)
                System.Diagnostics.Trace.TraceWarning($"libusb_handle_events: {LibusbLibrary.ToError(r).Describe()}");
            // libusb forbids most calls inside a hotplug callback: the callback queues, we handle
            // here. The check keeps transfer completions from taking the locks.
            if (Volatile.Read(ref _hotplugPending) != 0) DeliverHotplug();
        }
    }

    private void DeliverHotplug()
    {
        lock (_deliveryLock)
        {
            while (true)
            {
                UsbHotplugEvent next;
                lock (_lock)
                {
                    if (!_hotplugQueue.TryDequeue(out var queued))
                    {
                        _hotplugPending = 0;
                        return;
                    }
                    LibusbDevice? device;
                    if (queued.Event == LibusbLibrary.LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED)
                    {
                        device = _disposed ? null : Wrap(queued.Device);
                    }
                    else
                    {
                        _devices.TryGetValue(queued.Device, out device);
                        Forget(queued.Device);
                    }
                    Library.unref_device(queued.Device);
                    if (device is null) continue;
                    next = new UsbHotplugEvent(queued.Event == LibusbLibrary.LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED ? UsbHotplugEventKind.Arrived : UsbHotplugEventKind.Left, device);
                }
                foreach (var s in Volatile.Read(ref _subscriptions)) Invoke(s.Handler, next);
            }
        }
    }

    private static void Invoke(Action<UsbHotplugEvent> handler, UsbHotplugEvent e)
    {
        try
        {
            handler(e);
        }
        catch (Exception ex)
        {
            System.Diagnostics.Trace.TraceWarning($"a USB hotplug handler threw: {ex}");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnHotplug(nint context, nint device, int @event, nint userData)
    {
        if (GCHandle.FromIntPtr(userData).Target is LibusbBackend backend)
        {
            // Keeps the device alive until the event thread has handled the event.
            backend.Library.ref_device(device);
            lock (backend._lock)
            {
                backend._hotplugQueue.Enqueue((@event, device));
                backend._hotplugPending = 1;
            }
        }
        return 0;
    }

    private void Unsubscribe(HotplugSubscription subscription)
    {
        lock (_lock) _subscriptions = [.. _subscriptions.Where(s => s != subscription)];
    }

    private sealed class HotplugSubscription(LibusbBackend owner, Action<UsbHotplugEvent> handler) : IDisposable
    {
        public Action<UsbHotplugEvent> Handler { get; } = handler;

        public void Dispose() => owner.Unsubscribe(this);
    }
}
