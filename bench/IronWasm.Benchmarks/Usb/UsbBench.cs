using System.Diagnostics;
using System.Globalization;
using System.Text;
using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Policy;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Benchmarks.Usb;

/// <summary>What <c>-- usb</c> was asked to do.</summary>
internal sealed record UsbBenchOptions
{
    public bool Ping { get; init; } = true;
    public bool MassStorage { get; init; } = true;
    public bool Footprint { get; init; } = true;
    public bool HighSpeed { get; init; } = true;
    public bool ZeroLatency { get; init; } = true;
    public int Count { get; init; } = 100;
    public int Runs { get; init; } = 10;
    public int PingRounds { get; init; } = 5;
    public int MscRounds { get; init; } = 3;
    public int MscSizeMiB { get; init; } = 8;
    /// <summary>At zero latency a 64 KiB command takes microseconds: more data per run, so that a run is not over before the clock can tell.</summary>
    public int ZeroMscSizeMiB { get; init; } = 64;
    public int MscBlockKiB { get; init; } = 64;
    public int DiskMiB { get; init; } = 64;
    public int FootprintRuns { get; init; } = 5;
    public string PingWasm { get; init; } = "guests/usb/ping.wasm";
    public string MscWasm { get; init; } = "guests/usb/msc.wasm";
    public string HelloWasm { get; init; } = "guests/hello.wasm";
    public string OutDirectory { get; init; } = "artifacts/usb-bench";

    public const string Usage = """
        usage: IronWasm.Benchmarks usb [options]
          the paper's USB evaluation on the simulated bus: each C guest (run in process) beside the
          same benchmark in C#, on the same backend, alternating, with the USB 2.0 timing model and
          at zero latency; then the footprint of the USB host (size, peak RSS)
          --only ping|msc|footprint   one part (repeatable); default: all
          --timing high|zero          one timing mode; default: both
          --count N                   pings per cell (100)         --ping-rounds N  (5)
          --runs N                    mass-storage runs (10)       --msc-rounds N   (3)
          --size MiB                  bytes per mass-storage run, timing modelled (8)
          --zero-size MiB             bytes per mass-storage run at zero latency (64)
          --block KiB                 bytes per READ(10)/WRITE(10) (64)
          --disk MiB                  size of the in-memory disk image (64; at least the run sizes)
          --footprint-runs N          child processes per variant (5)
          --ping FILE --msc FILE --hello FILE    the guests (default guests/usb/ping.wasm, guests/usb/msc.wasm, guests/hello.wasm)
          --out DIR                   where the report goes (artifacts/usb-bench)
        """;

