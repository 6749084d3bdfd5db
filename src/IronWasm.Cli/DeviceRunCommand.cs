using System.Collections.Concurrent;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;

namespace IronWasm.Cli;

/// <summary><c>ironwasm run APP --driver NAME=FILE[@BUS:ADDRESS] ... --policy FILE [--sim FILE|SPEC]</c>:
/// runs a device app (wit/devices.wit) with its drivers on simulated or real hardware under a
/// policy, instead of a WASI command. Any of --driver, --policy or --sim selects this mode; then
/// options may also follow APP, and ARGS are the app's: <c>[PRESSES]</c> for a button-LED app,
/// <c>[ADDRESS [TEXT]]</c> for an SPI flash app. Saving the policy file applies it at once; saving
/// a driver's file swaps the driver at the next tick. A WASI command (it exports <c>_start</c>)
/// with hardware imports, such as guests/usb/lsusb.wasm, runs as a command instead, with the
/// hardware host serving its imports (<see cref="HardwareCommandRun"/>).</summary>
internal sealed class DeviceRunCommand
{
    private static readonly string[] Triggers = ["--driver", "--policy", "--sim", "--name"];
    private static readonly string[] WasiOnly = ["--dir", "--env", "--invoke", "--max-memory"];

    private readonly Command _run;
    private readonly Option<string[]> _drivers;
    private readonly Option<string> _policy, _simulation, _ticks, _interval, _audit, _name;

    private DeviceRunCommand(Command run)
    {
        _run = run;
        _drivers = new Option<string[]>("--driver")
        {
            Description = "Device apps: a driver module, as the guest NAME the policy uses, attached at BUS:ADDRESS (default: the first address the policy grants NAME). Repeatable.",
            HelpName = "NAME=FILE[@BUS:ADDRESS]",
        };
        _policy = new Option<string>("--policy") { Description = "Device apps: the access policy (YAML); saving the file applies it while the app runs.", HelpName = "FILE" };
        _simulation = new Option<string>("--sim")
        {
            Description = $"Device apps: simulated hardware, a YAML file, the inline form or `{DeviceHardware.DefaultSimulation}` (without it: the Linux devices, by name).",
            HelpName = "FILE|SPEC",
        };
        _ticks = new Option<string>("--ticks") { Description = "Device apps: ticks to run (0: until interrupted, the default); presses for a button-LED app.", HelpName = "N" };
        _interval = new Option<string>("--interval") { Description = "Device apps: time between ticks (default 1000ms; a bare number is milliseconds).", HelpName = "MS" };
        _audit = new Option<string>("--audit") { Description = "Device apps: append the policy's audit records to FILE (JSON lines).", HelpName = "FILE" };
        _name = new Option<string>("--name")
        {
            Description = $"Hardware commands (a WASI command importing component:usb, wasi:i2c, ...): the guest's name in the policy (default `{HardwareCommandRun.DefaultGuest}`).",
            HelpName = "GUEST",
        };
        foreach (var option in new Option[] { _drivers, _policy, _simulation, _ticks, _interval, _audit, _name }) run.Options.Add(option);
        run.Description += " With --policy (and --driver, --sim): run a device app with its drivers, or a WASI command that imports hardware interfaces, on real or simulated hardware.";
    }

    /// <summary>Adds the device options to <c>run</c>.</summary>
    public static DeviceRunCommand AddOptions(Command run) => new(run);

