using System.Globalization;
using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using LibusbError = IronWasm.Hardware.Bindings.WasiUsb.Errors.LibusbError;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>A deployment with a simulated USB bus (zero latency unless asked) holding an echo
/// device, a mass-storage device and a gamepad, a policy, and the hardware host over them.</summary>
internal sealed class UsbRig : IDisposable
{
    public UsbRig(string policyYaml, UsbBusTiming? timing = null)
    {
        Usb = new SimulatedUsbBackend(timing ?? UsbBusTiming.ZeroLatency);
        Echo = new EchoDevice();
        Disk = MassStorageDevice.FromMemory(new byte[64 * 512]);
        Pad = new GamepadDevice();
        Usb.Plug(Echo);
        Usb.Plug(Disk);
        Usb.Plug(Pad);
        Inventory = new HardwareInventory().Add(Usb);
        Policy = new PolicyEngine(AccessPolicy.Parse(policyYaml, "usb.policy.yaml"), new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0 });
        Host = new HardwareHost(Inventory, Policy);
    }

    public SimulatedUsbBackend Usb { get; }
    public EchoDevice Echo { get; }
    public MassStorageDevice Disk { get; }
    public GamepadDevice Pad { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }
    public HardwareHost Host { get; }
    public Engine Engine { get; } = new();

    public UsbGuest Guest(string name) => new(this, name);

    public IReadOnlyList<AuditRecord> Denials() => Policy.RecentAudit().Where(r => r.Event == AuditEvent.Denied).ToArray();

    public void Dispose()
    {
        Host.Dispose();
        Inventory.Dispose();
        Disk.Dispose();
    }
}

/// <summary>
/// A WAT guest importing every component:usb function and exporting each again under
/// "module#name", forwarding its core arguments, as <see cref="RawGuest"/> does for the other buses;
/// plus <c>ping</c>, a bulk OUT then IN round trip done entirely in the guest. Results are read
/// from the return area at <see cref="Ret"/>; the test's data goes from 1024, the host's
/// allocations from 64 KiB.
/// </summary>
internal sealed class UsbGuest
{
    public const int Ret = 256;
    private const int DataStart = 1024, HeapStart = 65536, HeapEnd = 20 * 65536;
    private const string DeviceModule = "component:usb/device@0.2.1", TransfersModule = "component:usb/transfers@0.2.1", HotplugModule = "component:usb/usb-hotplug@0.2.1";

    private static readonly (string Id, string Module, string Name, int Params)[] Imports =
    [
        ("init", DeviceModule, "init", 1),
        ("list", DeviceModule, "list-devices", 1),
        ("open", DeviceModule, "[method]usb-device.open", 2),
        ("cfg", DeviceModule, "[method]usb-device.get-configuration-descriptor", 3),
        ("cfgval", DeviceModule, "[method]usb-device.get-configuration-descriptor-by-value", 3),
        ("cfgact", DeviceModule, "[method]usb-device.get-active-configuration-descriptor", 2),
        ("dropdev", DeviceModule, "[resource-drop]usb-device", 1),
        ("getconf", DeviceModule, "[method]device-handle.get-configuration", 2),
        ("setconf", DeviceModule, "[method]device-handle.set-configuration", 4),
        ("claim", DeviceModule, "[method]device-handle.claim-interface", 3),
        ("release", DeviceModule, "[method]device-handle.release-interface", 3),
        ("alt", DeviceModule, "[method]device-handle.set-interface-altsetting", 4),
        ("halt", DeviceModule, "[method]device-handle.clear-halt", 3),
        ("reset", DeviceModule, "[method]device-handle.reset-device", 2),
        ("alloc", DeviceModule, "[method]device-handle.alloc-streams", 5),
        ("free", DeviceModule, "[method]device-handle.free-streams", 4),
        ("kactive", DeviceModule, "[method]device-handle.kernel-driver-active", 3),
        ("kdetach", DeviceModule, "[method]device-handle.detach-kernel-driver", 3),
        ("kattach", DeviceModule, "[method]device-handle.attach-kernel-driver", 3),
        ("newxfer", DeviceModule, "[method]device-handle.new-transfer", 12),
        ("close", DeviceModule, "[method]device-handle.close", 1),
        ("drophandle", DeviceModule, "[resource-drop]device-handle", 1),
        ("submit", TransfersModule, "[method]transfer.submit-transfer", 4),
        ("cancel", TransfersModule, "[method]transfer.cancel-transfer", 2),
        ("await", TransfersModule, "await-transfer", 2),
        ("dropxfer", TransfersModule, "[resource-drop]transfer", 1),
        ("hotplug", HotplugModule, "enable-hotplug", 1),
        ("poll", HotplugModule, "poll-events", 1),
    ];

    private static readonly Lazy<string> Text = new(BuildWat);

    private readonly Instance _instance;
    private readonly Memory _memory;
    private readonly Dictionary<string, Function> _functions = [];
    private int _data = DataStart;