    public static UsbBenchOptions Parse(string[] args)
    {
        var o = new UsbBenchOptions();
        var only = new HashSet<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            int Int() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 ? n : throw new ArgumentException($"{args[i - 1]} needs a positive whole number");
            switch (args[i])
            {
                case "--only": only.Add(Next() is "ping" or "msc" or "footprint" ? args[i] : throw new ArgumentException("--only takes ping, msc or footprint")); break;
                case "--timing":
                    string t = Next();
                    if (t is not ("high" or "zero")) throw new ArgumentException("--timing takes high or zero");
                    o = o with { HighSpeed = t == "high", ZeroLatency = t == "zero" };
                    break;
                case "--count": o = o with { Count = Int() }; break;
                case "--runs": o = o with { Runs = Int() }; break;
                case "--ping-rounds": o = o with { PingRounds = Int() }; break;
                case "--msc-rounds": o = o with { MscRounds = Int() }; break;
                case "--size": o = o with { MscSizeMiB = Int() }; break;
                case "--block": o = o with { MscBlockKiB = Int() }; break;
                case "--zero-size": o = o with { ZeroMscSizeMiB = Int() }; break;
                case "--disk": o = o with { DiskMiB = Int() }; break;
                case "--footprint-runs": o = o with { FootprintRuns = Int() }; break;
                case "--ping": o = o with { PingWasm = Next() }; break;
                case "--msc": o = o with { MscWasm = Next() }; break;
                case "--hello": o = o with { HelloWasm = Next() }; break;
                case "--out": o = o with { OutDirectory = Next() }; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (only.Count > 0) o = o with { Ping = only.Contains("ping"), MassStorage = only.Contains("msc"), Footprint = only.Contains("footprint") };
        if (o.MscBlockKiB > 16384) throw new ArgumentException("--block is at most 16384 KiB (a transfer's largest buffer)");
        if ((long)o.MscSizeMiB * 1024 % o.MscBlockKiB != 0) throw new ArgumentException("--size must be a whole number of --block");
        if ((long)o.ZeroMscSizeMiB * 1024 % o.MscBlockKiB != 0) throw new ArgumentException("--zero-size must be a whole number of --block");
        if (o.DiskMiB < Math.Max(o.MscSizeMiB, o.ZeroMscSizeMiB)) throw new ArgumentException("--disk must hold --size and --zero-size");
        return o;
    }
}

/// <summary>One figure, C# beside Wasm.</summary>
internal sealed record UsbFigure(string Timing, string Benchmark, string Cell, double Native, double NativeMin, double NativeMax, double? Wasm, double? WasmMin, double? WasmMax);

/// <summary>The USB evaluation: <c>dotnet run -c Release --project bench/IronWasm.Benchmarks -- usb</c>.</summary>
internal static class UsbBench
{
    public static int Run(string[] args)
    {
        if (args is ["footprint-child", .. var rest]) return UsbFootprint.Child(rest);
        if (args is ["--usage"] or ["--help"] or ["-h"])
        {
            Console.WriteLine(UsbBenchOptions.Usage);
            return 0;
        }
        UsbBenchOptions options;
        try
        {
            options = UsbBenchOptions.Parse(args);
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"usb: {e.Message}");
            Console.Error.WriteLine(UsbBenchOptions.Usage);
            return 2;
        }

        var report = new StringBuilder();
        void Say(string line = "")
        {
            Console.WriteLine(line);
            report.AppendLine(line);
        }
        var started = DateTime.UtcNow;
        Say($"# USB benchmarks, {started:yyyy-MM-dd HH:mm} UTC");
        Say();
        Say($"Machine: {Environment.ProcessorCount} cores, {CpuModel()}, {Environment.OSVersion}, .NET {Environment.Version}. Load average at start: {LoadAverage()}.");
        Say($"Options: ping count {options.Count} x {options.PingRounds} rounds; mass storage {options.MscSizeMiB} MiB per run (zero latency: {options.ZeroMscSizeMiB} MiB) in {options.MscBlockKiB} KiB commands, {options.Runs} runs x {options.MscRounds} rounds, on a {options.DiskMiB} MiB in-memory disk.");
        Say("Each cell: the median over rounds of each round's median (of `count` pings, or of `runs` runs); [min, max] over every sample. C# and Wasm take turns on the same backend instance: ping cell by cell (one guest run per cell), mass storage run by run (one guest run per run, its set-up untimed).");

