namespace IronWasm.Cli.Tests.Cli;

/// <summary><c>ironwasm run APP --driver ... --policy ... --sim ...</c>: device apps with their drivers.</summary>
public sealed class DeviceRunTests : IDisposable
{
    // A still environment, so what the sensors read is known: 23.4 °C, 51 %RH, 1008 hPa.
    private const string Board = "i2c:sim-i2c-1=hts221@0x5f,bme280@0x76,hd44780@0x27(name=lcd),tm1650@0x24,24c02@0x50(name=eeprom);" +
        "env:temperature=23.42,humidity=51.3,pressure=1008.2";

    private readonly string _temp = Directory.CreateTempSubdirectory("ironwasm-device-run-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string Policy => Path.Combine(GuestPaths.RepositoryRoot, "src", "IronWasm.Hardware", "Policy", "example.policy.yaml");

    private static string Driver(string name) => Path.Combine(GuestPaths.GuestsDirectory, "drivers", name + ".wasm");

    private static string App(string name) => Path.Combine(GuestPaths.GuestsDirectory, "apps", name + ".wasm");

    private static GuestResult Run(params string[] args) => CliRun.InProcess(["run", "--no-cache", .. args]);

    [Fact]
    public void TheAppRunsWithItsDriversOnTheSimulationPrintingEachTickAndTheDisplay()
    {
        var result = Run(App("sensor_display"), "--driver", $"sensor={Driver("hts221")}@sim-i2c-1:0x5f", "--driver", $"display={Driver("lcd_hd44780")}@sim-i2c-1:0x27",
            "--policy", Policy, "--sim", Board, "--ticks", "2", "--interval", "0");

        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        var output = result.StandardOutput;
        Assert.Contains("driver sensor: hts221 1.0 (module `hts221`, guest `sensor`) at sim-i2c-1/0x5f\n", output);
        Assert.Contains("driver display: hd44780-pcf8574 1.0 (module `lcd_hd44780`, guest `display`) at sim-i2c-1/0x27\n", output);
        Assert.Contains("tick 1: 23.4 C 51 %\n  +----------------+ backlight on\n  |23.4 C 51 %     |\n  |                |\n  +----------------+\n", output);
        Assert.Contains("tick 2: 23.4 C 51 %\n", output);
        Assert.DoesNotContain("tick 3", output);
    }

    [Fact]
    public void CompiledDriversRunWithAllowPrecompiledAndAreRefusedWithoutIt()
    {
        string sensor = Path.Combine(_temp, "hts221.iwm");
        Assert.Equal(0, CliRun.InProcess(["compile", Driver("hts221"), "-o", sensor]).ExitCode);
        string[] device = [App("sensor_display"), "--driver", $"sensor={sensor}@sim-i2c-1:0x5f", "--driver", $"display={Driver("lcd_hd44780")}@sim-i2c-1:0x27",
            "--policy", Policy, "--sim", Board, "--ticks", "1", "--interval", "0"];

        var refused = Run(device);
        Assert.Equal(65, refused.ExitCode);
        Assert.Contains("is a compiled module, whose code runs outside the WebAssembly sandbox; run it with --allow-precompiled", refused.StandardError);
        Assert.DoesNotContain("tick 1", refused.StandardOutput);

        var result = Run(["--allow-precompiled", .. device]);
        Assert.Equal("", result.StandardError);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("driver sensor: hts221 1.0 (module `hts221`, guest `sensor`) at sim-i2c-1/0x5f\n", result.StandardOutput);
        Assert.Contains("tick 1: 23.4 C 51 %\n", result.StandardOutput);
    }

    [NativeCodeFact]
    public void DriversCompiledToNativeCodeRunAsTheirWasmDoes()
    {
        string sensor = Path.Combine(_temp, "bme280.iwm"), display = Path.Combine(_temp, "tm1650.iwm");
        Assert.Equal(0, CliRun.InProcess(["compile", "--native", Driver("bme280"), "-o", sensor]).ExitCode);
        Assert.Equal(0, CliRun.InProcess(["compile", "--native", Driver("tm1650"), "-o", display]).ExitCode);
        string[] options = ["--policy", Policy, "--sim", Board, "--ticks", "2", "--interval", "0"];

        var fromWasm = Run([App("sensor_display"), "--driver", $"sensor={Driver("bme280")}@sim-i2c-1:0x76", "--driver", $"display={Driver("tm1650")}@sim-i2c-1:0x24", .. options]);
        var native = Run(["--allow-precompiled", App("sensor_display"), "--driver", $"sensor={sensor}@sim-i2c-1:0x76", "--driver", $"display={display}@sim-i2c-1:0x24", .. options]);
        Assert.Equal((0, ""), (native.ExitCode, native.StandardError));
        Assert.Contains("tick 2:", native.StandardOutput);
        Assert.Equal(fromWasm.StandardOutput, native.StandardOutput);
    }

    [Fact]
    public void OptionsMayAlsoComeBeforeTheApp()
    {
        var result = Run("--policy", Policy, "--sim", Board, "--driver", $"sensor={Driver("bme280")}@sim-i2c-1:0x76", "--driver", $"display={Driver("tm1650")}@sim-i2c-1:0x24",
            "--ticks", "1", App("sensor_display"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tick 1: 23.4\n", result.StandardOutput);
        Assert.Contains("|", result.StandardOutput);
    }

    [Fact]
    public void TheRogueDriverIsDeniedTheEepromAndTheDenialIsAppendedToTheAuditFile()
    {
        string audit = Path.Combine(_temp, "audit.jsonl");

        var result = Run(App("sensor_display"), "--driver", $"sensor={Driver("hts221")}@sim-i2c-1:0x5f", "--driver", $"rogue-display={Driver("rogue_display")}@sim-i2c-1:0x27",
            "--policy", Policy, "--sim", Board, "--ticks", "2", "--interval", "0", "--audit", audit);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("tick 2: 23.4 C 51 %\n", result.StandardOutput);
        var denials = File.ReadAllLines(audit).Where(l => l.Contains("\"event\":\"denied\"")).ToList();
        Assert.Equal(2, denials.Count);
        Assert.All(denials, line => Assert.Contains("\"guest\":\"rogue-display\",\"interface\":\"i2c\",\"resource\":\"sim-i2c-1/0x50\"", line));
    }

    [Fact]
    public void TheSpiFlashAppWritesAndReadsBackItsArguments()
    {
        var result = Run(App("spi_flash"), "--policy", Policy, "--sim", "spi:flash0=w25q16(timing=instant)", "0x2000", "hi there");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("read back \"hi there\": match", result.StandardOutput);
    }

    [Fact]
    public void TheButtonLedAppTogglesTheLedOnTheSimulationsScriptedPresses()
    {
        var result = Run(App("button_led"), "--policy", Policy, "--sim", "gpio:led=led,button=button(pressed=low,presses=20ms,hold=10ms,repeat=40ms)", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("press 1: led on\npress 2: led off", result.StandardOutput);
    }

    [Fact]
    public void AnAppImportWithoutADriverIsAClearErrorAndNoTick()
    {
        var result = Run(App("sensor_display"), "--driver", $"sensor={Driver("hts221")}", "--policy", Policy, "--sim", Board, "--ticks", "1");

        Assert.Equal(65, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
        Assert.Equal("ironwasm: error: the app (sensor-display-app) imports ironwasm:devices/display@0.1.0, but no driver exports it " +
            "(drivers: sensor = module `hts221` (sensor-driver)); add one: --driver NAME=FILE\n", result.StandardError);
    }

    [Fact]
    public void ADriverThatFailsToAttachIsReportedWithItsOwnMessage()
    {
        var result = Run(App("sensor_display"), "--driver", $"sensor={Driver("hts221")}@sim-i2c-1:0x76", "--driver", $"display={Driver("lcd_hd44780")}@sim-i2c-1:0x27",
            "--policy", Policy, "--sim", Board, "--ticks", "1");

        Assert.Equal(65, result.ExitCode);
        Assert.StartsWith("ironwasm: error: driver `sensor` (module `hts221`) failed to attach at sim-i2c-1/0x76: hts221 at 0x76: ", result.StandardError);
    }

    [Fact]
    public void ADriverThatNeverReturnsIsStoppedByFuelAndReportedWithItsBacktrace()
    {
        string spinning = Path.Combine(_temp, "spinning.wat");
        File.WriteAllText(spinning, """
            (module
              (memory (export "memory") 1)
              (data (i32.const 256) "spinning 1.0")
              (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) i32.const 1024)
              (func (export "ironwasm:devices/i2c-attach@0.1.0#attach") (param i32 i32 i32) (result i32)
                (i32.store8 (i32.const 64) (i32.const 0)) i32.const 64)
              (func (export "ironwasm:devices/sensor@0.1.0#driver-name") (result i32)
                (i32.store (i32.const 128) (i32.const 256)) (i32.store (i32.const 132) (i32.const 12)) i32.const 128)
              (func $spin (loop (br 0)))
              (func (export "ironwasm:devices/sensor@0.1.0#read") (result i32) (call $spin) i32.const 0))
            """);

        var result = Run("--fuel", "10000000", App("sensor_display"), "--driver", $"sensor={spinning}@sim-i2c-1:0x5f",
            "--driver", $"display={Driver("tm1650")}@sim-i2c-1:0x24", "--policy", Policy, "--sim", Board, "--ticks", "3");

        Assert.Equal(134, result.ExitCode);
        Assert.Contains("driver sensor: spinning 1.0 (module `spinning`, guest `sensor`)", result.StandardOutput);
        Assert.DoesNotContain("tick 1", result.StandardOutput);
        Assert.StartsWith("ironwasm: error: guest `app` trapped in tick(): all fuel consumed [OutOfFuel]\nwasm backtrace:\n    0: $spin\n", result.StandardError);
        Assert.Contains("$export_tick", result.StandardError);
    }

    [Theory]
    [InlineData(new[] { "--sim", "default" }, "ironwasm: error: device apps need --policy FILE: without a policy a guest gets no hardware at all\n")]
    [InlineData(new[] { "--policy", "P", "--driver", "sensor" }, "ironwasm: error: --driver: expected NAME=FILE[@BUS:ADDRESS]")]
    [InlineData(new[] { "--policy", "P", "--dir", "/tmp" }, "ironwasm: error: --dir is for WASI commands, not device apps\n")]
    [InlineData(new[] { "--ticks", "3" }, "ironwasm: error: --ticks is for device apps: give --policy (and --driver, --sim) before FILE\n")]
    public void DeviceOptionsGoTogether(string[] options, string expected)
    {
        var result = CliRun.InProcess(["run", .. options, App("sensor_display")]);

        Assert.Equal(64, result.ExitCode);
        Assert.StartsWith(expected, result.StandardError);
    }

    [Fact]
    public void AMissingPolicyFileIsUnreadableInput()
    {
        var result = Run(App("spi_flash"), "--policy", Path.Combine(_temp, "none.yaml"), "--sim", "default");

        Assert.Equal(66, result.ExitCode);
        Assert.Equal($"ironwasm: error: --policy {Path.Combine(_temp, "none.yaml")}: cannot read the policy: no such file\n", result.StandardError);
    }

    [Fact]
    public void AGuestArgumentAfterDoubleDashStillMakesAPlainWasiRun()
    {
        var result = CliRun.InProcess(["run", GuestPaths.TestProgram("args_env"), "--", "--sim", "x"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--sim", result.StandardOutput);
    }
}
