using IronWasm.Hardware.Hosts;
using IronWasm.Hardware.Simulation;
using IronWasm.Hardware.Simulation.Configuration;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Hardware.Tests.Simulation;

public class UsbConfigurationTests
{
    private static SimulationConfigException YamlError(string yaml) =>
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromYaml(yaml, source: "test.yaml"));

    private static SimulationConfigException InlineError(string spec) =>
        Assert.Throws<SimulationConfigException>(() => SimulatedHardware.FromInline(spec));

    private static List<IUsbDevice> Plugged(SimulatedUsbBackend backend)
    {
        var devices = new List<IUsbDevice>();
        Assert.Equal(UsbError.Success, backend.GetDevices(devices));
        return devices.OrderBy(d => d.Location.PortNumber).ToList();
    }

    [Fact]
    public void A_simulation_without_a_usb_section_has_no_usb_bus()
    {
        using var hardware = SimulatedHardware.FromInline("i2c:b=hts221");
        Assert.Null(hardware.Usb);
        Assert.DoesNotContain(hardware.Describe(), p => p.Kind.StartsWith("usb", StringComparison.Ordinal));
    }

    [Fact]
    public void The_yaml_usb_section_plugs_its_devices_in_order_with_their_serials_and_timing()
    {
        using var hardware = SimulatedHardware.FromYaml("""
            usb:
              timing: zero-latency
              devices:
                - type: echo
                  serial: E-42
                - type: mass-storage
                  size: 16MiB
                - type: gamepad
                  name: pad
                  script: "0ms press a; 20ms release a"
            """);
        SimulatedUsbBackend usb = hardware.Usb!;
        Assert.True(usb.Timing.IsZeroLatency);
        var devices = Plugged(usb);
        Assert.Equal(new[] { EchoDevice.ProductId, MassStorageDevice.ProductId, GamepadDevice.ProductId }, devices.Select(d => d.Descriptor.ProductId));
        Assert.Equal(new byte[] { 1, 2, 3 }, devices.Select(d => d.Location.PortNumber));
        Assert.Equal("E-42", devices[0].SerialNumber);
        Assert.Equal(new[] { "echo", "mass-storage", "pad" }, usb.PluggedDevices.Select(d => d.Name));
        var disk = Assert.IsType<MassStorageDevice>(usb.PluggedDevices[1]);
        Assert.Equal(16L * 1024 * 1024, disk.BlockCount * disk.BlockSize);
        Assert.False(disk.IsReadOnly);
    }

    [Fact]
    public void The_bus_timing_is_usb2_high_speed_unless_said_otherwise()
    {
        using var standard = SimulatedHardware.FromInline("usb:echo");
        Assert.Same(UsbBusTiming.HighSpeed, standard.Usb!.Timing);
        using var named = SimulatedHardware.FromInline("usb:timing=usb2-high-speed,echo");
        Assert.Same(UsbBusTiming.HighSpeed, named.Usb!.Timing);
        using var zero = SimulatedHardware.FromInline("usb:timing=zero-latency,echo");
        Assert.True(zero.Usb!.Timing.IsZeroLatency);
    }

    [Fact]
    public void The_inline_usb_section_takes_types_with_parameters()
    {
        using var hardware = SimulatedHardware.FromInline("usb:echo,mass-storage(size=1MiB,read-only=yes,serial=D1),gamepad(script=0ms press a|10ms release a)");
        var models = hardware.Usb!.PluggedDevices;
        Assert.Equal(new[] { "echo", "mass-storage", "gamepad" }, models.Select(d => d.Name));
        var disk = Assert.IsType<MassStorageDevice>(models[1]);
        Assert.Equal(2048, disk.BlockCount);
        Assert.True(disk.IsReadOnly);
        Assert.Equal("D1", Plugged(hardware.Usb)[1].SerialNumber);
    }

    [Fact]
    public void A_gamepad_script_plays_on_the_simulation_clock_from_start_scripts()
    {
        var time = new ManualTimeProvider();
        using var hardware = SimulatedHardware.FromInline("usb:gamepad(script=10ms press a|20ms release a)", time);
        var pad = Assert.IsType<GamepadDevice>(Assert.Single(hardware.Usb!.PluggedDevices));
        time.Advance(TimeSpan.FromMilliseconds(15));
        Assert.Equal(0, pad.Buttons);
        hardware.StartScripts();
        time.Advance(TimeSpan.FromMilliseconds(15));
        Assert.Equal(1, pad.Buttons);
        time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal(0, pad.Buttons);
    }

    [Fact]
    public void Two_devices_of_one_type_get_distinct_names()
    {
        using var hardware = SimulatedHardware.FromInline("usb:echo,echo");
        Assert.Equal(new[] { "echo", "echo-2" }, hardware.Usb!.PluggedDevices.Select(d => d.Name));
    }

    [Fact]
    public void A_mass_storage_image_is_relative_to_the_simulation_file_and_used_in_place()
    {
        string folder = Directory.CreateTempSubdirectory("usbwire-").FullName;
        try
        {
            byte[] image = new byte[64 * 512];
            image[512] = 0xA5;
            File.WriteAllBytes(Path.Combine(folder, "disk.img"), image);
            string file = Path.Combine(folder, "board.sim.yaml");
            File.WriteAllText(file, "usb:\n  devices:\n    - type: mass-storage\n      image: disk.img\n");
            using var hardware = SimulatedHardware.Load(file);
            var disk = Assert.IsType<MassStorageDevice>(Assert.Single(hardware.Usb!.PluggedDevices));
            Assert.Equal(64, disk.BlockCount);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Describe_lists_the_usb_bus_and_each_device_by_bus_and_port()
    {
        using var hardware = SimulatedHardware.FromInline("usb:echo,mass-storage(size=1MiB),gamepad");
        var parts = hardware.Describe();
        Assert.Contains(parts, p => p is { Kind: "usb-bus", Path: "sim-usb", Depth: 0 } && p.Description.Contains("3 devices"));
        Assert.Contains(parts, p => p is { Kind: "usb", Path: "usb 1-1", Name: "echo", Type: "echo", Depth: 1,
            Description: "1209:0001 IronWasm echo (bulk, interrupt, isochronous)" });
        Assert.Contains(parts, p => p is { Kind: "usb", Path: "usb 1-2", Type: "mass-storage",
            Description: "1209:0002 IronWasm mass-storage 1 MiB (bulk)" });
        Assert.Contains(parts, p => p is { Kind: "usb", Path: "usb 1-3", Type: "gamepad",
            Description: "1209:0003 IronWasm gamepad (interrupt)" });
        Assert.Matches(@"(?m)^  usb 1-1 +1209:0001 IronWasm echo \(bulk, interrupt, isochronous\)$", hardware.DescribeText());
    }

    [Fact]
    public void The_default_simulation_has_an_echo_device_a_1_MiB_disk_and_a_gamepad()
    {
        using var hardware = SimulatedHardware.CreateDefault();
        var models = hardware.Usb!.PluggedDevices;
        Assert.IsType<EchoDevice>(models[0]);
        var disk = Assert.IsType<MassStorageDevice>(models[1]);
        Assert.Equal(1024L * 1024, disk.BlockCount * disk.BlockSize);
        Assert.IsType<GamepadDevice>(models[2]);
        Assert.Equal(3, models.Count);
        string text = hardware.DescribeText();
        Assert.Matches(@"(?m)^  usb 1-1 +1209:0001 IronWasm echo \(bulk, interrupt, isochronous\)$", text);
        Assert.Matches(@"(?m)^  usb 1-2 +1209:0002 IronWasm mass-storage 1 MiB \(bulk\)$", text);
    }

    [Fact]
    public void The_inventory_of_a_simulation_reaches_its_usb_bus()
    {
        using var inventory = HardwareInventory.FromSimulation(SimulatedHardware.CreateDefault());
        Assert.Same(inventory.Simulation!.Usb, inventory.Usb);
        Assert.Equal(3, inventory.Describe().Count(e => e.Kind == "usb"));
    }

    [Fact]
    public void Disposing_the_simulation_unplugs_its_usb_devices()
    {
        var hardware = SimulatedHardware.FromInline("usb:echo");
        var device = Assert.Single(Plugged(hardware.Usb!));
        hardware.Dispose();
        Assert.False(device.IsConnected);
    }

    // --- errors ---

    [Fact]
    public void An_unknown_usb_device_type_is_reported_at_its_line_and_column()
    {
        var e = YamlError("usb:\n  devices:\n    - type: webcam\n");
        Assert.Equal((3, 13), (e.Line, e.Column));
        Assert.StartsWith("test.yaml:3:13: unknown USB device type 'webcam' (known: echo, mass-storage, gamepad)", e.Message);
    }

    [Fact]
    public void An_unknown_usb_key_is_reported_with_the_known_ones()
    {
        var e = YamlError("usb:\n  devices:\n    - type: echo\n      colour: red\n");
        Assert.Equal((4, 7), (e.Line, e.Column));
        Assert.Contains("unknown key 'colour' for a USB device (known keys: type, name, serial)", e.Message);
        Assert.Contains("unknown key 'speed' for the USB bus (known keys: timing, devices)", YamlError("usb:\n  speed: fast\n").Message);
    }

    [Fact]
    public void An_unknown_timing_lists_the_known_ones()
    {
        var e = YamlError("usb:\n  timing: usb3\n");
        Assert.Equal((2, 11), (e.Line, e.Column));
        Assert.Contains("unknown USB timing 'usb3' (known: usb2-high-speed, zero-latency)", e.Message);
    }

    [Fact]
    public void A_mass_storage_device_needs_exactly_one_of_image_and_size()
    {
        Assert.Contains("needs 'image: FILE' or 'size'", YamlError("usb:\n  devices:\n    - type: mass-storage\n").Message);
        Assert.Contains("either 'image' or 'size'", YamlError("usb:\n  devices:\n    - type: mass-storage\n      image: a.img\n      size: 1MiB\n").Message);
    }

    [Fact]
    public void Bad_disk_sizes_are_reported()
    {
        Assert.Contains("bad size '16MB'", YamlError("usb:\n  devices:\n    - type: mass-storage\n      size: 16MB\n").Message);
        Assert.Contains("not a whole number of 512-byte blocks", InlineError("usb:mass-storage(size=1000)").Message);
        Assert.Contains("out of range", InlineError("usb:mass-storage(size=4GiB)").Message);
    }

    [Fact]
    public void A_missing_image_file_is_reported_at_its_place()
    {
        var e = YamlError("usb:\n  devices:\n    - type: mass-storage\n      image: /nonexistent/usbwire.img\n");
        Assert.Equal((4, 14), (e.Line, e.Column));
    }

    [Fact]
    public void A_bad_gamepad_script_names_the_step()
    {
        var e = InlineError("usb:gamepad(script=0ms push a)");
        Assert.Equal("gamepad(script=0ms push a)", e.Token);
        Assert.Contains("bad gamepad script: '0ms push a'", e.Message);
    }

    [Fact]
    public void Inline_usb_errors_name_their_token()
    {
        var unknown = InlineError("usb:echo,webcam(size=1)");
        Assert.Equal("webcam(size=1)", unknown.Token);
        Assert.StartsWith("unknown USB device type 'webcam'", unknown.Message);

        var parameter = InlineError("usb:echo(size=1MiB)");
        Assert.Equal("echo(size=1MiB)", parameter.Token);
        Assert.Contains("unknown key 'size' for a USB device", parameter.Message);

        Assert.Contains("unknown key 'speed' for the USB bus", InlineError("usb:speed=fast,echo").Message);
        Assert.Contains("empty USB device", InlineError("usb:echo,,echo").Message);
        Assert.Contains("given twice", InlineError("usb:echo;usb:echo").Message);
        Assert.Contains("bad serial number", InlineError("usb:echo(serial=a b)").Message);
        Assert.Contains("all 8 ports of bus 1 are taken", InlineError("usb:" + string.Join(",", Enumerable.Repeat("echo", 9))).Message);
    }
}