        var engine = new Engine();
        var figures = new List<UsbFigure>();
        try
        {
            WasmUsbGuest? ping = LoadGuest(engine, options.PingWasm, options.Ping, Say);
            WasmUsbGuest? msc = LoadGuest(engine, options.MscWasm, options.MassStorage, Say);
            foreach (var (name, timing, enabled) in new[] { ("USB 2.0 high speed", UsbBusTiming.HighSpeed, options.HighSpeed), ("zero latency", UsbBusTiming.ZeroLatency, options.ZeroLatency) })
            {
                if (!enabled || !(options.Ping || options.MassStorage)) continue;
                using var bench = new UsbBenchBus(timing, options.DiskMiB);
                WarmUp(bench, ping, msc, options);
                if (options.Ping) figures.AddRange(RunPing(bench, name, ping, options));
                if (options.MassStorage) figures.AddRange(RunMassStorage(bench, name, msc, options));
                Say();
                Say($"## {name}");
                Say();
                foreach (var line in Table(figures.Where(f => f.Timing == name).ToList(), timing.IsZeroLatency, options)) Say(line);
            }
            if (options.Footprint)
            {
                Say();
                Say("## Footprint of the USB host");
                Say();
                foreach (var line in UsbFootprint.Measure(options)) Say(line);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or IOException or WasmException or UnauthorizedAccessException)
        {
            // A guest that traps, a module that does not load or link, a device that answers wrongly.
            Console.Error.WriteLine($"usb: {e.Message}");
            return 1;
        }
        Say();
        Say($"Load average at the end: {LoadAverage()}; took {(DateTime.UtcNow - started).TotalSeconds:F0} s.");
        Directory.CreateDirectory(options.OutDirectory);
        string file = Path.Combine(options.OutDirectory, $"usb-{started:yyyyMMdd-HHmmss}.md");
        File.WriteAllText(file, report.ToString());
        Console.WriteLine($"written to {file}");
        return 0;
    }

