using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Linux;
using static IronWasm.Hardware.LinuxTests.Checks;

namespace IronWasm.Hardware.LinuxTests;

/// <summary>LinuxSpiDevice against whatever spidev device exists (in the VM: spidev on spi-butterfly's
/// bit-banged bus over qemu's parallel port). Nothing answers there, so this checks that
/// transactions of every kind of step go through; with MOSI wired to MISO it reports the loopback.</summary>
internal static class SpiChecks
{
    public static void Run(Checks checks)
    {
        var device = LinuxDeviceDiscovery.Discover().FirstOrDefault(d => d.Kind == LinuxDeviceKind.Spi && d.Usable);
        if (device is null)
        {
            checks.Skip("spi", "no usable /dev/spidev* device");
            return;
        }
        Console.WriteLine($"     {device.Description}");

        LinuxSpiDevice? opened = null;
        checks.Run($"spi: open {device.DevicePath} in mode 0 at 100 kHz", () =>
        {
            opened = new LinuxSpiDevice("spi-check", new LinuxSpiOptions(device.DevicePath, Mode: 0, MaxSpeedHz: 100_000));
            return Expect(0u, opened.Settings.Mode & 3, "mode");
        });
        if (opened is null) return;
        using var spi = opened;

        checks.Run("spi: a transaction of write, delay, transfer and read", () =>
        {
            var sent = new byte[] { 0x9f, 0x00, 0x55, 0xaa };
            var back = new byte[4];
            var read = new byte[3];
            var status = spi.Transaction(
                [SpiOperation.WriteFrom(new byte[] { 0x06 }), SpiOperation.Wait(10_000), SpiOperation.TransferBoth(sent, back), SpiOperation.ReadInto(read)],
                out var message);
            if (status != SpiStatus.Ok) return $"{status}: {message}";
            if (back.AsSpan().SequenceEqual(sent)) Console.WriteLine("     (loopback: the transfer read back what it wrote)");
            return null;
        });

        checks.Run("spi: an empty transaction succeeds without touching the bus", () =>
            Expect(SpiStatus.Ok, spi.Transaction([], out _), "status"));

        checks.Run("spi: a transaction larger than spidev's buffer fails with a reason", () =>
        {
            var status = spi.Transaction([SpiOperation.WriteFrom(new byte[1 << 20])], out var message);
            return status == SpiStatus.Other && message?.Contains("EMSGSIZE") == true ? null : $"{status}: {message}";
        });
    }
}
