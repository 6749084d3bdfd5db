namespace IronWasm.Cli.Tests.Cli;

/// <summary><c>ironwasm run guests/usb/PROGRAM.wasm --sim ... --policy ...</c>: WASI commands that import
/// component:usb, run with the hardware host serving those imports.</summary>
public sealed class UsbCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("ironwasm-usb-run-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string Policy => Path.Combine(GuestPaths.RepositoryRoot, "src", "IronWasm.Hardware", "Policy", "example.policy.yaml");

    private static string Program(string name) => Path.Combine(GuestPaths.GuestsDirectory, "usb", name + ".wasm");

    private static GuestResult Run(params string[] args) => CliRun.InProcess(["run", "--no-cache", .. args]);

    private static string[] DeviceLines(GuestResult result) =>
        result.StandardOutput.Split('\n').Where(l => l.StartsWith("Bus ", StringComparison.Ordinal)).ToArray();

    private string WritePolicy(string yaml)
    {
        string path = Path.Combine(_temp, "usb.policy.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void LsusbListsEveryDeviceOfTheDefaultSimulationTheExamplePolicyGrants()
    {
        var result = Run(Program("lsusb"), "--sim", "default", "--policy", Policy);

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        var lines = DeviceLines(result);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("Bus 001 Device 002: ID 1209:0001 ", lines[0]);
        Assert.StartsWith("Bus 001 Device 003: ID 1209:0002 ", lines[1]);
        Assert.StartsWith("Bus 001 Device 004: ID 1209:0003 ", lines[2]);
        Assert.EndsWith("product \"Echo (ping) device\" serial \"ECHO0001\"", lines[0]);
    }

    [Fact]
    public void ArgumentsAfterTheDoubleDashAreTheGuests()
    {
        var result = Run(Program("lsusb"), "--sim", "default", "--policy", Policy, "--", "-v", "-d", "1209:0003");

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(DeviceLines(result));
        Assert.StartsWith("Bus 001 Device 004: ID 1209:0003 ", line);
        Assert.Contains("    interface 0 alt 0: class 03/00/00 (hid), 1 endpoints\n", result.StandardOutput);
    }

    [Fact]
    public void PingPrintsOneResultLinePerSizeAndTheGuestsExitStatus()
    {
        var result = Run(Program("ping"), "--sim", "usb:timing=zero-latency,echo", "--policy", Policy, "--", "--type", "bulk", "--count", "5");

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        var results = result.StandardOutput.Split('\n').Where(l => l.StartsWith("result ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(3, results.Length);
        Assert.All(results, l => Assert.Matches(@"^result type=bulk size=(4|16|32) count=5 median_ns=\d+ min_ns=\d+ max_ns=\d+$", l));
    }

    [Fact]
    public void AGuestThePolicyGrantsNoUsbSeesNoDevicesTheCliSaysWhyAndTheAuditRecordsIt()
    {
        string policy = WritePolicy("version: 1\nguests:\n  app:\n    spi:\n      - device: flash0\n");
        string audit = Path.Combine(_temp, "audit.jsonl");

        var result = Run(Program("lsusb"), "--sim", "default", "--policy", policy, "--audit", audit);

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(DeviceLines(result));
        Assert.Contains("no USB devices visible to this guest", result.StandardOutput);
        Assert.Equal("ironwasm: the policy grants guest `app` none of the 3 USB devices present: it will see none\n", result.StandardError);
        var denial = Assert.Single(File.ReadAllLines(audit), l => l.Contains("\"event\":\"denied\""));
        Assert.Contains("\"guest\":\"app\"", denial);
        Assert.Contains("\"operation\":\"list-devices\"", denial);
        Assert.Contains("\"reason\":\"resource-not-granted\"", denial);
    }

    [Fact]
    public void PingOfADeviceNotGrantedFailsWithAClearMessage()
    {
        string policy = WritePolicy("version: 1\nguests:\n  app:\n    usb:\n      - class: hid\n");

        var result = Run(Program("ping"), "--sim", "default", "--policy", policy);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ping: no echo device visible (1209:0001): it is not connected, or the policy does not grant it to this guest\n", result.StandardError);
    }

    [Fact]
    public void AnInterfaceDeniedByPolicyIsAuditedAndReported()
    {
        string policy = WritePolicy("version: 1\nguests:\n  app:\n    usb:\n      - vendor: 0x1209\n        product: 0x0001\n        interfaces: [0]\n");
        string audit = Path.Combine(_temp, "audit.jsonl");

        var result = Run(Program("ping"), "--sim", "usb:timing=zero-latency,echo", "--policy", policy, "--audit", audit, "--", "--type", "iso", "--count", "2");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("ping: iso: cannot claim interface 1: access denied by policy (or the device is open elsewhere)\n", result.StandardError);
        Assert.Contains(File.ReadAllLines(audit), l => l.Contains("\"event\":\"denied\"") && l.Contains("\"reason\":\"interface-not-granted\""));
    }

    [Fact]
    public void WithoutAPolicyTheGuestIsGrantedNothing()
    {
        var result = Run(Program("lsusb"), "--sim", "default");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("ironwasm: no --policy: guest `app` is granted no hardware (deny by default)\n", result.StandardError);
        Assert.Contains("no USB devices visible to this guest", result.StandardOutput);
    }

    [Fact]
    public void APlainRunOfAUsbCommandIsGrantedNothingRatherThanFailingToLink()
    {
        // No --sim: the machine's own USB (libusb, if installed), all of it denied.
        var result = Run(Program("lsusb"));

        Assert.StartsWith("ironwasm: no --policy: guest `app` is granted no hardware (deny by default)\n", result.StandardError);
        Assert.True(result.ExitCode is 0 or 1, $"exit {result.ExitCode}: {result.StandardError}");
        Assert.DoesNotContain("Bus ", result.StandardOutput);
    }

    [Fact]
    public void NameChoosesTheGuestThePolicyGrants()
    {
        string policy = WritePolicy("version: 1\nguests:\n  pad-reader:\n    usb:\n      - class: hid\n");

        var result = Run("--name", "pad-reader", Program("lsusb"), "--sim", "default", "--policy", policy);

        Assert.Equal(0, result.ExitCode);
        var line = Assert.Single(DeviceLines(result));
        Assert.StartsWith("Bus 001 Device 004: ID 1209:0003 ", line);
    }

    [Fact]
    public void TheGamepadReaderReadsTheDefaultSimulationsGamepad()
    {
        var result = Run(Program("gamepad"), "--sim", "default", "--policy", Policy, "--", "--count", "1");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("gamepad 1209:0003: interface 0, endpoint 0x81\nstate: buttons none; left-x 0 left-y 0 right-x 0 right-y 0\n1 reports\n", result.StandardOutput);
    }

    [Fact]
    public void DeviceAppOptionsAreRefusedForACommand()
    {
        var result = Run(Program("lsusb"), "--sim", "default", "--policy", Policy, "--ticks", "3");

        Assert.Equal(64, result.ExitCode);
        Assert.Contains("--ticks is for device apps", result.StandardError);
    }
}
