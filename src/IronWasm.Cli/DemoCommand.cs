using System.CommandLine;
using System.Globalization;
using System.Reflection;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Deployment;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Devices;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using IronWasm.Hardware.Usb.Simulation.FatImage;
using IronWasm.Wasi;

namespace IronWasm.Cli;

/// <summary>What <c>ironwasm demo</c> was asked to do.</summary>
/// <param name="Ticks">App rounds per step.</param>
/// <param name="Interval">Time between rounds.</param>
/// <param name="OutputDirectory">Where the OLED pictures go (a folder under the temporary folder when null).</param>
internal sealed record DemoOptions(int Ticks, TimeSpan Interval, string? OutputDirectory)
{
    public static DemoOptions Default { get; } = new(3, TimeSpan.FromMilliseconds(150), null);
}

/// <summary><c>ironwasm demo</c>: the sensor-to-display app and its drivers, all WebAssembly guests
/// built into the command, on the built-in simulated hardware under the built-in policy: drivers
/// swapped while the app runs, a rogue driver denied and audited, GPIO and SPI apps, USB programs
/// (lsusb, ping, msc on a FAT stick, gamepad), and guests stopped by their limits. Needs no files
/// and no hardware.</summary>
internal static class DemoCommand
{
    private const string Bus = "sim-i2c-1";

    public static Command Create(CliConsole console)
    {
        var ticks = new Option<string>("--ticks") { Description = $"App rounds per step (default {DemoOptions.Default.Ticks}).", HelpName = "N" };
        var interval = new Option<string>("--interval")
        {
            Description = $"Time between rounds (default {DemoOptions.Default.Interval.TotalMilliseconds}ms; a bare number is milliseconds).",
            HelpName = "MS",
        };
        var output = new Option<string>("--out") { Description = "Where to save the OLED pictures (default: ironwasm-demo in the temporary folder).", HelpName = "DIR" };
        var demo = new Command("demo", "The sensor-to-display demo on built-in simulated hardware: Wasm drivers swapped while the app runs, a rogue driver denied by the policy, GPIO, SPI and USB programs, limits.")
        {
            ticks, interval, output,
        };
        demo.SetAction(parse => Execute(new DemoOptions(
            parse.GetValue(ticks) is { } t ? ParseTicks(t) : DemoOptions.Default.Ticks,
            parse.GetValue(interval) is { } i ? ParseInterval(i) : DemoOptions.Default.Interval,
            parse.GetValue(output)), console));
        return demo;
    }

