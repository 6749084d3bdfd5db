using System.Globalization;
using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Components.Wit;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;

namespace IronWasm.Hardware.Tests.Hosts;

/// <summary>Where the committed guests and WIT are (the tests need no C toolchain).</summary>
internal static class Repo
{
    // The test assembly may be built far from the checkout (--artifacts-path), so the source file's
    // own path is tried too.
    private static readonly Lazy<string> RootPath = new(() =>
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(SourceFile())! })
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "IronWasm.slnx"))) return directory.FullName;
        throw new InvalidOperationException($"no IronWasm.slnx above {AppContext.BaseDirectory} or {SourceFile()}");
    });

    private static string SourceFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    private static readonly Lazy<WitResolvedPackage> DevicesWit = new(() => WitPackageLoader.LoadDirectory(Path.Combine(RootPath.Value, "wit")));

    public static string Guest(string relative) => Path.Combine(RootPath.Value, "guests", relative);

    public static WitWorld World(string name) => DevicesWit.Value.SelectWorld(name);
}

/// <summary>
/// A deployment in miniature: simulated hardware from an inline spec, a policy from YAML, and the
/// hardware host over both. Components (real C guests) and raw guests (WAT) are made from it.
/// </summary>
internal sealed class Rig : IDisposable
{
    public const string DefaultSimulation =
        "i2c:sim-i2c-1=hts221@0x5f,bme280@0x76,hd44780@0x27(name=lcd),24c02@0x50(name=eeprom,write-time=0);" +
        "spi:flash0=w25q16(timing=instant),adc0=mcp3008;" +
        "gpio:led=led,button=button(pressed=low),pin=pin,level=adc(bits=10),dac=dac(bits=8),pwm=pwm(bits=8);" +
        "env:temperature=21.5,humidity=45,pressure=1013.25";

    public Rig(string policyYaml, string simulation = DefaultSimulation, CancellationToken cancellation = default, TimeProvider? time = null)
    {
        Sim = SimulatedHardware.FromInline(simulation, time);
        Inventory = HardwareInventory.FromSimulation(Sim);
        Policy = new PolicyEngine(AccessPolicy.Parse(policyYaml, "test.policy.yaml"), new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0 });
        Host = new HardwareHost(Inventory, Policy, time, cancellation);
    }

    public SimulatedHardware Sim { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }
    public HardwareHost Host { get; }
    public Engine Engine { get; } = new();

    /// <summary>Puts a new policy in force, as an operator editing the file would.</summary>
    public PolicyReplacement Replace(string policyYaml) => Policy.Replace(AccessPolicy.Parse(policyYaml, "replaced.policy.yaml"));

    public IReadOnlyList<AuditRecord> Audit(AuditEvent kind) => Policy.RecentAudit().Where(r => r.Event == kind).ToArray();

    /// <summary>A committed C guest (guests/RELATIVE) playing <paramref name="world"/> as <paramref name="name"/>.</summary>
    public ComponentHost Component(string name, string relative, string world)
    {
        var components = new ComponentHost(Engine)
        {
            DefineHostImports = (guest, linker, canonical) => Host.DefineImports(linker, canonical, guest),
        };
        components.AddComponent(name, Module.FromFile(Engine, Repo.Guest(relative)), Repo.World(world));
        components.Instantiate();
        return components;
    }

    /// <summary>A C driver attached to <paramref name="bus"/> at <paramref name="address"/>; the attach result.</summary>
    public (ComponentHost Host, ComponentValue? Attached) Driver(string name, string relative, string world, string bus, ushort address)
    {
        var components = Component(name, relative, world);
        var (busHandle, delay) = Host.OpenI2cForAttach(components[name].Canonical!, name, bus);
        var attached = components.GetFunction(name, "ironwasm:devices/i2c-attach@0.1.0#attach").Invoke(busHandle, delay, ComponentValue.U16(address));
        return (components, attached);
    }

    public RawGuest Raw(string guest) => new(this, guest);

    public void Dispose()
    {
        Host.Dispose();
        Inventory.Dispose();
    }
}

/// <summary>
/// A WAT guest that imports every wasi:i2c, wasi:spi and wasi:gpio function and exports each one
/// again under the same name, forwarding its core arguments unchanged: a test calls a host function
/// exactly as a guest does (handles, pointers, return areas), through the generated bindings, and
/// reads the results from guest memory. Memory: the test's own data from 1024 (<see cref="Put"/>),
/// return areas at <see cref="Ret"/>, and what the host allocates (cabi_realloc) from 64 KiB.
/// </summary>
internal sealed class RawGuest
{
    public const int Ret = 256;
    private const int DataStart = 1024, HeapStart = 65536, HeapEnd = 20 * 65536;

    private static readonly (string Module, string Name, string Params, string? Result)[] Imports = BuildImports();
    private static readonly Lazy<string> Text = new(BuildWat);

    private readonly Instance _instance;
    private readonly Memory _memory;
    private int _data = DataStart;