    private static WasmUsbGuest? LoadGuest(Engine engine, string path, bool wanted, Action<string> say)
    {
        if (!wanted) return null;
        if (!File.Exists(path))
        {
            say($"**{path} is missing: its Wasm column stays empty** (build the guests with guests/build.sh).");
            return null;
        }
        try
        {
            return new WasmUsbGuest(engine, path);
        }
        catch (WasmException e)
        {
            throw new InvalidOperationException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Untimed: both sides' code compiled and tiered up, the guests' modules compiled, the bus thread running.</summary>
    private static void WarmUp(UsbBenchBus bus, WasmUsbGuest? ping, WasmUsbGuest? msc, UsbBenchOptions options)
    {
        var samples = new long[50];
        int warmMiB = (options.MscBlockKiB + 1023) / 1024;
        for (int pass = 0; pass < 2; pass++)
        {
            if (options.Ping)
            {
                using (var native = NativePing.Open(bus.Echo))
                {
                    foreach (var type in UsbPingSizes.Types)
                    {
                        // Periodic round trips take milliseconds with timing modelled: fewer of them.
                        int count = type is UsbPingType.Interrupt or UsbPingType.Isochronous && !bus.Usb.Timing.IsZeroLatency ? 5 : samples.Length;
                        native.Run(type, UsbPingSizes.Largest, count, samples);
                    }
                }
                ping?.Run(bus.Inventory, bus.Policy, "--type", "all", "--size", "32", "--count", "5");
            }
            if (options.MassStorage)
            {
                using (var native = NativeMassStorage.Open(bus.DiskDevice, bus.Disk.BlockCount))
                {
                    foreach (var mode in Modes) native.Run(mode, (long)warmMiB << 20, options.MscBlockKiB << 10, 0);
                }
                msc?.Run(bus.Inventory, bus.Policy, "bench", "--mode", "all", "--size", warmMiB.ToString(CultureInfo.InvariantCulture), "--block", options.MscBlockKiB.ToString(CultureInfo.InvariantCulture), "--runs", "1", "--allow-write");
            }
        }
    }

    // ---- ping ---------------------------------------------------------------------------------------

    private static List<UsbFigure> RunPing(UsbBenchBus bus, string timingName, WasmUsbGuest? guest, UsbBenchOptions options)
    {
        var native = new Dictionary<(UsbPingType, int), List<double>>();
        var nativeAll = new Dictionary<(UsbPingType, int), List<double>>();
        var wasm = new Dictionary<(UsbPingType, int), List<(double Median, double Min, double Max)>>();
        var samples = new long[options.Count];
        string count = options.Count.ToString(CultureInfo.InvariantCulture);
        int turn = 0;
        for (int round = 0; round < options.PingRounds; round++)
        {
            foreach (var type in UsbPingSizes.Types)
            {
                foreach (int size in UsbPingSizes.All)
                {
                    var key = (type, size);
                    // Cell by cell, whoever went second goes first next time, so that a change in
                    // machine load touches both sides alike.
                    bool nativeFirst = turn++ % 2 == 0;
                    for (int side = 0; side < 2; side++)
                    {
                        if ((side == 0) == nativeFirst)
                        {
                            using var ping = NativePing.Open(bus.Echo);
                            ping.Run(type, size, options.Count, samples);
                            Add(native, key, Median(samples));
                            foreach (long s in samples) Add(nativeAll, key, s);
                        }
                        else if (guest is not null)
                        {
                            string output = guest.Run(bus.Inventory, bus.Policy, "--type", UsbPingSizes.Name(type), "--size", size.ToString(CultureInfo.InvariantCulture), "--count", count);
                            var result = WasmUsbGuest.Results(output).FirstOrDefault(r => r.GetValueOrDefault("type") == UsbPingSizes.Name(type) && r.GetValueOrDefault("size") == size.ToString(CultureInfo.InvariantCulture))
                                ?? throw new FormatException($"ping --type {UsbPingSizes.Name(type)} --size {size} printed no result line for it: {output.Trim()}");
                            string line = string.Join(' ', result.Select(p => $"{p.Key}={p.Value}"));
                            if (!wasm.TryGetValue(key, out var list)) wasm[key] = list = [];
                            list.Add((WasmUsbGuest.Number(result, "median_ns", line), WasmUsbGuest.Number(result, "min_ns", line), WasmUsbGuest.Number(result, "max_ns", line)));
                        }
                    }
                }
            }
        }
        var figures = new List<UsbFigure>();
        foreach (var type in UsbPingSizes.Types)
        {
            foreach (int size in UsbPingSizes.All)
            {
                var key = (type, size);
                var w = wasm.GetValueOrDefault(key);
                figures.Add(new UsbFigure(timingName, "ping", $"{UsbPingSizes.Name(type)} {size} B", Median(native[key]), nativeAll[key].Min(), nativeAll[key].Max(),
                    w is null ? null : Median(w.Select(x => x.Median).ToList()), w?.Min(x => x.Min), w?.Max(x => x.Max)));
            }
        }
        return figures;
    }

    // ---- mass storage ---------------------------------------------------------------------------------

    private static readonly MscMode[] Modes = [MscMode.SeqRead, MscMode.SeqWrite, MscMode.RandRead, MscMode.RandWrite];

    private static List<UsbFigure> RunMassStorage(UsbBenchBus bus, string timingName, WasmUsbGuest? guest, UsbBenchOptions options)
    {
        int sizeMiB = bus.Usb.Timing.IsZeroLatency ? options.ZeroMscSizeMiB : options.MscSizeMiB;
        long total = (long)sizeMiB << 20;
        int block = options.MscBlockKiB << 10;
        var native = new Dictionary<MscMode, List<double>>();
        var nativeAll = new Dictionary<MscMode, List<double>>();
        var wasm = new Dictionary<MscMode, List<double>>();
        var wasmAll = new Dictionary<MscMode, List<double>>();
        var nativeRuns = new List<double>();
        var wasmRuns = new List<double>();
        int turn = 0;
        for (int round = 0; round < options.MscRounds; round++)
        {
            foreach (var mode in Modes)
            {
                nativeRuns.Clear();
                wasmRuns.Clear();
                // Run by run: a guest run (one `msc bench --runs 1`, its device set-up untimed) and a
                // C# run take turns, so that both see the same machine.
                for (int run = 0; run < options.Runs; run++)
                {
                    bool nativeFirst = turn++ % 2 == 0;
                    for (int side = 0; side < 2; side++)
                    {
                        if ((side == 0) == nativeFirst)
                        {
                            using var disk = NativeMassStorage.Open(bus.DiskDevice, bus.Disk.BlockCount);
                            // Seed 0, as the guest's one-run invocations use: both sides visit the same positions.
                            nativeRuns.Add(disk.Run(mode, total, block, 0));
                        }
                        else if (guest is not null)
                        {
                            string[] args = ["bench", "--mode", NativeMassStorage.Name(mode), "--size", sizeMiB.ToString(CultureInfo.InvariantCulture),
                                "--block", options.MscBlockKiB.ToString(CultureInfo.InvariantCulture), "--runs", "1"];
                            if (NativeMassStorage.IsWrite(mode)) args = [.. args, "--allow-write"];
                            string output = guest.Run(bus.Inventory, bus.Policy, args);
                            var result = WasmUsbGuest.Results(output).FirstOrDefault(r => r.GetValueOrDefault("mode") == NativeMassStorage.Name(mode))
                                ?? throw new FormatException($"msc {string.Join(' ', args)} printed no result line for {NativeMassStorage.Name(mode)}: {output.Trim()}");
                            wasmRuns.Add(WasmUsbGuest.Number(result, "median_mib_s", string.Join(' ', result.Select(p => $"{p.Key}={p.Value}"))));
                        }
                    }
                }
                Add(native, mode, Median(nativeRuns));
                foreach (double r in nativeRuns) Add(nativeAll, mode, r);
                if (wasmRuns.Count > 0)
                {
                    Add(wasm, mode, Median(wasmRuns));
                    foreach (double r in wasmRuns) Add(wasmAll, mode, r);
                }
            }
        }
        return Modes.Select(mode =>
        {
            bool hasWasm = wasm.ContainsKey(mode);
            return new UsbFigure(timingName, "msc", NativeMassStorage.Name(mode), Median(native[mode]), nativeAll[mode].Min(), nativeAll[mode].Max(),
                hasWasm ? Median(wasm[mode]) : null, hasWasm ? wasmAll[mode].Min() : null, hasWasm ? wasmAll[mode].Max() : null);
        }).ToList();
    }

    // ---- tables ---------------------------------------------------------------------------------------

    private static IEnumerable<string> Table(List<UsbFigure> figures, bool zeroLatency, UsbBenchOptions options)
    {
        var pings = figures.Where(f => f.Benchmark == "ping").ToList();
        if (pings.Count > 0)
        {
            yield return $"Round trip (OUT then IN of the payload, checked), median of {options.Count}:";
            yield return "";
            yield return zeroLatency
                ? "| transfer | C# (ns) | Wasm (ns) | Wasm - C# per round trip (ns) | per transfer (ns) | C# [min, max] | Wasm [min, max] |"
                : "| transfer | C# (µs) | Wasm (µs) | Wasm / C# | C# [min, max] (µs) | Wasm [min, max] (µs) |";
            yield return zeroLatency ? "| --- | ---: | ---: | ---: | ---: | --- | --- |" : "| --- | ---: | ---: | ---: | --- | --- |";
            foreach (var f in pings)
            {
                if (zeroLatency)
                {
                    string diff = f.Wasm is { } w ? $"{w - f.Native:F0}" : "-";
                    string per = f.Wasm is { } w2 ? $"{(w2 - f.Native) / 2:F0}" : "-";
                    yield return $"| {f.Cell} | {f.Native:F0} | {Opt(f.Wasm, "F0")} | {diff} | {per} | [{f.NativeMin:F0}, {f.NativeMax:F0}] | {Range(f.WasmMin, f.WasmMax, 1, "F0")} |";
                }
                else
                {
                    yield return $"| {f.Cell} | {f.Native / 1000:F1} | {Opt(f.Wasm / 1000, "F1")} | {Ratio(f.Wasm, f.Native)} | [{f.NativeMin / 1000:F1}, {f.NativeMax / 1000:F1}] | {Range(f.WasmMin, f.WasmMax, 1000, "F1")} |";
                }
            }
            yield return "";
        }
        var msc = figures.Where(f => f.Benchmark == "msc").ToList();
        if (msc.Count > 0)
        {
            int block = options.MscBlockKiB << 10;
            yield return $"Mass storage, BOT + SCSI READ(10)/WRITE(10) of {options.MscBlockKiB} KiB, {(zeroLatency ? options.ZeroMscSizeMiB : options.MscSizeMiB)} MiB per run (writes end with SYNCHRONIZE CACHE), median of {options.Runs} runs:";
            yield return "";
            yield return zeroLatency
                ? "| mode | C# (MiB/s) | Wasm (MiB/s) | Wasm / C# | Wasm - C# per command (ns) | per transfer (ns) |"
                : "| mode | C# (MiB/s) | Wasm (MiB/s) | Wasm / C# | C# [min, max] | Wasm [min, max] |";
            yield return "| --- | ---: | ---: | ---: | ---: | ---: |";
            foreach (var f in msc)
            {
                if (zeroLatency)
                {
                    // A command is three transfers (CBW, data, CSW); time per command from the throughput.
                    double nativeNs = block / (f.Native * 1048576.0) * 1e9;
                    string diff = f.Wasm is { } w ? $"{block / (w * 1048576.0) * 1e9 - nativeNs:F0}" : "-";
                    string per = f.Wasm is { } w2 ? $"{(block / (w2 * 1048576.0) * 1e9 - nativeNs) / 3:F0}" : "-";
                    yield return $"| {f.Cell} | {f.Native:F1} | {Opt(f.Wasm, "F1")} | {Ratio(f.Wasm, f.Native)} | {diff} | {per} |";
                }
                else
                {
                    yield return $"| {f.Cell} | {f.Native:F2} | {Opt(f.Wasm, "F2")} | {Ratio(f.Wasm, f.Native)} | [{f.NativeMin:F2}, {f.NativeMax:F2}] | {Range(f.WasmMin, f.WasmMax, 1, "F2")} |";
                }
            }
            yield return "";
        }
    }

    private static string Opt(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static string Range(double? min, double? max, double scale, string format) =>
        min is { } a && max is { } b ? $"[{(a / scale).ToString(format, CultureInfo.InvariantCulture)}, {(b / scale).ToString(format, CultureInfo.InvariantCulture)}]" : "-";

    private static string Ratio(double? wasm, double native) =>
        wasm is { } w ? $"{w / native:F3} ({Signed((w / native - 1) * 100)}%)" : "-";

    /// <summary>A percentage or difference with its sign, "+0.0" when it rounds to nothing.</summary>
    internal static string Signed(double value)
    {
        double rounded = Math.Round(value, 1);
        return rounded == 0 ? "+0.0" : rounded.ToString("+0.0;-0.0", CultureInfo.InvariantCulture);
    }

    private static void Add<TKey>(Dictionary<TKey, List<double>> into, TKey key, double value) where TKey : notnull
    {
        if (!into.TryGetValue(key, out var list)) into[key] = list = [];
        list.Add(value);
    }

    internal static double Median(IReadOnlyList<double> values) => Measurement.Median(values);

    private static double Median(long[] values) => Median(values.Select(v => (double)v).ToArray());

    internal static string LoadAverage() => Measurement.LoadAverage();

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }
}

/// <summary>The simulated bus both sides use: an echo device and an in-memory disk, and the policy the guest runs under.</summary>
internal sealed class UsbBenchBus : IDisposable
{
    public UsbBenchBus(UsbBusTiming timing, int diskMiB)
    {
        Usb = new SimulatedUsbBackend(timing);
        Echo = Usb.Plug(new EchoDevice());
        Disk = MassStorageDevice.FromMemory(new byte[diskMiB << 20]);
        DiskDevice = Usb.Plug(Disk);
        Inventory = new HardwareInventory().Add(Usb);
        Policy = new PolicyEngine(AccessPolicy.Parse(WasmUsbGuest.PolicyYaml, "usb-bench.policy.yaml"));
    }

    public SimulatedUsbBackend Usb { get; }
    public IUsbDevice Echo { get; }
    public MassStorageDevice Disk { get; }
    public IUsbDevice DiskDevice { get; }
    public HardwareInventory Inventory { get; }
    public PolicyEngine Policy { get; }

    public void Dispose()
    {
        Inventory.Dispose();
        Disk.Dispose();
    }
}
