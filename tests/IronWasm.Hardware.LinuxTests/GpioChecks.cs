using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Linux;
using static IronWasm.Hardware.LinuxTests.Checks;

namespace IronWasm.Hardware.LinuxTests;

/// <summary>LinuxGpioChip against a simulated chip (gpio-mockup or gpio-sim). Real chips are left
/// alone: driving their lines could drive real hardware.</summary>
internal static class GpioChecks
{
    private static readonly TimeSpan EdgeWait = TimeSpan.FromSeconds(5);

    public static void Run(Checks checks)
    {
        var chip = FindSimulatedChip();
        if (chip is null)
        {
            checks.Skip("gpio", "no gpio-mockup or gpio-sim chip (load one with `modprobe gpio-mockup gpio_mockup_ranges=-1,8 gpio_mockup_named_lines=1`)");
            return;
        }
        using var _ = chip;
        Console.WriteLine($"     {chip.Description}");
        if (chip.LineCount < 2)
        {
            checks.Skip("gpio", $"{chip.DevicePath} has fewer than two lines");
            return;
        }

        var lines = chip.Lines;
        string outLabel = lines[0].Label, inLabel = lines[1].Label;

        checks.Run("gpio: every line is listed with a label", () =>
            Expect((int)chip.LineCount, lines.Count, "lines") ??
            (lines.All(l => l.Label.Length > 0) ? null : "a line has an empty label"));

        checks.Run($"gpio: output line '{outLabel}' drives low and high", () =>
        {
            using var line = chip.OpenDigital(outLabel, new GpioLineConfig(GpioDirection.Output, InitialHigh: false));
            if (line.Read()) return "reads high after being opened low";
            line.Write(true);
            if (!line.Read()) return "reads low after Write(true)";
            line.Write(false);
            return line.Read() ? "reads high after Write(false)" : null;
        });

        checks.Run("gpio: an open line is in use and cannot be opened twice", () =>
        {
            using var line = chip.OpenDigital(outLabel, new GpioLineConfig(GpioDirection.Output));
            if (!chip.Lines[0].InUse) return "the kernel does not report the line as used";
            try
            {
                chip.OpenDigital(outLabel, new GpioLineConfig(GpioDirection.Output)).Dispose();
                return "a second open succeeded";
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        });

        checks.Run("gpio: a closed line is free again", () =>
        {
            chip.OpenDigital(outLabel, new GpioLineConfig(GpioDirection.Output)).Dispose();
            if (chip.Lines[0].InUse) return "still in use after Dispose";
            using var again = chip.OpenDigital(outLabel, new GpioLineConfig(GpioDirection.Output, InitialHigh: true));
            return again.Read() ? null : "reopened high but reads low";
        });

        checks.Run("gpio: an alias names a line by offset", () =>
        {
            using var aliased = new LinuxGpioChip(chip.DevicePath, new Dictionary<string, string> { ["led"] = "0" });
            if (aliased.Lines[0].Label != "led") return $"line 0 is listed as '{aliased.Lines[0].Label}'";
            using var line = aliased.OpenDigital("led", new GpioLineConfig(GpioDirection.Output));
            return null;
        });

        checks.Run($"gpio: input line '{inLabel}' sees edges as its level changes", () =>
        {
            using var line = chip.OpenDigital(inLabel, new GpioLineConfig(GpioDirection.Input, GpioPull.PullDown));
            if (line.Read()) return "a pulled-down input reads high";
            if (line.TryTakeEdge(GpioEdge.Rising)) return "an edge is pending before anything changed";
            Drive(chip, line, offset: 1, high: true);
            if (!line.WaitForEdge(GpioEdge.Rising, EdgeWait)) return "no rising edge after pulling the line up";
            if (!line.Read()) return "reads low after pulling up";
            Drive(chip, line, offset: 1, high: false);
            if (!line.WaitForEdge(GpioEdge.Falling, EdgeWait)) return "no falling edge after pulling the line down";
            if (line.TryTakeEdge(GpioEdge.Rising)) return "a second rising edge appeared";
            return line.WaitForEdge(GpioEdge.Rising, TimeSpan.FromMilliseconds(200)) ? "a rising edge came from nowhere" : null;
        });

        checks.Run("gpio: an input cannot be driven", () =>
        {
            using var line = chip.OpenDigital(inLabel, new GpioLineConfig(GpioDirection.Input));
            try
            {
                line.Write(true);
                return "Write on an input succeeded";
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        });

        checks.Run("gpio: a line reconfigured from input to output drives", () =>
        {
            using var line = chip.OpenDigital(inLabel, new GpioLineConfig(GpioDirection.Input));
            line.Reconfigure(new GpioLineConfig(GpioDirection.Output, InitialHigh: true));
            return line.Read() ? null : "reads low after becoming a high output";
        });

        checks.Run("gpio: unknown labels and analog lines are not found", () =>
        {
            try
            {
                chip.OpenDigital("no-such-line", new GpioLineConfig(GpioDirection.Input)).Dispose();
                return "an unknown label opened";
            }
            catch (KeyNotFoundException)
            {
            }
            try
            {
                chip.OpenAnalog(inLabel).Dispose();
                return "an analog line opened";
            }
            catch (KeyNotFoundException)
            {
                return null;
            }
        });
    }

    private static LinuxGpioChip? FindSimulatedChip()
    {
        foreach (var device in LinuxDeviceDiscovery.Discover().Where(d => d.Kind == LinuxDeviceKind.Gpio && d.Usable))
        {
            var chip = new LinuxGpioChip(device.DevicePath);
            if (chip.ChipLabel.StartsWith("gpio-mockup", StringComparison.Ordinal) || chip.ChipLabel.StartsWith("gpio-sim", StringComparison.Ordinal))
                return chip;
            chip.Dispose();
        }
        return null;
    }

    /// <summary>Changes what an input line sees: through gpio-mockup's debugfs file when mounted,
    /// else by switching the line's bias, which gpio-mockup and gpio-sim turn into the level.</summary>
    private static void Drive(LinuxGpioChip chip, IGpioLine line, int offset, bool high)
    {
        var debugfs = $"/sys/kernel/debug/gpio-mockup/{chip.Name}/{offset}";
        if (File.Exists(debugfs))
        {
            File.WriteAllText(debugfs, high ? "1" : "0");
            return;
        }
        line.Reconfigure(new GpioLineConfig(GpioDirection.Input, high ? GpioPull.PullUp : GpioPull.PullDown));
    }
}