    public RawGuest(Rig rig, string guest)
    {
        Guest = guest;
        Canonical = new CanonicalInstance();
        var linker = new Linker(rig.Engine);
        rig.Host.DefineImports(linker, Canonical, guest);
        _instance = linker.Instantiate(new Store(rig.Engine), Module.FromText(rig.Engine, "raw-guest", Text.Value));
        Canonical.Bind(_instance);
        _memory = _instance.GetMemory("memory")!;
    }

    public string Guest { get; }

    public CanonicalInstance Canonical { get; }

    /// <summary>Handles the guest holds, of every type.</summary>
    public int HandleCount => Canonical.Handles.Count;

    /// <summary>Calls the host function <paramref name="name"/> (e.g. "[method]i2c.read") of
    /// <paramref name="module"/> with core arguments (int, long or float).</summary>
    public object? Call(string module, string name, params object[] arguments) =>
        _instance.GetFunction(module + "#" + name)!.Invoke(arguments);

    public int CallInt(string module, string name, params object[] arguments) => (int)Call(module, name, arguments)!;

    /// <summary>A typed (non-boxing) entry to a forwarder with six core parameters.</summary>
    public Action<int, int, int, int, long, int> Action6(string export) =>
        _instance.GetAction<int, int, int, int, long, int>(export) ?? throw new ArgumentException($"no export {export} of that type");

    /// <summary>Lowers an own handle the host made (<see cref="HardwareHost.OpenI2cForAttach"/>) into the
    /// guest's table, as passing it to an export does; returns the handle.</summary>
    public int Take(ComponentValue own) => Canonical.Handles.New(own.Resource, own.Representation);

    /// <summary>Copies <paramref name="bytes"/> into guest memory; returns the address.</summary>
    public int Put(ReadOnlySpan<byte> bytes, int align = 8)
    {
        _data = (_data + align - 1) & -align;
        int at = _data;
        bytes.CopyTo(_memory.GetSpan(at, bytes.Length));
        _data += Math.Max(bytes.Length, 1);
        if (_data > HeapStart) throw new InvalidOperationException("the raw guest's data area is full");
        return at;
    }

    public (int Ptr, int Len) PutString(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return (Put(bytes, 1), bytes.Length);
    }

    public byte U8(int address) => _memory.GetSpan(address, 1)[0];
    public uint U32(int address) => BitConverter.ToUInt32(_memory.GetSpan(address, 4));
    public float F32(int address) => BitConverter.ToSingle(_memory.GetSpan(address, 4));
    public byte[] Bytes(int address, int length) => _memory.GetSpan(address, length).ToArray();

    /// <summary>A list&lt;u8&gt; the host lowered at (ptr, len) in the return area at <paramref name="at"/>.</summary>
    public byte[] ListAt(int at) => Bytes((int)U32(at), (int)U32(at + 4));

    /// <summary>The string of a (ptr, len) pair at <paramref name="at"/>.</summary>
    public string StringAt(int at) => Encoding.UTF8.GetString(ListAt(at));

    /// <summary>Bytes the host has allocated in the guest so far (reset by <see cref="ResetHeap"/>).</summary>
    public int HeapUsed => (int)_instance.GetGlobal("heap")!.GetValue().AsInt32() - HeapStart;

    public void ResetHeap() => _instance.GetGlobal("heap")!.SetValue(WasmValue.FromInt32(HeapStart));

