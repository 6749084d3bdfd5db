using IronWasm.Hardware.Linux;
using IronWasm.Hardware.LinuxTests;

// Exercises the Linux backends against real kernel devices, inside the tests/vm VM:
//   modprobe i2c-dev; modprobe i2c-stub chip_addr=0x50,0x51     (required)
//   modprobe gpio-mockup gpio_mockup_ranges=-1,8 gpio_mockup_named_lines=1   (optional)
//   modprobe dummy_hcd num=2 + configfs gadgets of tests/vm/usb-gadgets.sh     (optional: USB)
//   dotnet IronWasm.Hardware.LinuxTests.dll
//   (USB guests: IRONWASM_VM_CLI=.../IronWasm.Cli.dll and IRONWASM_VM_REPO=checkout run guests/usb/*.wasm)
// Prints one line per check and last "linux backends: N passed, N failed".
// Exit codes: 0 all checks passed, 1 some failed, 2 bad arguments, 3 no i2c-stub bus.

const int NoStubBus = 3;
const string StubAdapterName = "SMBus stub driver";

if (args.Length > 0)
{
    Console.Error.WriteLine("usage: dotnet IronWasm.Hardware.LinuxTests.dll   (takes no arguments)");
    return 2;
}

var stubBuses = LinuxSysfs.I2cBusesNamed(StubAdapterName);
if (stubBuses.Count == 0)
{
    Console.WriteLine($"no i2c-stub bus: no /sys/class/i2c-dev/*/name reads \"{StubAdapterName}\"; "
        + "load it with `modprobe i2c-dev && modprobe i2c-stub chip_addr=0x50,0x51`");
    return NoStubBus;
}

var checks = new Checks();
var chipAddresses = I2cStubChecks.ChipAddresses();
Console.WriteLine($"i2c-stub is bus {stubBuses[0]} (/dev/i2c-{stubBuses[0]}), chips at {string.Join(", ", chipAddresses.Select(a => $"0x{a:x2}"))}");

I2cStubChecks.Run(checks, stubBuses[0], chipAddresses);
GpioChecks.Run(checks);
SpiChecks.Run(checks);
UsbChecks.Run(checks);
UsbGuestChecks.Run(checks);

Console.WriteLine($"linux backends: {checks.Passed} passed, {checks.Failed} failed");
return checks.Failed == 0 ? 0 : 1;
