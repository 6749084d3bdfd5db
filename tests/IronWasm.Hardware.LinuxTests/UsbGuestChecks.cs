using System.Diagnostics;
using System.Text.RegularExpressions;

namespace IronWasm.Hardware.LinuxTests;

/// <summary>The Wasm USB programs of guests/usb (lsusb, ping, msc) run through the real
/// <c>ironwasm run</c> (no <c>--sim</c>: the Linux inventory, USB through libusb) against the
/// configfs gadgets of tests/vm/usb-gadgets.sh, under tests/vm/usb-guests.policy.yaml. Each check
/// judges one CLI process; linux-backends.sh builds the CLI (Release) on the host and names its
/// IronWasm.Cli.dll in IRONWASM_VM_CLI and the checkout in IRONWASM_VM_REPO.</summary>
internal static partial class UsbGuestChecks
{
    private const string Policy = "tests/vm/usb-guests.policy.yaml";
    private const string DeniedGuest = "no-disk";
    // Under TCG a CLI start takes seconds; a hung guest must still not hang the VM run.
    private static readonly TimeSpan CliTimeout = TimeSpan.FromSeconds(120);

    public static void Run(Checks checks)
    {
        string? cli = Environment.GetEnvironmentVariable("IRONWASM_VM_CLI");
        string? repo = Environment.GetEnvironmentVariable("IRONWASM_VM_REPO");
        string? mscFile = Environment.GetEnvironmentVariable("IRONWASM_VM_USB_MSC_FILE");
        if (Environment.GetEnvironmentVariable("IRONWASM_VM_USB_LB") is null || mscFile is null)
        {
            checks.Skip("usb guests", "no USB gadgets (tests/vm/usb-gadgets.sh sets them up on dummy_hcd)");
            return;
        }
        if (cli is null || repo is null || !File.Exists(cli) || !Directory.Exists(Path.Combine(repo, "guests", "usb")))
        {
            checks.Skip("usb guests", "no CLI build or checkout (IRONWASM_VM_CLI, IRONWASM_VM_REPO: tests/vm/linux-backends.sh sets them)");
            return;
        }
        int colon = mscFile.IndexOf(':');
        if (colon <= 0)
        {
            checks.Skip("usb guests", $"IRONWASM_VM_USB_MSC_FILE is \"{mscFile}\", not NAME:CONTENT");
            return;
        }
        string fileName = mscFile[..colon];
        // usb-gadgets.sh writes the content with printf '...\n'.
        string fileContent = mscFile[(colon + 1)..] + "\n";
        var runner = new CliRunner(cli, repo);
        var started = Stopwatch.StartNew();
        var ownCpu = Environment.CpuUsage.TotalTime;
        // One after the other: two at a time on the VM's two TCG CPUs was measured no faster in total
        // (149 s for the six, the slowest 60 s), and two msc runs would contend for the disk.
        var lsusb = runner.Run("lsusb", null);
        var ping = runner.Run("ping", null, "--device", "1209:000a", "--interface", "1", "--type", "bulk", "--size", "4,16,32", "--count", "5");
        var info = runner.Run("msc", null, "--device", "1209:000b", "info");
        var ls = runner.Run("msc", null, "--device", "1209:000b", "ls");
        var cat = runner.Run("msc", null, "--device", "1209:000b", "cat", fileName);
        var denied = runner.Run("msc", DeniedGuest, "--device", "1209:000b", "info");
        ownCpu = Environment.CpuUsage.TotalTime - ownCpu;
        var elapsed = started.Elapsed;

        checks.Run("usb guests: lsusb.wasm lists the three gadgets the policy grants and not dummy_hcd's root hubs", () =>
        {
            var r = lsusb;
            if (r.Problem(0) is { } p) return p;
            var ids = r.StandardOutput.Split('\n').Where(l => l.StartsWith("Bus ", StringComparison.Ordinal))
                .Select(l => BusLineId().Match(l)).Select(m => m.Success ? m.Groups[1].Value : "?").Order(StringComparer.Ordinal).ToArray();
            return Checks.Expect("1209:000a 1209:000b 1209:000c", string.Join(' ', ids), "devices listed")
                ?? (r.StandardOutput.Contains("\"IronWasm loopback\"", StringComparison.Ordinal) ? null : $"no product string of the loopback gadget in: {r.StandardOutput}");
        });

        checks.Run("usb guests: ping.wasm bulk round trips on the loopback interface, bytes compared, 4/16/32 bytes", () =>
        {
            var r = ping;
            if (r.Problem(0) is { } p) return p;
            var sizes = r.StandardOutput.Split('\n').Select(l => PingResult().Match(l)).Where(m => m.Success)
                .Select(m => m.Groups[1].Value).ToArray();
            return Checks.Expect("4 16 32", string.Join(' ', sizes), $"result lines (type=bulk count=5) in: {r.StandardOutput}");
        });

        checks.Run("usb guests: msc.wasm info: the gadget's 8 MiB disk, FAT16 with label IRONWASM", () =>
        {
            var r = info;
            if (r.Problem(0) is { } p) return p;
            foreach (string expected in new[] { "device:      1209:000b", "capacity:    16384 blocks of 512 bytes, 8388608 bytes", "filesystem:  FAT16, bare volume", "label:       IRONWASM" })
                if (!r.StandardOutput.Split('\n').Any(l => l.StartsWith(expected, StringComparison.Ordinal))) return $"no line \"{expected}...\" in: {r.StandardOutput}";
            return null;
        });

        checks.Run($"usb guests: msc.wasm ls shows {fileName} with its size", () =>
        {
            var r = ls;
            if (r.Problem(0) is { } p) return p;
            var line = r.StandardOutput.Split('\n').FirstOrDefault(l => l.EndsWith("  " + fileName, StringComparison.Ordinal));
            if (line is null) return $"no {fileName} in: {r.StandardOutput}";
            return line.StartsWith('-') && line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == fileContent.Length.ToString()
                ? null : $"entry \"{line}\": expected a file of {fileContent.Length} bytes";
        });

        checks.Run($"usb guests: msc.wasm cat {fileName} prints exactly its content", () =>
        {
            var r = cat;
            return r.Problem(0) ?? Checks.Expect(fileContent, r.StandardOutput, "standard output");
        });

        checks.Run($"usb guests: msc.wasm as guest `{DeniedGuest}`, not granted the disk's interface, fails with the access error", () =>
        {
            var r = denied;
            if (r.Problem(1) is { } p) return p;
            return r.StandardError.Split('\n').Any(l => l.StartsWith("msc: ", StringComparison.Ordinal) && l.Contains("1209:000b", StringComparison.Ordinal)
                    && l.Contains("access denied by policy", StringComparison.Ordinal))
                ? null : $"no \"msc: ... 1209:000b ... access denied by policy\" line in standard error: {r.StandardError}";
        });
        // Not a check: what the CLI runs cost the VM run.
        Console.WriteLine($"usb guests: {runner.Runs} ironwasm runs took {elapsed.TotalSeconds:F1} s ({string.Join(", ", runner.Durations.Select(d => d.TotalSeconds.ToString("F1")))} s); "
            + $"this program used {ownCpu.TotalSeconds:F1} s of CPU meanwhile");
    }