    public static int Execute(DemoOptions options, CliConsole console)
    {
        var output = console.Out;
        output.WriteLine("IronWasm demo: an app and its hardware drivers, each an untrusted WebAssembly module, on simulated");
        output.WriteLine("hardware, each with exactly the access the policy grants it.");

        using var inventory = HardwareInventory.FromSimulation(SimulatedHardware.CreateDefault());
        var simulation = inventory.Simulation!;
        using var stick = UsbDemo.SwapInStick(simulation.Usb!);
        // Faster than the built-in drift, so the readings move within the seconds the demo takes.
        simulation.Environment.Drift = new EnvironmentDrift(42, TimeSpan.FromSeconds(6), Temperature: 2, Humidity: 6, Pressure: 2);
        var policy = new PolicyEngine(AccessPolicy.Parse(BuiltInGuests.ReadText("demo.policy.yaml"), "built-in demo policy"));
        var engine = new Engine();
        // The demo must end: a guest still waiting in the host after this long traps instead.
        using var safety = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var hardware = new HardwareHost(inventory, policy, cancellation: safety.Token);
        var demo = new Demo(options, output, engine, simulation);

        output.WriteLine();
        output.WriteLine($"Hardware: {Bus} with HTS221 0x5f, BME280 0x76, 16x2 LCD 0x27, TM1650 0x24, OLED 0x3c, EEPROM 0x50;");
        output.WriteLine("          SPI flash0 (W25Q16); GPIO led, button; USB echo device, gamepad, and a FAT16 stick made in memory");
        output.WriteLine("          (in place of the blank disk). (`ironwasm devices --sim default` lists the default.)");
        output.WriteLine("Policy:   sensor: 0x5f, 0x76 | display: 0x27, 0x24, 0x34-0x37, 0x3c | rogue-display: 0x27 |");
        output.WriteLine("          app: led, button, flash0, USB 1209:0001, class mass-storage, class hid");
        output.WriteLine("          Everything else is denied.");

        try
        {
            demo.Step(1, "The sensor-to-display app with the HTS221 driver and the HD44780 LCD driver");
            var deployment = DeviceDeployment.Start(engine, hardware, demo.Guest("apps/sensor_display"),
            [
                new DriverModule("sensor", demo.Guest("drivers/hts221"), new I2cAttachment(Bus, 0x5f)),
                new DriverModule("display", demo.Guest("drivers/lcd_hd44780"), new I2cAttachment(Bus, 0x27)),
            ]);
            foreach (var driver in deployment.Drivers) output.WriteLine($"   {driver}");
            demo.Ticks(deployment);

            demo.Step(2, "The display driver swapped for the TM1650 7-segment driver; the app instance goes on");
            demo.Swap(deployment, "display", "drivers/tm1650", 0x24);
            demo.Ticks(deployment);

            demo.Step(3, "Swapped again, for the SSD1306 OLED driver");
            demo.Swap(deployment, "display", "drivers/ssd1306", 0x3c);
            demo.Ticks(deployment, picture: false);
            demo.SaveOled("oled-hts221.png");

            demo.Step(4, "The sensor driver swapped for the BME280 driver: pressure too");
            demo.Swap(deployment, "sensor", "drivers/bme280", 0x76);
            demo.Ticks(deployment, picture: false);
            demo.SaveOled("oled-bme280.png");

            demo.Step(5, "A rogue display driver plugged in: it drives the LCD, and tries to read the EEPROM at 0x50");
            var eeprom = simulation.GetDevice<Eeprom24C02Device>("eeprom").ReadAll();
            demo.Swap(deployment, "display", "drivers/rogue_display", 0x27, guest: "rogue-display");
            demo.Ticks(deployment);
            output.WriteLine($"   the rogue driver now says: {deployment.QueryDriverName("display")}");
            if (policy.RecentAudit().LastOrDefault(r => r.Event == AuditEvent.Denied && r.Guest == "rogue-display") is { } denial)
                output.WriteLine($"   audit: {denial.ToJson()}");
            var counter = policy.Counters().FirstOrDefault(c => c.Guest == "rogue-display" && c.Interface == PolicyInterface.I2c);
            output.WriteLine($"   rogue-display on I2C: {counter.Granted} granted, {counter.Denied} denied; the EEPROM is " +
                (eeprom.AsSpan().SequenceEqual(simulation.GetDevice<Eeprom24C02Device>("eeprom").ReadAll()) ? "untouched" : "CHANGED"));

            demo.Step(6, "The button-LED app over wasi:gpio, with three scripted presses");
            demo.ButtonLed(DeviceDeployment.Start(engine, hardware, demo.Guest("apps/button_led"), []), simulation);

            demo.Step(7, "The SPI flash app over wasi:spi");
            var flash = DeviceDeployment.Start(engine, hardware, demo.Guest("apps/spi_flash"), []);
            demo.Report(flash.RunSpiFlash(0x1000, "hello from ironwasm"));
        }
        catch (DeploymentException e)
        {
            console.Err.WriteLine($"ironwasm: demo: {ModuleFile.OneLine(e.Message)}");
            return ExitCodes.Internal;
        }

        demo.Step(8, "USB programs (WASI commands over component:usb) as guest `app`, seeing only what it is granted");
        new UsbDemo(output, engine, inventory, hardware, policy, demo).Run();

        demo.Step(9, "Guests that never stop are stopped; the host carries on");
        RunToLimit(output, "(module (func $spin (export \"spin\") (loop (br 0))))", "spin", fuel: 5_000_000);
        RunToLimit(output, "(module (func $descend (export \"descend\") (call $descend)))", "descend", fuel: null);

        output.WriteLine();
        var all = policy.Counters();
        output.WriteLine($"Every guest ran in this one process, which is still here. Policy decisions: {all.Sum(c => c.Granted)} granted, {all.Sum(c => c.Denied)} denied.");
        return ExitCodes.Success;
    }