    private static (string, string, string, string?)[] BuildImports()
    {
        const string i2c = "wasi:i2c/i2c@0.2.0-draft", i2cDelay = "wasi:i2c/delay@0.2.0-draft", spi = "wasi:spi/spi";
        const string digital = "wasi:gpio/digital@0.2.0", analog = "wasi:gpio/analog@0.2.0", poll = "wasi:gpio/poll@0.2.0", gpioDelay = "wasi:gpio/delay@0.2.0";
        var list = new List<(string, string, string, string?)>
        {
            (i2c, "[method]i2c.transaction", "i32 i32 i32 i32 i32", null),
            (i2c, "[method]i2c.read", "i32 i32 i64 i32", null),
            (i2c, "[method]i2c.write", "i32 i32 i32 i32 i32", null),
            (i2c, "[method]i2c.write-read", "i32 i32 i32 i32 i64 i32", null),
            (i2c, "[resource-drop]i2c", "i32", null),
            (i2cDelay, "[method]delay.delay-ns", "i32 i32", null),
            (i2cDelay, "[resource-drop]delay", "i32", null),
            (spi, "open", "i32 i32 i32", null),
            (spi, "[method]spi-device.read", "i32 i64 i32", null),
            (spi, "[method]spi-device.write", "i32 i32 i32 i32", null),
            (spi, "[method]spi-device.transfer", "i32 i32 i32 i32", null),
            (spi, "[method]spi-device.transaction", "i32 i32 i32 i32", null),
            (spi, "[resource-drop]spi-device", "i32", null),
            (poll, "[method]pollable.ready", "i32", "i32"),
            (poll, "[method]pollable.block", "i32", null),
            (poll, "poll", "i32 i32 i32", null),
            (poll, "[resource-drop]pollable", "i32", null),
            (gpioDelay, "[method]delay.delay-ns", "i32 i64", null),
            (gpioDelay, "[method]delay.delay-us", "i32 i64", null),
            (gpioDelay, "[method]delay.delay-ms", "i32 i64", null),
            (gpioDelay, "[resource-drop]delay", "i32", null),
        };
        foreach (var pin in new[] { "digital-out-pin", "stateful-digital-out-pin", "digital-in-pin", "digital-in-out-pin" })
        {
            list.Add((digital, $"[static]{pin}.get", "i32 i32 i32 i32 i32", null));
            list.Add((digital, $"[method]{pin}.get-config", "i32 i32", null));
            list.Add((digital, $"[method]{pin}.is-ready", "i32", "i32"));
            list.Add((digital, $"[resource-drop]{pin}", "i32", null));
        }
        foreach (var pin in new[] { "digital-out-pin", "stateful-digital-out-pin", "digital-in-out-pin" })
        {
            list.Add((digital, $"[method]{pin}.set-state", "i32 i32 i32", null));
            list.Add((digital, $"[method]{pin}.set-active", "i32 i32", null));
            list.Add((digital, $"[method]{pin}.set-inactive", "i32 i32", null));
        }
        foreach (var method in new[] { "toggle", "is-set-active", "is-set-inactive", "get-state" })
            list.Add((digital, $"[method]stateful-digital-out-pin.{method}", "i32 i32", null));
        foreach (var pin in new[] { "digital-in-pin", "digital-in-out-pin" })
            foreach (var method in new[] { "read", "is-active", "is-inactive" })
                list.Add((digital, $"[method]{pin}.{method}", "i32 i32", null));
        list.Add((digital, "[method]digital-in-pin.watch-state", "i32 i32 i32", null));
        foreach (var method in new[] { "watch-active", "watch-inactive", "watch-falling-edge", "watch-rising-edge" })
            list.Add((digital, $"[method]digital-in-pin.{method}", "i32 i32", null));
        list.Add((digital, "[method]digital-in-out-pin.set-pin-mode", "i32 i32 i32", null));
        foreach (var pin in new[] { "analog-out-pin", "analog-in-pin", "analog-in-out-pin" })
        {
            list.Add((analog, $"[static]{pin}.get", "i32 i32 i32 i32 i32", null));
            list.Add((analog, $"[method]{pin}.get-config", "i32 i32", null));
            list.Add((analog, $"[method]{pin}.is-ready", "i32", "i32"));
            list.Add((analog, $"[resource-drop]{pin}", "i32", null));
        }
        foreach (var pin in new[] { "analog-out-pin", "analog-in-out-pin" })
        {
            list.Add((analog, $"[method]{pin}.set-value-raw", "i32 i32 i32", null));
            list.Add((analog, $"[method]{pin}.set-value", "i32 f32 i32", null));
        }
        foreach (var pin in new[] { "analog-in-pin", "analog-in-out-pin" })
        {
            list.Add((analog, $"[method]{pin}.read-raw", "i32 i32", null));
            list.Add((analog, $"[method]{pin}.read", "i32 i32", null));
        }
        list.Add((analog, "[method]analog-in-pin.watch-above-raw", "i32 i32 i32", null));
        list.Add((analog, "[method]analog-in-pin.watch-below-raw", "i32 i32 i32", null));
        list.Add((analog, "[method]analog-in-pin.watch-above", "i32 f32 i32", null));
        list.Add((analog, "[method]analog-in-pin.watch-below", "i32 f32 i32", null));
        list.Add((analog, "[method]analog-in-out-pin.set-pin-mode", "i32 i32 i32", null));
        return list.ToArray();
    }

    private static string BuildWat()
    {
        var wat = new StringBuilder("(module\n");
        for (int i = 0; i < Imports.Length; i++)
        {
            var (module, name, parameters, result) = Imports[i];
            wat.Append(CultureInfo.InvariantCulture, $"  (import \"{module}\" \"{name}\" (func $f{i} (param {parameters}){(result is null ? "" : $" (result {result})")}))\n");
        }
        wat.Append(CultureInfo.InvariantCulture, $"""
              (memory (export "memory") 20)
              (global $heap (export "heap") (mut i32) (i32.const {HeapStart}))
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32)
                (local $p i32)
                (local.set $p (i32.and (i32.add (global.get $heap) (i32.sub (local.get 2) (i32.const 1)))
                                       (i32.sub (i32.const 0) (local.get 2))))
                (if (i32.gt_u (i32.add (local.get $p) (local.get 3)) (i32.const {HeapEnd})) (then unreachable))
                (global.set $heap (i32.add (local.get $p) (local.get 3)))
                (local.get $p))

            """);
        for (int i = 0; i < Imports.Length; i++)
        {
            var (module, name, parameters, result) = Imports[i];
            var types = parameters.Split(' ');
            var gets = string.Join(" ", Enumerable.Range(0, types.Length).Select(n => $"(local.get {n})"));
            wat.Append(CultureInfo.InvariantCulture, $"  (func (export \"{module}#{name}\") (param {parameters}){(result is null ? "" : $" (result {result})")} (call $f{i} {gets}))\n");
        }
        wat.Append(')');
        return wat.ToString();
    }
}
