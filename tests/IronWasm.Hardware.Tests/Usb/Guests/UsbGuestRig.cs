using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using IronWasm.Wasi;

namespace IronWasm.Hardware.Tests.Usb.Guests;

/// <summary>What a C USB program printed, and how it ended.</summary>
internal sealed record GuestRun(int ExitCode, string Output, string Error)
{
    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}--- stderr\n{Error}";
}

/// <summary>
/// A simulated USB bus at zero latency with an echo device, a mass-storage device and a gamepad,
/// a policy, and the hardware host; runs the committed C programs of guests/usb as WASI commands
/// with component:usb imported from the host, the way <c>ironwasm run</c> does.
/// </summary>
internal sealed class UsbGuestRig : IDisposable
{
    /// <summary>The echo device, the disk and the gamepad, each to its own guest name; `app` sees
    /// the echo device and the gamepad.</summary>
    public const string DefaultPolicy = """
        version: 1
        guests:
          app:
            usb:
              - vendor: 0x1209
                product: 0x0001
              - class: hid
          disk-only:
            usb:
              - class: mass-storage
          echo-bulk-only:
            usb:
              - vendor: 0x1209
                product: 0x0001
                interfaces: [0]
        """;

    private static readonly Dictionary<string, Module> Modules = [];
    private static readonly Engine SharedEngine = new();

    /// <param name="time">The bus clock (a test's manual clock to play gamepad scripts step by step); the system clock by default.</param>
    public UsbGuestRig(string policyYaml = DefaultPolicy, TimeProvider? time = null)
    {
        Usb = new SimulatedUsbBackend(UsbBusTiming.ZeroLatency, time);
        Echo = new EchoDevice();
        Disk = MassStorageDevice.FromMemory(new byte[64 * 512]);
        Pad = new GamepadDevice();
        EchoUsb = Usb.Plug(Echo);
        Usb.Plug(Disk);
        PadUsb = Usb.Plug(Pad);
        Inventory = new HardwareInventory().Add(Usb);
        Policy = new PolicyEngine(AccessPolicy.Parse(policyYaml, "usb.policy.yaml"), new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0 });
        Host = new HardwareHost(Inventory, Policy);
    }

    public SimulatedUsbBackend Usb { get; }
    public EchoDevice Echo { get; }
    public MassStorageDevice Disk { get; }
    public GamepadDevice Pad { get; }
    /// <summary>The echo device and the gamepad as the backend lists them, to open them from outside the guest.</summary>
    public IronWasm.Hardware.Usb.IUsbDevice EchoUsb { get; }
    public IronWasm.Hardware.Usb.IUsbDevice PadUsb { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }
    public HardwareHost Host { get; }

    public IReadOnlyList<AuditRecord> Denials() => Policy.RecentAudit().Where(r => r.Event == AuditEvent.Denied).ToArray();

    /// <summary>guests/usb/NAME.wasm (or any path ending in .wasm), compiled once per test run.</summary>
    public static Module Program(string name)
    {
        string path = name.EndsWith(".wasm", StringComparison.Ordinal) ? name : Path.Combine(GuestsDirectory, "usb", name + ".wasm");
        lock (Modules)
        {
            if (!Modules.TryGetValue(path, out var module)) Modules[path] = module = Module.FromFile(SharedEngine, path);
            return module;
        }
    }

    /// <summary>Runs a program to its end as guest <paramref name="guest"/> with <paramref name="args"/>.</summary>
    public GuestRun Run(string program, string guest = "app", params string[] args) => Run(Host, program, guest, args);

    /// <summary>Runs a program on another thread, its standard output readable while it runs.</summary>
    public (Task<GuestRun> Run, WatchedOutput Output) Start(string program, string guest = "app", params string[] args)
    {
        var output = new WatchedOutput();
        return (Task.Run(() => Run(Host, program, guest, args, output)), output);
    }

    /// <summary>Runs a program as a WASI command whose component:usb imports <paramref name="host"/> defines
    /// (what <c>ironwasm run</c> does for a USB app).</summary>
    public static GuestRun Run(HardwareHost host, string program, string guest, string[] args, Stream? stdout = null)
    {
        var module = Program(program);
        using var captured = new MemoryStream();
        using var stderr = new MemoryStream();
        var output = stdout ?? captured;
        var wasi = new WasiConfiguration().WithArgs([program, .. args]).WithStandardOutput(output).WithStandardError(stderr);
        int exit = RunCommand(SharedEngine, module, host, guest, wasi);
        string text = output is WatchedOutput watched ? watched.Text : Encoding.UTF8.GetString(captured.ToArray());
        return new GuestRun(exit, text, Encoding.UTF8.GetString(stderr.ToArray()));
    }

    /// <summary>Runs <paramref name="module"/>'s <c>_start</c> with WASI and the hardware imports of
    /// <paramref name="host"/> for <paramref name="guest"/>, the canonical instance bound before it
    /// starts; returns the exit status. A trap propagates.</summary>
    public static int RunCommand(Engine engine, Module module, HardwareHost host, string guest, WasiConfiguration wasi)
    {
        using var context = new WasiContext(wasi);
        using var store = new Store(engine);
        var canonical = new CanonicalInstance();
        var linker = new Linker(engine).DefineWasi(context, module);
        host.DefineImports(linker, canonical, guest);
        try
        {
            var instance = linker.Instantiate(store, module);
            canonical.Bind(instance);
            instance.GetFunction("_start")!.Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
            return 0;
        }
        catch (ExitException e)
        {
            return e.ExitCode;
        }
        finally
        {
            host.Release(canonical);
        }
    }

    public static string GuestsDirectory => Deployment.DeploymentKit.GuestsDirectory;

    public void Dispose()
    {
        Host.Dispose();
        Inventory.Dispose();
        Disk.Dispose();
    }
}

/// <summary>A guest's standard output that a test can wait on while the guest runs.</summary>
internal sealed class WatchedOutput : Stream
{
    private readonly StringBuilder _text = new();
    private readonly object _lock = new();

    public string Text
    {
        get
        {
            lock (_lock) return _text.ToString();
        }
    }

    /// <summary>Waits until the output holds <paramref name="expected"/> (after <paramref name="from"/>);
    /// fails after 10 s, so a broken guest cannot hang the test run.</summary>
    public int WaitFor(string expected, int from = 0)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        lock (_lock)
        {
            while (true)
            {
                int at = _text.ToString().IndexOf(expected, from, StringComparison.Ordinal);
                if (at >= 0) return at + expected.Length;
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero) throw new TimeoutException($"the guest never printed `{expected}`; it printed:\n{_text}");
                Monitor.Wait(_lock, left);
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            _text.Append(Encoding.UTF8.GetString(buffer));
            Monitor.PulseAll(_lock);
        }
    }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