    /// <summary>The state of one demo run and its steps.</summary>
    private sealed class Demo(DemoOptions options, TextWriter output, Engine engine, SimulatedHardware simulation)
    {
        private readonly Dictionary<string, Module> _modules = new(StringComparer.Ordinal);
        private int _tick;

        public Module Guest(string name)
        {
            if (!_modules.TryGetValue(name, out var module))
                _modules[name] = module = Module.FromBytes(engine, Path.GetFileName(name), BuiltInGuests.Read(name + ".wasm"));
            return module;
        }

        public void Step(int number, string title)
        {
            output.WriteLine();
            output.WriteLine($"{number}. {title}");
        }

        public void Swap(DeviceDeployment deployment, string driver, string module, ushort address, string? guest = null)
        {
            var swapped = deployment.SwapDriver(driver, Guest(module), new I2cAttachment(Bus, address), guest);
            output.WriteLine($"   {swapped} (instance #{swapped.Generation})");
        }

        public void Ticks(DeviceDeployment deployment, bool picture = true)
        {
            for (int i = 0; i < options.Ticks; i++)
            {
                if (i > 0 || _tick > 0) Thread.Sleep(options.Interval);
                string shown = deployment.Tick();
                var air = simulation.Environment.Read();
                output.WriteLine(FormattableString.Invariant(
                    $"   tick {++_tick}: {shown.Replace("\n", " | ")}    (air: {air.Temperature:0.00} °C, {air.Humidity:0.0} %RH, {air.Pressure:0.0} hPa)"));
                if (picture && DisplayRendering.Render(deployment.SimulatedDeviceOf("display")) is { } drawn)
                    DisplayRendering.Write(output, drawn, "     ");
            }
        }

