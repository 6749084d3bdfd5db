using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Configuration;
using IronWasm.Hardware.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

public class ConfigurationTests
{
    // The example is found from this source file, wherever the build puts its output.
    private static string ExampleFile => Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", "..", "src", "IronWasm.Hardware", "Simulation", "example.sim.yaml"));

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;

    private static SimulationConfigException YamlError(string yaml) =>
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromYaml(yaml, source: "test.yaml"));

    private static SimulationConfigException InlineError(string spec) =>
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromInline(spec));

    [Fact]
    public void The_example_file_builds_everything_it_declares()
    {
        using var hardware = SimulatedHardware.Load(ExampleFile);
        Assert.Equal(new[] { "sim-i2c-1", "sim-i2c-2" }, hardware.I2cBuses.Select(b => b.Name));
        SimulatedI2cBus bus = hardware.GetI2cBus("sim-i2c-1");
        Assert.Equal(new[] { "hts221", "bme280", "hd44780", "tm1650", "ssd1306", "24c02" }, bus.Devices.Select(d => d.Kind));
        Assert.Equal(2, bus.Faults.Count);
        Assert.IsType<SpiNorFlashDevice>(hardware.GetSpiDevice("flash0"));
        Assert.Equal(512, hardware.GetDevice<Mcp3008Device>("adc0").ExpectedCode(0));
        Assert.Equal(new[] { "led", "led2", "button", "pot", "fan" }, hardware.Gpio.Lines.Select(l => l.Label));
        Assert.Equal(3, hardware.Gpio.Button("button").Script.Count);
        Assert.Equal(7, hardware.Environment.Drift!.Seed);
        Assert.Equal(3, hardware.Displays.Count);
        Assert.Equal(new[] { "echo", "mass-storage", "gamepad" }, hardware.Usb!.PluggedDevices.Select(d => d.Name));
    }

    [Fact]
    public void The_first_hts221_transfer_of_the_example_is_not_acknowledged()
    {
        using var hardware = SimulatedHardware.Load(ExampleFile);
        II2cBus bus = hardware.GetI2cBus("sim-i2c-1");
        Assert.Equal(I2cStatus.NoAcknowledgeAddress, bus.Transfer(0x5F, []));
        Assert.Equal(0xBC, I2c.ReadRegister(bus, 0x5F, 0x0F));
    }

    [Fact]
    public void The_default_simulation_is_the_demo_setup()
    {
        using var hardware = SimulatedHardware.CreateDefault();
        SimulatedI2cBus bus = hardware.GetI2cBus("sim-i2c-1");
        Assert.Equal(new ushort[] { 0x5F, 0x76, 0x27, 0x24, 0x3C, 0x50 }, bus.Devices.Select(d => d.Address));
        Assert.Equal(new[] { "hts221", "bme280", "lcd", "tm1650", "oled", "eeprom" }, bus.Devices.Select(d => d.Name));
        Assert.Equal(new[] { "flash0", "adc0" }, hardware.SpiDevices.Select(d => d.Name));
        Assert.Equal(new[] { "led", "led2", "button" }, hardware.GetGpioController().Lines.Select(l => l.Label));
        Assert.NotNull(hardware.Environment.Drift);
        Assert.Same(hardware.Gpio, hardware.GetGpioController("sim-gpio"));
    }

    [Fact]
    public void Describe_lists_every_part_with_a_description()
    {
        using var hardware = SimulatedHardware.CreateDefault();
        var parts = hardware.Describe();
        Assert.Contains(parts, p => p is { Kind: "i2c-bus", Path: "sim-i2c-1" });
        Assert.Contains(parts, p => p is { Kind: "i2c-device", Path: "sim-i2c-1@0x27", Name: "lcd", Type: "hd44780" });
        Assert.Contains(parts, p => p is { Kind: "i2c-device", Path: "sim-i2c-1@0x24" } && p.Description.Contains("0x34"));
        Assert.Contains(parts, p => p is { Kind: "spi-device", Path: "flash0" } && p.Description.Contains("W25Q16"));
        Assert.Contains(parts, p => p is { Kind: "gpio-line", Path: "sim-gpio/button", Type: "button" });
        Assert.All(parts, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        Assert.Equal(parts.Count, hardware.DescribeText().TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public void Unknown_names_are_reported_with_what_exists()
    {
        using var hardware = SimulatedHardware.CreateDefault();
        Assert.Contains("sim-i2c-1", Assert.Throws<KeyNotFoundException>(() => hardware.GetI2cBus("i2c-9")).Message);
        Assert.Contains("flash0", Assert.Throws<KeyNotFoundException>(() => hardware.GetSpiDevice("x")).Message);
        Assert.Throws<KeyNotFoundException>(() => hardware.GetGpioController("gpiochip0"));
        Assert.Contains("not a", Assert.Throws<KeyNotFoundException>(() => hardware.GetDevice<Bme280Device>("lcd")).Message);
    }

    [Fact]
    public void The_inline_form_builds_buses_devices_lines_environment_and_faults()
    {
        using var hardware = SimulatedHardware.FromInline(
            "i2c:bus-a=hts221@0x5f,lcd1602@0x27,24c02(write-time=0,page-size=16);" +
            "i2c:bus-b=bme280@0x77(name=outside);" +
            "spi:flash0=w25q64(timing=instant),adc0=mcp3008(vref=5,channels=2.5);" +
            "gpio:led=led(active=low),button=button(pressed=low,presses=1s 2s),a0=adc(bits=12,value=4095);" +
            "env:temperature=30,humidity=20,pressure=990;" +
            "fault:bus-b@0x77=nack-data(every=2),latency(latency=1ms)");
        Assert.Equal(3, hardware.GetI2cBus("bus-a").Devices.Count);
        Assert.Equal(16, hardware.GetDevice<Eeprom24C02Device>("eeprom").PageSize);
        Assert.Equal(0x77, hardware.GetDevice<Bme280Device>("outside").Address);
        Assert.Equal(8 * 1024 * 1024, hardware.GetDevice<SpiNorFlashDevice>("flash0").Capacity);
        Assert.Equal(512, hardware.GetDevice<Mcp3008Device>("adc0").ExpectedCode(0));
        Assert.False(hardware.Gpio.Led("led").ActiveHigh);
        Assert.Equal(2, hardware.Gpio.Button("button").Script.Count);
        Assert.Equal(4095u, hardware.Gpio.Analog("a0").Value);
        Assert.Equal(new EnvironmentReading(30, 20, 990), hardware.Environment.Read());
        var faults = hardware.GetI2cBus("bus-b").Faults;
        Assert.Equal(2, faults.Count);
        Assert.Equal((ushort)0x77, faults[0].Fault.Address);
        Assert.Equal(FaultTrigger.EveryNth(2), faults[0].Fault.Trigger);
        Assert.Equal(TimeSpan.FromMilliseconds(1), faults[1].Fault.Latency);
    }

    [Fact]
    public void From_argument_tells_a_file_from_the_inline_form()
    {
        using (var fromFile = SimulatedHardware.FromArgument(ExampleFile)) Assert.Equal(2, fromFile.I2cBuses.Count);
        using (var inline = SimulatedHardware.FromArgument("gpio:led=led")) Assert.Single(inline.Gpio.Lines);
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromArgument("missing.sim.yaml"));
    }

    [Fact]
    public void An_empty_file_is_an_empty_simulation()
    {
        using var hardware = SimulatedHardware.FromYaml("");
        Assert.Empty(hardware.I2cBuses);
        Assert.Empty(hardware.Gpio.Lines);
    }

    [Fact]
    public void Relative_backing_files_are_relative_to_the_simulation_file()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"sim-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "board.sim.yaml");
            File.WriteAllText(file, "i2c:\n  - bus: b\n    devices:\n      - type: 24c02\n        write-time: 0\n        file: data/eeprom.bin\n");
            Directory.CreateDirectory(Path.Combine(dir, "data"));
            using var hardware = SimulatedHardware.Load(file);
            I2c.Write(hardware.GetI2cBus("b"), 0x50, 0x00, 0x42);
            Assert.Equal(0x42, File.ReadAllBytes(Path.Combine(dir, "data", "eeprom.bin"))[0]);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // --- errors in YAML: each with line and column ---

    [Fact]
    public void An_unknown_device_type_is_reported_at_its_line_and_column()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: hts222\n");
        Assert.Equal((4, 15), (e.Line, e.Column));
        Assert.StartsWith("test.yaml:4:15: unknown I2C device type 'hts222'", e.Message);
        Assert.Contains("hts221", e.Message);
    }

    [Fact]
    public void A_duplicate_address_is_reported_at_the_second_device()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: bme280\n        address: 0x76\n      - type: bme280\n        name: two\n        address: 0x76\n");
        Assert.Equal((8, 18), (e.Line, e.Column));
        Assert.Contains("0x76", e.Message);
        Assert.Contains("already taken", e.Message);
    }

    [Fact]
    public void An_address_shared_with_the_tm1650_digit_registers_is_a_duplicate()
    {
        var e = InlineError("i2c:b=tm1650,24c02@0x50,hd44780@0x34");
        Assert.Contains("0x34", e.Message);
    }

    [Fact]
    public void A_bad_number_is_reported_with_the_value()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: bme280\n        address: 0x7g\n");
        Assert.Equal(5, e.Line);
        Assert.Contains("bad number '0x7g'", e.Message);
    }

    [Fact]
    public void An_address_the_chip_cannot_have_is_reported()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: hts221\n        address: 0x40\n");
        Assert.Equal((5, 18), (e.Line, e.Column));
        Assert.Contains("fixed address 0x5f", e.Message);
    }

    [Fact]
    public void An_unknown_key_is_reported_with_the_known_ones()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: 24c02\n        write_time: 5ms\n");
        Assert.Equal((5, 9), (e.Line, e.Column));
        Assert.Contains("unknown key 'write_time'", e.Message);
        Assert.Contains("write-time", e.Message);
    }

    [Fact]
    public void An_unknown_top_level_key_is_reported()
    {
        var e = YamlError("enviroment:\n  temperature: 20\n");
        Assert.Equal((1, 1), (e.Line, e.Column));
        Assert.Contains("environment", e.Message);
    }

    [Fact]
    public void A_duplicate_key_is_reported_at_its_second_occurrence()
    {
        var e = YamlError("environment:\n  temperature: 20\n  temperature: 21\n");
        Assert.Equal((3, 3), (e.Line, e.Column));
        Assert.Contains("duplicate key 'temperature' (first at line 2)", e.Message);
    }

    [Fact]
    public void A_yaml_syntax_error_is_reported_at_its_place()
    {
        var e = YamlError("i2c:\n  - bus: [b\n");
        Assert.True(e.Line >= 2);
        Assert.StartsWith("test.yaml:", e.Message);
        Assert.Contains("YAML syntax", e.Message);
    }

    [Fact]
    public void A_bad_duration_is_reported()
    {
        var e = YamlError("i2c:\n  - bus: b\n    devices:\n      - type: 24c02\n        write-time: 5 parsecs\n");
        Assert.Equal(5, e.Line);
        Assert.Contains("bad duration '5 parsecs'", e.Message);
    }

    [Fact]
    public void Environment_values_outside_the_range_are_reported()
    {
        var e = YamlError("environment:\n  humidity: 120\n");
        Assert.Contains("relative humidity must be within 0 to 100", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void A_list_where_a_mapping_belongs_is_reported()
    {
        var e = YamlError("gpio:\n  - label: led\n");
        Assert.Contains("gpio must be a mapping", e.Message);
    }

    [Fact]
    public void A_duplicate_gpio_label_and_an_unknown_kind_are_reported()
    {
        Assert.Contains("used twice", YamlError("gpio:\n  lines:\n    - {label: a, kind: led}\n    - {label: a, kind: led}\n").Message);
        var e = YamlError("gpio:\n  lines:\n    - label: a\n      kind: relay\n");
        Assert.Equal((4, 13), (e.Line, e.Column));
        Assert.Contains("unknown GPIO line kind 'relay'", e.Message);
    }

    [Fact]
    public void Fault_settings_are_checked()
    {
        Assert.Contains("unknown fault kind 'nack'", YamlError("i2c:\n  - bus: b\n    faults:\n      - kind: nack\n").Message);
        Assert.Contains("needs 'latency'", YamlError("i2c:\n  - bus: b\n    faults:\n      - kind: latency\n").Message);
        Assert.Contains("one of trigger, every and probability", YamlError("i2c:\n  - bus: b\n    faults:\n      - {kind: bus-error, every: 2, trigger: once}\n").Message);
        Assert.Contains("out of range", YamlError("i2c:\n  - bus: b\n    faults:\n      - {kind: bus-error, probability: 2}\n").Message);
    }

    [Fact]
    public void Unknown_spi_types_and_too_many_adc_channels_are_reported()
    {
        Assert.Contains("unknown SPI device type 'at25'", YamlError("spi:\n  - {name: f, type: at25}\n").Message);
        var e = YamlError("spi:\n  - name: a\n    type: mcp3008\n    channels: [0, 0, 0, 0, 0, 0, 0, 0, 1]\n");
        Assert.Contains("8 channels", e.Message);
    }

    [Fact]
    public void Anchors_are_refused()
    {
        Assert.Contains("anchors", YamlError("environment: &e\n  temperature: 20\n").Message);
    }

    // --- errors in the inline form: each with the offending token ---

    [Fact]
    public void An_inline_unknown_device_type_names_its_token()
    {
        var e = InlineError("i2c:sim-i2c-1=hts221@0x5f,lcd1603@0x27");
        Assert.Equal("lcd1603@0x27", e.Token);
        Assert.StartsWith("unknown I2C device type 'lcd1603' (known: ", e.Message);
        Assert.EndsWith("in 'lcd1603@0x27' (at character 27 of the inline simulation)", e.Message);
    }

    [Fact]
    public void An_inline_bad_number_names_its_token()
    {
        var e = InlineError("i2c:b=bme280@0x7z");
        Assert.Equal("bme280@0x7z", e.Token);
        Assert.Contains("bad number '0x7z'", e.Message);
    }

    [Fact]
    public void An_inline_duplicate_address_names_its_token()
    {
        var e = InlineError("i2c:b=24c02@0x50,24c02@0x50");
        Assert.Contains("already taken", e.Message);
        Assert.Equal("24c02@0x50", e.Token);
    }

    [Fact]
    public void An_inline_unknown_parameter_names_its_token()
    {
        var e = InlineError("gpio:b=button(presed=low)");
        Assert.Contains("unknown key 'presed'", e.Message);
        Assert.Equal("button(presed=low)", e.Token);
    }

    [Fact]
    public void Inline_structure_errors_are_reported()
    {
        Assert.Contains("unknown section 'can'", InlineError("can:x=y").Message);
        Assert.Contains("fault on unknown bus 'nope'", InlineError("i2c:b=hts221;fault:nope=bus-error").Message);
        Assert.Contains("'(' without ')'", InlineError("i2c:b=24c02(write-time=0").Message);
        Assert.Contains("declared twice", InlineError("i2c:b=hts221;i2c:b=bme280").Message);
        Assert.Contains("a section starts with", InlineError("hts221@0x5f").Message);
        Assert.Contains("empty device", InlineError("i2c:b=hts221,,bme280").Message);
    }
}
