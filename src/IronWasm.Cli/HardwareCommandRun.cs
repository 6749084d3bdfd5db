using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using IronWasm.Wasi;

namespace IronWasm.Cli;

/// <summary>
/// <c>ironwasm run FILE --policy POLICY [--sim SPEC] [--name GUEST] [-- ARGS]</c> for a WASI command
/// (it exports <c>_start</c>) that imports hardware interfaces, such as the USB programs of
/// guests/usb: it runs as <c>ironwasm run</c> runs any command (argv, stdio, exit status, traps),
/// with every hardware import (component:usb, wasi:i2c, wasi:spi, wasi:gpio) served by a
/// <see cref="HardwareHost"/> under the policy, as guest <c>app</c> unless --name says otherwise.
/// The guest's stdout is its own: notes from ironwasm go to stderr.
/// </summary>
internal static class HardwareCommandRun
{
    /// <summary>The exit status after Ctrl+C ended the guest (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>The guest name a command has in the policy unless --name gives one.</summary>
    public const string DefaultGuest = "app";

    private static readonly string[] HardwarePackages = ["component:usb/", "wasi:i2c/", "wasi:spi/", "wasi:gpio/"];

    /// <summary>A WASI command: it has a <c>_start</c> to run (device apps are reactors).</summary>
    public static bool IsCommand(Module module) =>
        module.Exports.Any(e => e.Name == "_start" && e.Kind == ExternalKind.Function);

    /// <summary>Whether the module imports any hardware interface.</summary>
    public static bool ImportsHardware(Module module) =>
        module.Imports.Any(i => HardwarePackages.Any(p => i.ModuleName.StartsWith(p, StringComparison.Ordinal)));

    public static bool ImportsUsb(Module module) =>
        module.Imports.Any(i => i.ModuleName.StartsWith("component:usb/", StringComparison.Ordinal));

    /// <summary>What a hardware command run needs beyond <see cref="RunOptions"/>.</summary>
    internal sealed record Settings(string Guest, string? PolicyPath, string? Simulation, string? AuditPath);

    public static int Execute(Engine engine, Module module, RunOptions options, Settings settings, CliConsole console)
    {
        var err = console.Err;
        AccessPolicy loaded;
        if (settings.PolicyPath is { } path)
        {
            loaded = DeviceHardware.LoadPolicy(path);
        }
        else
        {
            loaded = AccessPolicy.DenyAll;
            err.WriteLine($"ironwasm: no --policy: guest `{settings.Guest}` is granted no hardware (deny by default)");
        }
        var policy = new PolicyEngine(loaded);
        using var audit = settings.AuditPath is { } auditPath ? DeviceRunCommand.OpenAudit(auditPath) : null;
        if (audit is not null) policy.AddAuditSink(audit);
        using var inventory = DeviceHardware.OpenInventory(settings.Simulation);

        using var stop = new CancellationTokenSource();
        // Ctrl+C also ends a guest waiting in the host (await-transfer, a GPIO edge): its call traps.
        using var hardware = new HardwareHost(inventory, policy, cancellation: stop.Token);
        if (ImportsUsb(module)) NoteUsbGrants(inventory, policy, settings.Guest, err);

        ConsoleCancelEventHandler? cancel = null;
        if (console.Output is null)
        {
            // The first Ctrl+C ends the guest's waits in the host (its call traps); a guest that
            // does not wait there (a sleep loop) is ended by the second, which kills the process.
            cancel = (_, e) =>
            {
                e.Cancel = !stop.IsCancellationRequested;
                stop.Cancel();
            };
            Console.CancelKeyPress += cancel;
        }
        using var watch = settings.PolicyPath is { } watched
            ? policy.WatchFile(watched,
                replaced => err.WriteLine($"ironwasm: policy reloaded from {watched}: {replaced.LeasesRevoked} of {replaced.LeasesChecked} leases revoked"),
                error => err.WriteLine($"ironwasm: policy not reloaded, the old one stays in force: {ModuleFile.OneLine(error.Message)}"))
            : null;
        try
        {
            using var context = RunCommand.CreateWasiContext(options, console);
            using var store = new Store(engine);
            if (options.Fuel is { } fuel) store.Fuel = fuel;
            if (options.MaxMemory is { } maxMemory) store.SetLimits(memorySize: maxMemory);
            var canonical = new CanonicalInstance();
            var linker = new Linker(engine).DefineWasi(context, module);
            hardware.DefineImports(linker, canonical, settings.Guest);
            if (options.Timeout is { } timeout) store.SetDeadline(timeout);
            // As WasiCommand.Run, but the canonical ABI needs the instance's memory and cabi_realloc
            // between instantiation and _start.
            var instance = linker.Instantiate(store, module);
            canonical.Bind(instance);
            instance.GetFunction("_start")!.Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
            return ExitCodes.Success;
        }
        catch (ExitException exit)
        {
            return exit.ExitCode;
        }
        catch (WasmLinkException e)
        {
            throw new CliException(ExitCodes.BadModule, $"{options.File}: cannot instantiate: {ModuleFile.OneLine(e.Message)}");
        }
        catch (TrapException) when (stop.IsCancellationRequested)
        {
            err.WriteLine("ironwasm: interrupted");
            return Interrupted;
        }
        catch (TrapException trap)
        {
            TrapReport.Write(err, trap, options);
            return ExitCodes.Trap;
        }
        finally
        {
            if (cancel is not null) Console.CancelKeyPress -= cancel;
        }
    }

    /// <summary>A guest that may see none of the USB devices present is told why its lists will be
    /// empty, and the audit records it (the host itself does not audit hiding).</summary>
    internal static void NoteUsbGrants(HardwareInventory inventory, PolicyEngine policy, string guest, TextWriter err)
    {
        if (inventory.Usb is not { } usb) return;
        var devices = new List<IUsbDevice>();
        if (usb.GetDevices(devices) != UsbError.Success || devices.Count == 0) return;
        if (devices.Any(d => policy.IsUsbDeviceVisible(guest, UsbDeviceIdentity.Of(d)))) return;
        err.WriteLine($"ironwasm: the policy grants guest `{guest}` none of the {devices.Count} USB device{(devices.Count == 1 ? "" : "s")} present: it will see none");
        policy.DenyUsb(guest, "usb", "list-devices", PolicyVerdict.ResourceNotGranted);
    }
}