        public void SaveOled(string file)
        {
            var oled = simulation.GetDevice<Ssd1306Device>("oled");
            DisplayRendering.Write(output, DisplayRendering.Render(oled)!, "     ");
            string directory = options.OutputDirectory ?? Path.Combine(Path.GetTempPath(), "ironwasm-demo");
            try
            {
                Directory.CreateDirectory(directory);
                string path = Path.GetFullPath(Path.Combine(directory, file));
                oled.SavePng(path);
                output.WriteLine($"   the OLED as a picture: {path}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                output.WriteLine($"   (the OLED picture was not saved: {ModuleFile.OneLine(e.Message)})");
            }
        }

        /// <summary>Runs the app while a helper presses and releases the button until it returns.</summary>
        public void ButtonLed(DeviceDeployment deployment, SimulatedHardware hardware)
        {
            var button = hardware.Gpio.Button("button");
            using var done = new CancellationTokenSource();
            var presser = Task.Run(() =>
            {
                while (!done.IsCancellationRequested)
                {
                    done.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                    button.Press();
                    done.Token.WaitHandle.WaitOne(TimeSpan.FromMilliseconds(20));
                    button.Release();
                }
            });
            AppOutcome outcome;
            try
            {
                outcome = deployment.RunButtonLed(3);
            }
            finally
            {
                done.Cancel();
                presser.Wait();
            }
            Report(outcome);
            var led = hardware.Gpio.Led("led");
            output.WriteLine($"   the LED went {string.Join(", ", led.Changes.Select(c => c.On ? "on" : "off"))} (the last when the app gave its pins back)");
        }

        public void Report(AppOutcome outcome)
        {
            foreach (var line in outcome.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                output.WriteLine($"   {line}");
            if (!outcome.Succeeded) output.WriteLine("   (the app reported an error)");
        }
    }

    /// <summary>The USB part: the C programs of guests/usb on the simulated bus.</summary>
    private sealed class UsbDemo(TextWriter output, Engine engine, HardwareInventory inventory, HardwareHost hardware, PolicyEngine policy, Demo demo)
    {
        private const string StickFile = "Notes from the stick.txt";
        private const string StickText = "Written by `ironwasm demo` into a FAT16 image in memory; read by msc over USB.";

        /// <summary>Replaces the default simulation's blank disk by a 4 MiB FAT16 stick with two files,
        /// built in memory so the demo writes nothing.</summary>
        public static MassStorageDevice SwapInStick(SimulatedUsbBackend usb)
        {
            if (usb.PluggedDevices.OfType<MassStorageDevice>().FirstOrDefault() is { } blank) usb.Unplug(blank);
            var image = FatImageBuilder.ForSize(FatType.Fat16, 4 << 20, label: "DEMO STICK")
                .File("README.TXT", "hello from a USB stick\n"u8.ToArray())
                .File("notes/" + StickFile, System.Text.Encoding.UTF8.GetBytes(StickText + "\n"))
                .Build();
            var stick = MassStorageDevice.FromMemory(image, readOnly: true, name: "stick", serialNumber: "DEMO0001");
            usb.Plug(stick);
            return stick;
        }

        public void Run()
        {
            output.WriteLine("   (lsusb lists what the policy lets `app` see: the echo device, HID and mass-storage class)");
            Command(hardware, "lsusb");
            output.WriteLine("   (USB 2.0 high-speed timing model: one 32-byte bulk round trip is about 0.18 ms)");
            Command(hardware, "ping", "--type", "bulk", "--size", "32", "--count", "20");
            // The same program on a bus with zero latency: what the host itself costs per round trip.
            using (var fast = new HardwareInventory().Add(FastBus()))
            using (var fastHost = new HardwareHost(fast, policy))
            {
                output.WriteLine("   (a second bus, zero-latency: what the host and the guest cost)");
                Command(fastHost, "ping", "--type", "bulk", "--size", "32", "--count", "20");
            }
            Command(hardware, "msc", "ls", "/notes");
            Command(hardware, "msc", "cat", "/notes/" + StickFile);
            Gamepad();
            Denied();
        }

        private static SimulatedUsbBackend FastBus()
        {
            var bus = new SimulatedUsbBackend(UsbBusTiming.ZeroLatency, busNumber: 2, name: "sim-usb-fast");
            bus.Plug(new EchoDevice());
            return bus;
        }

        /// <summary>The gamepad program while a script presses, moves and releases, started once the
        /// program says it has claimed the pad (so its first state is the resting one).</summary>
        private void Gamepad()
        {
            var pad = (GamepadDevice)inventory.Simulation!.Usb!.PluggedDevices.First(d => d is GamepadDevice);
            // Steps far enough apart that each is a report of its own even on a busy machine.
            var script = GamepadInput.ParseScript("100ms press a; 200ms axis left-x 100; 300ms release a; 400ms press start; 500ms release start");
            using var claimed = new ManualResetEventSlim();
            using var finished = new CancellationTokenSource();
            using var stdout = new LineSignal(claimed);
            var player = Task.Run(() =>
            {
                try
                {
                    claimed.Wait(finished.Token);
                    pad.Play(script);
                }
                catch (OperationCanceledException)
                {
                    // The program ended without claiming the pad; it has said why.
                }
            });
            output.WriteLine("   (a script presses a, moves the left stick, releases a, and presses and releases start)");
            try
            {
                RunAs(hardware, "gamepad", stdout, "app", "--count", "6", "--duration", "3s");
            }
            finally
            {
                finished.Cancel();
                player.Wait();
            }
        }

        /// <summary>A guest granted no USB device: it sees none, and the refusal is audited.</summary>
        private void Denied()
        {
            const string guest = "rogue-display";
            // What `ironwasm run` says and audits before running a guest that may see no USB device.
            var note = new StringWriter();
            HardwareCommandRun.NoteUsbGrants(inventory, policy, guest, note);
            foreach (var line in note.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)) output.WriteLine($"   {line}");
            RunAs(hardware, "msc", null, guest, "ls");
            if (policy.RecentAudit().LastOrDefault(r => r.Event == AuditEvent.Denied && r.Guest == guest && r.Interface == PolicyInterface.Usb) is { } denial)
                output.WriteLine($"   audit: {denial.ToJson()}");
        }

        private void Command(HardwareHost host, string program, params string[] args) => RunAs(host, program, null, "app", args);

        /// <summary>Runs guests/usb/PROGRAM as <paramref name="guest"/>, as <c>ironwasm run</c> does, and
        /// shows what it printed (the machine-readable result lines of ping left out).</summary>
        private void RunAs(HardwareHost host, string program, Stream? stdout, string guest, params string[] args)
        {
            output.WriteLine($"   $ {string.Join(' ', args.Prepend(program).Select(a => a.Contains(' ') ? $"'{a}'" : a))}{(guest == "app" ? "" : $"    (as guest `{guest}`)")}");
            var module = demo.Guest("usb/" + program);
            using var captured = new MemoryStream();
            using var errors = new MemoryStream();
            var config = new WasiConfiguration().WithArgs([program, .. args]).WithStandardOutput(stdout ?? captured).WithStandardError(errors);
            int exit = 0;
            using (var context = new WasiContext(config))
            using (var store = new Store(engine))
            {
                var canonical = new CanonicalInstance();
                var linker = new Linker(engine).DefineWasi(context, module);
                host.DefineImports(linker, canonical, guest);
                try
                {
                    var instance = linker.Instantiate(store, module);
                    canonical.Bind(instance);
                    instance.GetFunction("_start")!.Invoke(ReadOnlySpan<WasmValue>.Empty, Span<WasmValue>.Empty);
                }
                catch (ExitException e)
                {
                    exit = e.ExitCode;
                }
                catch (TrapException trap)
                {
                    output.WriteLine($"   trap: {trap.Message} [{trap.Code}]");
                    exit = -1;
                }
                finally
                {
                    host.Release(canonical);
                }
            }
            string text = System.Text.Encoding.UTF8.GetString(((MemoryStream)(stdout ?? captured)).ToArray()) + System.Text.Encoding.UTF8.GetString(errors.ToArray());
            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                if (!line.StartsWith("result ", StringComparison.Ordinal)) output.WriteLine($"     {line}");
            if (exit != 0) output.WriteLine($"     (exit status {exit})");
        }
    }