    public UsbGuest(UsbRig rig, string guest) : this(rig.Engine, rig.Host, guest)
    {
    }

    public UsbGuest(Engine engine, HardwareHost host, string guest)
    {
        Canonical = new CanonicalInstance();
        var linker = new Linker(engine);
        host.DefineImports(linker, Canonical, guest);
        _instance = linker.Instantiate(new Store(engine), Module.FromText(engine, "usb-guest", Text.Value));
        Canonical.Bind(_instance);
        _memory = _instance.GetMemory("memory")!;
        foreach (var (id, _, _, _) in Imports) _functions[id] = _instance.GetFunction(id)!;
    }

    public CanonicalInstance Canonical { get; }

    public int HandleCount => Canonical.Handles.Count;

    /// <summary>The guest's <c>ping</c>: a bulk round trip of <paramref name="length"/> bytes at
    /// <paramref name="at"/> on an open echo device; 0 when it succeeded.</summary>
    public Func<int, int, int, int, int> Ping => _instance.GetFunction<int, int, int, int, int>("ping")!;

    public void ResetHeap() => _instance.GetGlobal("heap")!.SetValue(WasmValue.FromInt32(HeapStart));

    public void Call(string id, params int[] arguments) => _functions[id].Invoke(arguments.Select(a => (object)a).ToArray());

    public int Put(ReadOnlySpan<byte> bytes)
    {
        _data = (_data + 7) & -8;
        int at = _data;
        bytes.CopyTo(_memory.GetSpan(at, bytes.Length));
        _data += Math.Max(bytes.Length, 1);
        return at;
    }

    public byte U8(int address) => _memory.GetSpan(address, 1)[0];
    public ushort U16(int address) => BitConverter.ToUInt16(_memory.GetSpan(address, 2));
    public int I32(int address) => BitConverter.ToInt32(_memory.GetSpan(address, 4));
    public byte[] Bytes(int address, int length) => _memory.GetSpan(address, length).ToArray();

    // ---- result<T, libusb-error> in the return area -------------------------------------------

    /// <summary>The error of a result whose ok payload (if any) is at <paramref name="payloadOffset"/>; null for ok.</summary>
    private LibusbError? Error(int payloadOffset) => U8(Ret) == 0 ? null : (LibusbError)U8(Ret + payloadOffset);

    /// <summary>Calls a function returning <c>result&lt;_, libusb-error&gt;</c> (or a small ok payload at offset 1).</summary>
    public LibusbError? Unit(string id, params int[] arguments)
    {
        Call(id, [.. arguments, Ret]);
        return Error(1);
    }

    public (int Value, LibusbError? Error) Small(string id, params int[] arguments)
    {
        Call(id, [.. arguments, Ret]);
        return (U8(Ret + 1), Error(1));
    }

    public (int Handle, LibusbError? Error) Handle(string id, params int[] arguments)
    {
        Call(id, [.. arguments, Ret]);
        return U8(Ret) == 0 ? (I32(Ret + 4), null) : (0, (LibusbError)U8(Ret + 4));
    }

    public (byte[]? Data, LibusbError? Error) List(string id, params int[] arguments)
    {
        Call(id, [.. arguments, Ret]);
        return U8(Ret) == 0 ? (Bytes(I32(Ret + 4), I32(Ret + 8)), null) : (null, (LibusbError)U8(Ret + 4));
    }

    // ---- friendlier calls ------------------------------------------------------------------------

    public List<ListedDevice> ListDevices()
    {
        Call("list", Ret);
        Assert.Equal(0, U8(Ret));
        int ptr = I32(Ret + 4), count = I32(Ret + 8);
        var devices = new List<ListedDevice>();
        for (int i = 0; i < count; i++)
        {
            int at = ptr + i * 28;
            devices.Add(new ListedDevice(I32(at), U16(at + 12), U16(at + 14), U8(at + 8), U8(at + 22), U8(at + 23), U8(at + 25)));
        }
        return devices;
    }

    public ListedDevice Find(ushort product) => ListDevices().Single(d => d.ProductId == product);

    /// <summary>Lists, finds the device and opens it; throws when it cannot be opened.</summary>
    public int OpenDevice(ushort product)
    {
        var (handle, error) = Handle("open", Find(product).Handle);
        Assert.Null(error);
        return handle;
    }

    /// <summary>A configuration descriptor in the return area: (value, interfaces as (number, alt, class, endpoint addresses)).</summary>
    public (int Value, List<(int Number, int Alt, int Class, int[] Endpoints)> Interfaces)? Configuration(string id, params int[] arguments)
    {
        Call(id, [.. arguments, Ret]);
        if (U8(Ret) != 0) return null;
        int c = Ret + 4;
        Assert.Equal(9, U8(c));
        int ptr = I32(c + 4), count = I32(c + 8);
        var interfaces = new List<(int, int, int, int[])>();
        for (int i = 0; i < count; i++)
        {
            int at = ptr + i * 16;
            int eptr = I32(at + 4), ecount = I32(at + 8);
            var endpoints = Enumerable.Range(0, ecount).Select(e => (int)U8(eptr + e * 10 + 2)).ToArray();
            interfaces.Add((U8(at + 2), U8(at + 3), U8(at + 12), endpoints));
        }
        return (U8(c + 12), interfaces);
    }

