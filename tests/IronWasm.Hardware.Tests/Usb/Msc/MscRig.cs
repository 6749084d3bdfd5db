using System.Text;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using IronWasm.Wasi;

using IronWasm.Hardware.Tests.Usb.Guests;

namespace IronWasm.Hardware.Tests.Usb.Msc;

/// <summary>What msc printed, and how it ended.</summary>
internal sealed record MscRun(int ExitCode, byte[] Stdout, string Error)
{
    public string Output => Encoding.UTF8.GetString(Stdout);

    public string[] Lines => Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{(Stdout.Length > 4096 ? $"({Stdout.Length} bytes)" : Output)}--- stderr\n{Error}";
}

/// <summary>
/// A simulated USB bus at zero latency with one mass-storage device over an image in memory (and,
/// when asked, an echo device beside it), a policy, and the hardware host; runs guests/usb/msc.wasm
/// as a WASI command with component:usb from the host, as <c>ironwasm run</c> does: the command's
/// memory and <c>cabi_realloc</c> are bound to a <see cref="CanonicalInstance"/> before <c>_start</c>.
/// </summary>
internal sealed class MscRig : IDisposable
{
    /// <summary>"msc" may use mass-storage devices, "echo-only" only the echo device, any other guest nothing.</summary>
    public const string Policy = """
        version: 1
        guests:
          msc:
            usb:
              - class: mass-storage
          echo-only:
            usb:
              - { vendor: 0x1209, product: 0x0001 }
        """;

    private static readonly Engine SharedEngine = new();
    private static readonly Lazy<Module> Program = new(() => Module.FromFile(SharedEngine, Path.Combine(UsbGuestRig.GuestsDirectory, "usb", "msc.wasm")));

    public MscRig(byte[] image, bool readOnly = false, bool withEcho = false, UsbBusTiming? timing = null, string policy = Policy)
    {
        Image = image;
        Usb = new SimulatedUsbBackend(timing ?? UsbBusTiming.ZeroLatency);
        if (withEcho)
        {
            Echo = new EchoDevice();
            Usb.Plug(Echo);
        }
        Disk = MassStorageDevice.FromMemory(image, readOnly);
        Usb.Plug(Disk);
        Inventory = new HardwareInventory().Add(Usb);
        PolicyEngine = new PolicyEngine(AccessPolicy.Parse(policy, "msc.policy.yaml"), new PolicyEngineOptions { MaxAuditRecordsPerSecond = 0 });
        Host = new HardwareHost(Inventory, PolicyEngine);
    }

    public byte[] Image { get; }
    public SimulatedUsbBackend Usb { get; }
    public EchoDevice? Echo { get; }
    public MassStorageDevice Disk { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine PolicyEngine { get; }
    public HardwareHost Host { get; }

    public MscRun Run(params string[] args) => RunAs("msc", args);

    /// <summary>Runs msc to its end as guest <paramref name="guest"/>. A trap fails the test: msc
    /// must end every error with a message and an exit status.</summary>
    public MscRun RunAs(string guest, params string[] args)
    {
        var module = Program.Value;
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var wasi = new WasiConfiguration().WithArgs(["msc", .. args]).WithStandardOutput(stdout).WithStandardError(stderr);
        int exit = UsbGuestRig.RunCommand(SharedEngine, module, Host, guest, wasi);
        return new MscRun(exit, stdout.ToArray(), Encoding.UTF8.GetString(stderr.ToArray()));
    }

    public void Dispose()
    {
        Host.Dispose();
        Inventory.Dispose();
        Disk.Dispose();
    }
}