    /// <summary>A guest's standard output that says when its first line is complete.</summary>
    private sealed class LineSignal(ManualResetEventSlim line) : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count)
        {
            base.Write(buffer, offset, count);
            if (buffer.AsSpan(offset, count).Contains((byte)'\n')) line.Set();
        }

        public override void Write(ReadOnlySpan<byte> buffer) => Write(buffer.ToArray(), 0, buffer.Length);
    }

    private static void RunToLimit(TextWriter output, string wat, string export, long? fuel)
    {
        var engine = new Engine(new Config().WithFuelConsumption(fuel is not null));
        using var store = new Store(engine);
        if (fuel is { } amount) store.Fuel = amount;
        var instance = new Linker(engine).Instantiate(store, Module.FromText(engine, export, wat));
        try
        {
            instance.GetAction(export)!();
            output.WriteLine("   the guest returned (unexpected)");
        }
        catch (TrapException trap)
        {
            string backtrace = trap.WasmBacktrace.Count > 0 ? $"; backtrace {trap.WasmBacktrace[0]} ... ({trap.WasmBacktrace.Count} frames)" : "";
            output.WriteLine($"   `{export}` trap: {trap.Message} [{trap.Code}]{backtrace}");
        }
    }

    private static int ParseTicks(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0 ? value
            : throw CliException.Usage($"--ticks: bad count '{text}': expected a whole number, 1 or more");

    private static TimeSpan ParseInterval(string text)
    {
        if (double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double ms)) return TimeSpan.FromMilliseconds(ms);
        return OptionValues.ParseDuration(text, out var error) ?? throw CliException.Usage($"--interval: {error}");
    }
}

/// <summary>The guests and the policy embedded in the command for the demo.</summary>
internal static class BuiltInGuests
{
    public static byte[] Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("guests/" + name)
            ?? throw new InvalidOperationException($"the built-in guest {name} is missing from the command");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static string ReadText(string name) => System.Text.Encoding.UTF8.GetString(Read(name));
}