    /// <summary>new-transfer; <paramref name="type"/>: 0 control, 1 bulk, 2 interrupt, 3 isochronous.</summary>
    public (int Transfer, LibusbError? Error) NewTransfer(int handle, int type, int endpoint, int size, int timeoutMs = 1000,
        int requestType = 0, int request = 0, int value = 0, int index = 0, int isoPackets = 0, int stream = 0) =>
        Handle("newxfer", handle, type, requestType, request, value, index, size, endpoint, timeoutMs, stream, isoPackets);

    public LibusbError? Submit(int transfer, ReadOnlySpan<byte> data)
    {
        int at = Put(data);
        return Unit("submit", transfer, at, data.Length);
    }

    public (byte[]? Data, LibusbError? Error) Await(int transfer) => List("await", transfer);

    /// <summary>new-transfer, submit and await in one go.</summary>
    public (byte[]? Data, LibusbError? Error) Transfer(int handle, int type, int endpoint, byte[] data, int size = 64, int timeoutMs = 1000,
        int requestType = 0, int request = 0, int value = 0, int index = 0, int isoPackets = 0)
    {
        var (t, error) = NewTransfer(handle, type, endpoint, size, timeoutMs, requestType, request, value, index, isoPackets);
        if (error is not null) return (null, error);
        error = Submit(t, data);
        if (error is not null)
        {
            Call("dropxfer", t);
            return (null, error);
        }
        return Await(t);
    }

    public List<(int Event, ushort Vendor, ushort Product, int Device)> PollEvents()
    {
        Call("poll", Ret);
        int ptr = I32(Ret), count = I32(Ret + 4);
        return Enumerable.Range(0, count).Select(i => ptr + i * 12).Select(at => ((int)U8(at), U16(at + 4), U16(at + 6), I32(at + 8))).ToList();
    }

    private static string BuildWat()
    {
        var wat = new StringBuilder("(module\n");
        foreach (var (id, module, name, count) in Imports)
            wat.Append(CultureInfo.InvariantCulture, $"  (import \"{module}\" \"{name}\" (func ${id} (param{string.Concat(Enumerable.Repeat(" i32", count))})))\n");
        wat.Append(CultureInfo.InvariantCulture, $$"""
              (memory (export "memory") 20)
              (global $heap (export "heap") (mut i32) (i32.const {{HeapStart}}))
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
                (local $p i32)
                (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                                       (i32.sub (i32.const 0) (local.get 2))))
                (if (i32.gt_u (i32.add (local.get $p) (local.get 3)) (i32.const {{HeapEnd}})) (then unreachable))
                (global.set $heap (i32.add (local.get $p) (local.get 3)))
                (local.get $p))
              ;; A bulk round trip on the echo device: OUT $len bytes at $out on 0x01, then IN up to $cap on 0x81.
              (func (export "ping") (param $h i32) (param $out i32) (param $len i32) (param $cap i32) (result i32)
                (local $t i32)
                (call $newxfer (local.get $h) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                  (local.get $cap) (i32.const 0x01) (i32.const 1000) (i32.const 0) (i32.const 0) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 1))))
                (local.set $t (i32.load (i32.const {{Ret + 4}})))
                (call $submit (local.get $t) (local.get $out) (local.get $len) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 2))))
                (call $await (local.get $t) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 3))))
                (call $newxfer (local.get $h) (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
                  (local.get $cap) (i32.const 0x81) (i32.const 1000) (i32.const 0) (i32.const 0) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 4))))
                (local.set $t (i32.load (i32.const {{Ret + 4}})))
                (call $submit (local.get $t) (i32.const 0) (i32.const 0) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 5))))
                (call $await (local.get $t) (i32.const {{Ret}}))
                (if (i32.load8_u (i32.const {{Ret}})) (then (return (i32.const 6))))
                (if (i32.ne (i32.load (i32.const {{Ret + 8}})) (local.get $len)) (then (return (i32.const 7))))
                (i32.const 0))

            """);
        foreach (var (id, _, _, count) in Imports)
        {
            var gets = string.Join(" ", Enumerable.Range(0, count).Select(n => $"(local.get {n})"));
            wat.Append(CultureInfo.InvariantCulture, $"  (func (export \"{id}\") (param{string.Concat(Enumerable.Repeat(" i32", count))}) (call ${id} {gets}))\n");
        }
        wat.Append(')');
        return wat.ToString();
    }
}

internal readonly record struct ListedDevice(int Handle, ushort VendorId, ushort ProductId, byte DeviceClass, byte Bus, byte Address, byte Speed);
