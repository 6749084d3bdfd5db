using System.Diagnostics;
using System.Globalization;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;
using IronWasm.Wasi;
using Digital = IronWasm.Hardware.Bindings.WasiGpio.Digital;
using General = IronWasm.Hardware.Bindings.WasiGpio.General;
using GpioAnalog = IronWasm.Hardware.Bindings.WasiGpio.Analog;
using GpioDelayBindings = IronWasm.Hardware.Bindings.WasiGpio.Delay;
using I2c = IronWasm.Hardware.Bindings.WasiI2c.I2c;
using I2cDelayBindings = IronWasm.Hardware.Bindings.WasiI2c.Delay;
using Poll = IronWasm.Hardware.Bindings.WasiGpio.Poll;
using Spi = IronWasm.Hardware.Bindings.WasiSpi.Spi;

namespace IronWasm.Benchmarks.Usb;

/// <summary>
/// What the USB host costs in size and memory, the paper's "footprint with the USB host added".
/// <para><b>Size.</b> The paper compares two Wasmtime binaries. Our USB host is not a build option
/// (HardwareHost defines the USB imports with the others), so we measure its share of the compiled
/// assemblies instead: the IL bodies of every type in IronWasm.Hardware.Usb (abstraction and
/// simulation), the generated component:usb bindings, the Usb* host types and the libusb backend, plus
/// the embedded wasi-usb WIT files; as a share of the runtime's own assemblies (IronWasm, .Wasi,
/// .Components, .Hardware and YamlDotNet, which .Hardware needs). Metadata (names, signatures) is not
/// counted in the lower bound; the estimate scales each assembly's file by its IL share.</para>
/// <para><b>Memory.</b> Peak RSS (VmHWM) of a child process that runs guests/hello.wasm with WASI and
/// the hardware host's I2C, SPI and GPIO imports, without and with the USB host: with it, the
/// component:usb imports are defined as well and a simulated USB 2.0 bus with the echo device is
/// created (its bus thread starts with the first transfer). Plus a third process that also runs ping.wasm (USB in use).
/// Child processes alternate; the median of each variant is reported.</para>
/// </summary>
internal static class UsbFootprint
{
    public static IEnumerable<string> Measure(UsbBenchOptions options)
    {
        var lines = new List<string>();
        lines.AddRange(Size());
        lines.Add("");
        lines.AddRange(Memory(options));
        return lines;
    }

    // ---- size --------------------------------------------------------------------------------------

    private static bool IsUsbType(string ns, string name) =>
        ns.StartsWith("IronWasm.Hardware.Usb", StringComparison.Ordinal)
        || ns.StartsWith("IronWasm.Hardware.Bindings.WasiUsb", StringComparison.Ordinal)
        || (ns == "IronWasm.Hardware.Hosts" && name.StartsWith("Usb", StringComparison.Ordinal))
        || ns.StartsWith("IronWasm.Hardware.Linux.Usb", StringComparison.Ordinal)
        || (ns.StartsWith("IronWasm.Hardware.Linux", StringComparison.Ordinal) && (name.StartsWith("Libusb", StringComparison.Ordinal) || name.StartsWith("Usb", StringComparison.Ordinal)));

    private static bool IsSimulation(string ns) => ns.StartsWith("IronWasm.Hardware.Usb.Simulation", StringComparison.Ordinal);