    [GeneratedRegex(@"^Bus \d+ Device \d+: ID ([0-9a-f]{4}:[0-9a-f]{4}) ")]
    private static partial Regex BusLineId();

    [GeneratedRegex(@"^result type=bulk size=(\d+) count=5 median_ns=\d+ min_ns=\d+ max_ns=\d+$")]
    private static partial Regex PingResult();

    private sealed record CliResult(string Command, int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>Null when the exit status is <paramref name="expected"/>, else what happened.</summary>
        public string? Problem(int expected) => ExitCode == expected
            ? null
            : $"`{Command}` exited {ExitCode}, expected {expected}; stdout: {StandardOutput.TrimEnd()}; stderr: {StandardError.TrimEnd()}";
    }

    private sealed class CliRunner(string cli, string repo)
    {
        // The dotnet host running this program runs the CLI too.
        private readonly string _dotnet = Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";

        private readonly List<TimeSpan> _durations = [];

        public int Runs => _durations.Count;
        public IReadOnlyList<TimeSpan> Durations => _durations;

        public CliResult Run(string program, string? guest, params string[] guestArgs)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                return RunOnce(program, guest, guestArgs);
            }
            catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Judged by the check, not thrown past it: the process could not start.
                return new CliResult($"ironwasm run guests/usb/{program}.wasm", -1, "", $"{e.GetType().Name}: {e.Message}");
            }
            finally
            {
                _durations.Add(clock.Elapsed);
            }
        }

        private CliResult RunOnce(string program, string? guest, string[] guestArgs)
        {
            var start = new ProcessStartInfo(_dotnet)
            {
                WorkingDirectory = repo,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(cli);
            start.ArgumentList.Add("run");
            start.ArgumentList.Add($"guests/usb/{program}.wasm");
            start.ArgumentList.Add("--policy");
            start.ArgumentList.Add(Policy);
            if (guest is not null)
            {
                start.ArgumentList.Add("--name");
                start.ArgumentList.Add(guest);
            }
            start.ArgumentList.Add("--");
            foreach (string a in guestArgs) start.ArgumentList.Add(a);
            string command = $"ironwasm run guests/usb/{program}.wasm{(guest is null ? "" : " --name " + guest)} -- {string.Join(' ', guestArgs)}";

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_dotnet}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(CliTimeout))
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
                return new CliResult(command, -1, stdout.Result, $"(killed after {CliTimeout.TotalSeconds} s) {stderr.Result}");
            }
            return new CliResult(command, process.ExitCode, stdout.Result, stderr.Result);
        }
    }
}