    /// <summary>Whether a command line is a device run, which the parser must see whole: options
    /// after APP are then options, not the guest's arguments.</summary>
    public static bool IsDeviceRun(string[] args)
    {
        if (args.Length < 2 || args[0] != "run") return false;
        foreach (var arg in args.AsSpan(1))
        {
            if (arg == "--") return false;
            foreach (var trigger in Triggers)
                if (arg == trigger || arg.StartsWith(trigger + "=", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Whether the parsed <c>run</c> is a device run; device-only options without one are an error.</summary>
    public bool IsRequested(ParseResult parse)
    {
        if (Given(parse, _drivers) || Given(parse, _policy) || Given(parse, _simulation) || Given(parse, _name)) return true;
        foreach (var option in new Option[] { _ticks, _interval, _audit })
            if (Given(parse, option)) throw CliException.Usage($"{option.Name} is for device apps: give --policy (and --driver, --sim) before FILE");
        return false;
    }

    private static bool Given(ParseResult parse, Option option) => parse.GetResult(option) is { Implicit: false };

    private Option? RunOption(string name) => _run.Options.FirstOrDefault(o => o.Name == name);

    private string? RunValue(ParseResult parse, string name) =>
        RunOption(name) is Option<string> option && Given(parse, option) ? parse.GetValue(option) : null;

    private bool RunFlag(ParseResult parse, string name) => RunOption(name) is Option<bool> option && parse.GetValue(option);

    public int Execute(ParseResult parse, CliConsole console)
    {
        string app = parse.GetValue(_run.Arguments.OfType<Argument<string>>().First())!;
        string[] appArguments = parse.GetValue(_run.Arguments.OfType<Argument<string[]>>().First()) ?? [];
        long? fuel = RunValue(parse, "--fuel") is { } fuelText ? OptionValues.ParseFuel(fuelText, out _) : null;
        var timeout = RunValue(parse, "--timeout") is { } timeoutText ? OptionValues.ParseDuration(timeoutText, out _) : null;
        // --allow-precompiled covers the app and every driver: drivers are what is most often shipped
        // compiled (`ironwasm compile --native` makes them start without JIT compilation).
        var cache = new RunOptions(app, [])
        {
            NoCache = RunFlag(parse, "--no-cache"),
            CacheDirectory = RunValue(parse, "--cache-dir"),
            AllowPrecompiled = RunFlag(parse, "--allow-precompiled"),
            Verbose = RunFlag(parse, "--verbose"),
        };
        var config = new Config().WithFuelConsumption(fuel is not null).WithEpochInterruption(timeout is not null);
        var engine = new Engine(CacheOptions.Apply(config, cache));
        Module Load(string file) => CacheOptions.Load(engine, cache with { File = file }, console);
        var appModule = Load(app);
        if (HardwareCommandRun.IsCommand(appModule)) return ExecuteCommand(parse, engine, appModule, cache with { Arguments = appArguments, Fuel = fuel, Timeout = timeout }, console);

        foreach (var name in WasiOnly)
            if (RunOption(name) is { } option && Given(parse, option))
                throw CliException.Usage($"{name} is for WASI commands, not device apps");
        if (Given(parse, _name)) throw CliException.Usage("--name is for hardware commands (WASI commands importing hardware interfaces); a device app's guests are named by wit/devices.wit and --driver");
        string policyPath = parse.GetValue(_policy) ?? throw CliException.Usage("device apps need --policy FILE: without a policy a guest gets no hardware at all");

        var drivers = new List<DriverArgument>();
        foreach (var text in parse.GetValue(_drivers) ?? [])
        {
            if (!DriverArgument.TryParse(text, out var driver, out var error)) throw CliException.Usage($"--driver: {error}");
            drivers.Add(driver);
        }
        int ticks = parse.GetValue(_ticks) is { } ticksText ? ParseTicks(ticksText) : 0;
        var interval = parse.GetValue(_interval) is { } intervalText ? ParseInterval(intervalText) : TimeSpan.FromSeconds(1);

        var policy = new PolicyEngine(DeviceHardware.LoadPolicy(policyPath));
        using var audit = parse.GetValue(_audit) is { } auditPath ? OpenAudit(auditPath) : null;
        if (audit is not null) policy.AddAuditSink(audit);
        using var inventory = DeviceHardware.OpenInventory(parse.GetValue(_simulation));

        var driverModules = drivers.Select(d => new DriverModule(d.Name, Load(d.File), d.Attachment)).ToList();

        using var stop = new CancellationTokenSource();
        // Ctrl+C also ends a guest waiting in the host (for a GPIO edge): its call traps.
        using var hardware = new HardwareHost(inventory, policy, cancellation: stop.Token);
        DeviceDeployment deployment;
        try
        {
            deployment = DeviceDeployment.Start(engine, hardware, appModule, driverModules, new DeploymentOptions { FuelPerCall = fuel, CallTimeout = timeout });
        }
        catch (DeploymentException e)
        {
            return Report(console, e, ExitCodes.BadModule);
        }

        var output = console.Out;
        output.WriteLine($"app: {app} ({WorldName(deployment.AppWorld)}) as guest `{deployment.AppName}`");
        foreach (var driver in deployment.Drivers) output.WriteLine($"driver {driver}");
        output.WriteLine(inventory.Simulation is null ? "hardware: Linux devices" : $"hardware: simulation {parse.GetValue(_simulation)}");
        output.WriteLine($"policy: {policyPath} (watched: saving it applies it)");

        ConsoleCancelEventHandler? cancel = null;
        if (console.Output is null)
        {
            cancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += cancel;
        }
        var changedDrivers = new ConcurrentQueue<string>();
        using var policyWatch = policy.WatchFile(policyPath,
            replaced => output.WriteLine($"policy reloaded from {policyPath}: {replaced.LeasesRevoked} of {replaced.LeasesChecked} leases revoked"),
            error => console.Err.WriteLine($"ironwasm: policy not reloaded, the old one stays in force: {ModuleFile.OneLine(error.Message)}"));
        using var driverWatch = new DriverFileWatch(drivers, changedDrivers);
        try
        {
            return deployment.AppWorld switch
            {
                DeviceWorld.SensorDisplayApp => RunTicks(deployment, drivers, changedDrivers, Load, ticks, interval, stop.Token, console),
                DeviceWorld.ButtonLedApp => RunButtonLed(deployment, inventory, appArguments, ticks, console),
                _ => RunSpiFlash(deployment, appArguments, console),
            };
        }
        catch (DeploymentException) when (stop.IsCancellationRequested)
        {
            output.WriteLine("stopped");
            return ExitCodes.Success;
        }
        catch (DeploymentException e)
        {
            return Report(console, e, e.Trap is null ? ExitCodes.BadModule : ExitCodes.Trap);
        }
        finally
        {
            if (cancel is not null) Console.CancelKeyPress -= cancel;
        }
    }

    /// <summary>A WASI command with hardware imports: device-app options make no sense for it, WASI
    /// options (--dir, --env, --max-memory) do.</summary>
    private int ExecuteCommand(ParseResult parse, Engine engine, Module module, RunOptions options, CliConsole console)
    {
        if (Given(parse, _drivers)) throw CliException.Usage($"--driver is for device apps; {options.File} is a WASI command (it exports _start)");
        foreach (var option in new Option[] { _ticks, _interval })
            if (Given(parse, option)) throw CliException.Usage($"{option.Name} is for device apps; {options.File} is a WASI command (it exports _start)");
        foreach (var name in new[] { "--invoke", "--allow-precompiled" })
            if (RunOption(name) is { } option && Given(parse, option)) throw CliException.Usage($"{name} cannot be combined with --policy, --sim or --name");
        options = options with
        {
            Directories = RunValues(parse, "--dir").Select(text => OptionValues.ParseDirectory(text, out _)!).ToList(),
            Environment = RunValues(parse, "--env").Select(text => OptionValues.ParseEnvironment(text, out _)!.Value).ToList(),
            MaxMemory = RunValue(parse, "--max-memory") is { } size ? OptionValues.ParseSize(size, out _) : null,
        };
        string guest = parse.GetValue(_name) ?? HardwareCommandRun.DefaultGuest;
        if (guest.Length == 0) throw CliException.Usage("--name: the guest name is empty");
        if (!HardwareCommandRun.ImportsHardware(module))
            console.Err.WriteLine($"ironwasm: note: {options.File} imports no hardware interface; --policy and --sim change nothing for it");
        var settings = new HardwareCommandRun.Settings(guest, parse.GetValue(_policy), parse.GetValue(_simulation), parse.GetValue(_audit));
        return HardwareCommandRun.Execute(engine, module, options, settings, console);
    }

    private string[] RunValues(ParseResult parse, string name) =>
        RunOption(name) is Option<string[]> option && Given(parse, option) ? parse.GetValue(option) ?? [] : [];

    private static int RunTicks(DeviceDeployment deployment, List<DriverArgument> drivers, ConcurrentQueue<string> changedDrivers,
        Func<string, Module> load, int ticks, TimeSpan interval, CancellationToken stop, CliConsole console)
    {
        var output = console.Out;
        for (int tick = 1; ticks == 0 || tick <= ticks; tick++)
        {
            SwapChangedDrivers(deployment, drivers, changedDrivers, load, console);
            string shown = deployment.Tick();
            output.WriteLine($"tick {tick}: {shown.Replace("\n", " | ")}");
            if (deployment.DriverFor(DeviceWorld.DisplayDriver) is { } display
                && DisplayRendering.Render(deployment.SimulatedDeviceOf(display.Name)) is { } picture)
                DisplayRendering.Write(output, picture, "  ");
            if ((ticks == 0 || tick < ticks) && stop.WaitHandle.WaitOne(interval)) break;
        }
        return ExitCodes.Success;
    }

    /// <summary>Swaps in the drivers whose files were saved since the last tick; a file that does not
    /// load or attach leaves the running driver in place.</summary>
    private static void SwapChangedDrivers(DeviceDeployment deployment, List<DriverArgument> drivers, ConcurrentQueue<string> changed,
        Func<string, Module> load, CliConsole console)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (changed.TryDequeue(out var name)) names.Add(name);
        foreach (var driver in drivers.Where(d => names.Contains(d.Name)))
        {
            try
            {
                var swapped = deployment.SwapDriver(driver.Name, load(driver.File), driver.Attachment);
                console.Out.WriteLine($"driver {driver.Name} swapped ({driver.File} changed): {swapped}");
            }
            catch (Exception e) when (e is DeploymentException or CliException)
            {
                console.Err.WriteLine($"ironwasm: driver {driver.Name} not swapped: {ModuleFile.OneLine(e.Message)}");
            }
        }
    }

    private static int RunButtonLed(DeviceDeployment deployment, HardwareInventory inventory, string[] arguments, int ticks, CliConsole console)
    {
        if (arguments.Length > 1) throw CliException.Usage("a button-LED app takes one argument: PRESSES");
        uint presses = arguments.Length == 1 ? (uint)ParseTicks(arguments[0]) : ticks > 0 ? (uint)ticks : 3;
        inventory.Simulation?.StartScripts();
        console.Out.WriteLine($"waiting for {presses} press{(presses == 1 ? "" : "es")} of the button");
        return Outcome(deployment.RunButtonLed(presses), console);
    }

    private static int RunSpiFlash(DeviceDeployment deployment, string[] arguments, CliConsole console)
    {
        if (arguments.Length > 2) throw CliException.Usage("an SPI flash app takes up to two arguments: ADDRESS TEXT");
        uint address = 0x1000;
        if (arguments.Length > 0 && !TryParseAddress(arguments[0], out address))
            throw CliException.Usage($"bad flash address '{arguments[0]}': decimal or 0x hex");
        string text = arguments.Length > 1 ? arguments[1] : "hello from ironwasm";
        return Outcome(deployment.RunSpiFlash(address, text), console);
    }

    private static int Outcome(AppOutcome outcome, CliConsole console)
    {
        foreach (var line in outcome.Text.TrimEnd('\n').Split('\n')) console.Out.WriteLine(line);
        if (outcome.Succeeded) return ExitCodes.Success;
        console.Err.WriteLine("ironwasm: the app reported an error (above)");
        return 1;
    }

    private static int Report(CliConsole console, DeploymentException e, int exitCode)
    {
        console.Err.WriteLine($"ironwasm: error: {ModuleFile.OneLine(e.Message)}");
        TrapReport.WriteBacktrace(console.Err, e.WasmBacktrace);
        return exitCode;
    }

    private static string WorldName(DeviceWorld world) => world switch
    {
        DeviceWorld.SensorDisplayApp => "sensor-display-app",
        DeviceWorld.ButtonLedApp => "button-led-app",
        _ => "spi-flash-app",
    };

    internal static JsonLinesAuditSink OpenAudit(string path)
    {
        try
        {
            return JsonLinesAuditSink.AppendToFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.CannotCreate, $"--audit {path}: cannot open the audit log: {ModuleFile.OneLine(e.Message)}");
        }
    }

    private static int ParseTicks(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value
            : throw CliException.Usage($"bad count '{text}': expected a whole number, 0 or more");

    private static TimeSpan ParseInterval(string text)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ms)) return TimeSpan.FromMilliseconds(ms);
        return OptionValues.ParseDuration(text, out var error) ?? throw CliException.Usage($"--interval: {error}");
    }

    private static bool TryParseAddress(string text, out uint address) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? uint.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out address)
            : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out address);

    /// <summary>Notes which drivers' files were written, for the tick loop to swap them.</summary>
    private sealed class DriverFileWatch : IDisposable
    {
        private readonly List<FileSystemWatcher> _watchers = new();

        public DriverFileWatch(List<DriverArgument> drivers, ConcurrentQueue<string> changed)
        {
            foreach (var driver in drivers)
            {
                string full = Path.GetFullPath(driver.File);
                try
                {
                    var watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
                    {
                        NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size,
                    };
                    string name = driver.Name;
                    watcher.Changed += (_, _) => changed.Enqueue(name);
                    watcher.Created += (_, _) => changed.Enqueue(name);
                    watcher.Renamed += (_, _) => changed.Enqueue(name);
                    watcher.EnableRaisingEvents = true;
                    _watchers.Add(watcher);
                }
                catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException or UnauthorizedAccessException)
                {
                    // Watching is a convenience: without it the driver simply is not swapped on save.
                }
            }
        }

        public void Dispose()
        {
            foreach (var watcher in _watchers) watcher.Dispose();
        }
    }
}