    private static List<string> Size()
    {
        string directory = Path.GetDirectoryName(typeof(HardwareHost).Assembly.Location)!;
        string[] assemblies = ["IronWasm.dll", "IronWasm.Wasi.dll", "IronWasm.Components.dll", "IronWasm.Hardware.dll", "YamlDotNet.dll"];
        long totalFile = 0, totalIl = 0, usbIl = 0, simIl = 0, usbResources = 0, hardwareFile = 0, hardwareIl = 0;
        int usbTypes = 0, usbMethods = 0;
        foreach (string name in assemblies)
        {
            string path = Path.Combine(directory, name);
            long file = new FileInfo(path).Length;
            totalFile += file;
            using var pe = new PEReader(File.OpenRead(path));
            var md = pe.GetMetadataReader();
            bool hardware = name == "IronWasm.Hardware.dll";
            foreach (var handle in md.TypeDefinitions)
            {
                var type = md.GetTypeDefinition(handle);
                // Nested types (closures, state machines) count with the type that declares them.
                var outer = type;
                while (outer.GetDeclaringType() is { IsNil: false } parent) outer = md.GetTypeDefinition(parent);
                string ns = md.GetString(outer.Namespace), typeName = md.GetString(outer.Name);
                bool usb = hardware && IsUsbType(ns, typeName);
                if (usb && outer.Equals(type)) usbTypes++;
                foreach (var methodHandle in type.GetMethods())
                {
                    var method = md.GetMethodDefinition(methodHandle);
                    if (method.RelativeVirtualAddress == 0) continue;
                    int size = pe.GetMethodBody(method.RelativeVirtualAddress).Size;
                    totalIl += size;
                    if (hardware) hardwareIl += size;
                    if (!usb) continue;
                    usbIl += size;
                    usbMethods++;
                    if (IsSimulation(ns)) simIl += size;
                }
            }
            if (hardware)
            {
                hardwareFile = file;
                foreach (var resourceHandle in md.ManifestResources)
                {
                    var resource = md.GetManifestResource(resourceHandle);
                    if (!md.GetString(resource.Name).Contains("wasi-usb", StringComparison.Ordinal)) continue;
                    var bytes = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress).GetReader();
                    bytes.Offset = (int)resource.Offset;
                    usbResources += bytes.ReadInt32() + 4;
                }
            }
        }
        long lower = usbIl + usbResources;
        long hostOnly = usbIl - simIl + usbResources;
        double estimate = (double)usbIl / hardwareIl * (hardwareFile - usbResources) + usbResources;
        double estimateHost = (double)(usbIl - simIl) / hardwareIl * (hardwareFile - usbResources) + usbResources;
        long without = totalFile - (long)estimate;
        return
        [
            $"Size: {usbTypes} USB types, {usbMethods} methods with bodies, and {usbResources / 1024.0:F1} KiB of embedded wasi-usb WIT, in IronWasm.Hardware.dll ({hardwareFile / 1024.0:F0} KiB); the runtime's assemblies ({string.Join(", ", assemblies)}) are {totalFile / 1024.0:F0} KiB, {totalIl / 1024.0:F0} KiB of it IL.",
            "",
            "| part | IL + embedded WIT (KiB) | estimate with metadata (KiB) | added to the runtime without it |",
            "| --- | ---: | ---: | ---: |",
            $"| USB host: bindings, Hosts/Usb*, Usb/ abstraction, libusb backend | {hostOnly / 1024.0:F1} | {estimateHost / 1024.0:F1} | {Percent(hostOnly, totalFile - hostOnly)} to {Percent(estimateHost, totalFile - estimateHost)} |",
            $"| + the simulated bus and devices (Usb/Simulation) | {lower / 1024.0:F1} | {estimate / 1024.0:F1} | {Percent(lower, totalFile - lower)} to {Percent(estimate, without)} |",
        ];
    }

    private static string Percent(double part, double of) => $"+{part / of * 100:F1}%";

    // ---- memory ------------------------------------------------------------------------------------

    private static List<string> Memory(UsbBenchOptions options)
    {
        if (!File.Exists(options.HelloWasm)) return [$"Peak RSS: not measured, {options.HelloWasm} is missing."];
        var variants = new List<(string Name, string Label)>
        {
            ("without", "hello.wasm; WASI + I2C/SPI/GPIO host"),
            ("with", "hello.wasm; + component:usb host, simulated bus with the echo device"),
        };
        if (File.Exists(options.PingWasm)) variants.Add(("with-ping", "+ ping.wasm --type bulk --count 100 after hello (USB in use)"));
        var peaks = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (int run = 0; run < options.FootprintRuns; run++)
        {
            foreach (var (name, _) in run % 2 == 0 ? variants : Enumerable.Reverse(variants))
                peaks[name].Add(ChildPeak(name, options));
        }
        double baseline = UsbBench.Median(peaks["without"]);
        var lines = new List<string>
        {
            $"Peak RSS (VmHWM) of a child process, median of {options.FootprintRuns} (variants alternating):",
            "",
            "| process | peak RSS (MiB) | [min, max] | against without |",
            "| --- | ---: | --- | ---: |",
        };
        foreach (var (name, label) in variants)
        {
            double median = UsbBench.Median(peaks[name]);
            lines.Add($"| {label} | {median / 1024:F1} | [{peaks[name].Min() / 1024:F1}, {peaks[name].Max() / 1024:F1}] | {(name == "without" ? "" : $"{UsbBench.Signed((median / baseline - 1) * 100)}% ({UsbBench.Signed((median - baseline) / 1024)} MiB)")} |");
        }
        return lines;
    }

    private static double ChildPeak(string variant, UsbBenchOptions options) =>
        double.Parse(Measurement.RunChild(["usb", "footprint-child", variant, options.HelloWasm, options.PingWasm], "peak_rss_kb=", $"footprint child `{variant}`"),
            CultureInfo.InvariantCulture);

    /// <summary>The child: runs the variant, prints its peak RSS.</summary>
    public static int Child(string[] args)
    {
        if (args.Length != 3 || args[0] is not ("without" or "with" or "with-ping"))
        {
            Console.Error.WriteLine("usage: usb footprint-child without|with|with-ping HELLO.wasm PING.wasm");
            return 2;
        }
        bool usb = args[0] != "without";
        var engine = new Engine();
        var policy = new PolicyEngine(AccessPolicy.Parse(WasmUsbGuest.PolicyYaml, "usb-bench.policy.yaml"));
        using var inventory = new HardwareInventory();
        if (usb)
        {
            var backend = new SimulatedUsbBackend(UsbBusTiming.HighSpeed);
            backend.Plug(new EchoDevice());
            inventory.Add(backend);
        }
        var hello = Module.FromFile(engine, args[1]);
        using (var host = new HardwareHost(inventory, policy))
        using (var context = new WasiContext(new WasiConfiguration().WithArgs("hello").WithStandardOutput(Stream.Null)))
        using (var store = new Store(engine))
        {
            var linker = new Linker(engine).DefineWasi(context, hello);
            var canonical = new CanonicalInstance();
            if (usb) host.DefineImports(linker, canonical, WasmUsbGuest.GuestName);
            else DefineAllButUsb(host, linker, canonical);
            int exit = WasiCommand.Run(linker, store, hello);
            if (exit != 0) throw new InvalidOperationException($"hello exited with {exit}");
        }
        if (args[0] == "with-ping")
        {
            var ping = new WasmUsbGuest(engine, args[2]);
            ping.Run(inventory, policy, "--type", "bulk", "--count", "100");
        }
        string status = File.ReadAllText("/proc/self/status");
        string hwm = status.Split('\n').First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        Console.WriteLine($"peak_rss_kb={hwm["VmHWM:".Length..].Trim().Split(' ')[0]}");
        return 0;
    }

    // HardwareHost.DefineImports without its three component:usb lines.
    private static void DefineAllButUsb(HardwareHost host, Linker linker, CanonicalInstance instance)
    {
        var scope = new GuestScope(host, WasmUsbGuest.GuestName, instance);
        var gpio = new GpioHost(scope);
        I2c.Define(linker, instance);
        I2cDelayBindings.Define(linker, instance);
        Spi.Define(linker, instance, new SpiHost(scope));
        General.Define(linker, instance);
        Digital.Define(linker, instance, gpio);
        GpioAnalog.Define(linker, instance, gpio);
        Poll.Define(linker, instance, new PollHost(host.Timing));
        GpioDelayBindings.Define(linker, instance);
    }
}
