using System.Globalization;
using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Linux;
using static IronWasm.Hardware.LinuxTests.Checks;

namespace IronWasm.Hardware.LinuxTests;

/// <summary>LinuxI2cBus against i2c-stub. The stub keeps 256 16-bit words per chip; byte
/// commands use the low byte, and a receive byte reads at a pointer that send byte sets and each
/// read advances (drivers/i2c/i2c-stub.c).</summary>
internal static class I2cStubChecks
{
    /// <summary>The stub's chip addresses from its module parameter, 0x50 and 0x51 if it cannot be read.</summary>
    public static IReadOnlyList<ushort> ChipAddresses()
    {
        try
        {
            var text = File.ReadAllText("/sys/module/i2c_stub/parameters/chip_addr");
            var addresses = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                .Select(t => ushort.Parse(t, CultureInfo.InvariantCulture)).Where(a => a != 0).ToArray();
            if (addresses.Length > 0) return addresses;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
        }
        return [0x50, 0x51];
    }

    public static void Run(Checks checks, int busNumber, IReadOnlyList<ushort> chips)
    {
        ushort chip = chips[0];
        LinuxI2cBus? opened = null;
        checks.Run($"i2c: open /dev/i2c-{busNumber}", () =>
        {
            opened = new LinuxI2cBus(busNumber, "stub");
            Console.WriteLine($"     {opened.Description}, functionality 0x{opened.Functionality:x8}");
            return null;
        });
        if (opened is null) return;
        using var bus = opened;

        checks.Run("i2c: the stub offers SMBus but not plain I2C (so the SMBus fallback is used)", () =>
            bus.SupportsI2c ? "the adapter reports I2C_FUNC_I2C" :
            (bus.Functionality & I2cAbi.I2C_FUNC_SMBUS_ANY) == 0 ? "the adapter reports no SMBus functions" :
            !bus.Description.Contains("SMBus stub driver") ? $"description '{bus.Description}' lacks the adapter name" : null);

        checks.Run("i2c: the kernel refuses I2C_RDWR on the stub with EOPNOTSUPP", () => RawRdwrErrno(busNumber, chip) switch
        {
            Errno.EOPNOTSUPP => null,
            0 => "I2C_RDWR succeeded",
            int errno => $"I2C_RDWR failed with {Errno.Describe(errno)}",
        });

        checks.Run("i2c: write byte data, then read byte data", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x10, 0xab })]);
            if (status != I2cStatus.Ok) return $"write: {status} ({bus.LastError})";
            var into = new byte[1];
            status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x10 }), I2cMessage.Read(into)]);
            return status != I2cStatus.Ok ? $"read: {status} ({bus.LastError})" : Expect((byte)0xab, into[0], "register 0x10");
        });

        checks.Run("i2c: write word data, then read it back low byte first", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x20, 0x34, 0x12 })]);
            if (status != I2cStatus.Ok) return $"write: {status} ({bus.LastError})";
            var into = new byte[2];
            status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x20 }), I2cMessage.Read(into)]);
            if (status != I2cStatus.Ok) return $"read: {status} ({bus.LastError})";
            var low = new byte[1];
            bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x20 }), I2cMessage.Read(low)]);
            return ExpectBytes([0x34, 0x12], into, "word at 0x20") ?? Expect((byte)0x34, low[0], "low byte at 0x20");
        });

        var block = Enumerable.Range(0, 16).Select(i => (byte)(0xc0 + i)).ToArray();
        checks.Run("i2c: I2C block write of 16 bytes, then I2C block read", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x40 }.Concat(block).ToArray())]);
            if (status != I2cStatus.Ok) return $"write: {status} ({bus.LastError})";
            var into = new byte[16];
            status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x40 }), I2cMessage.Read(into)]);
            return status != I2cStatus.Ok ? $"read: {status} ({bus.LastError})" : ExpectBytes(block, into, "block at 0x40");
        });

        checks.Run("i2c: the block's bytes read back one register at a time", () =>
        {
            for (int i = 0; i < block.Length; i++)
            {
                var into = new byte[1];
                var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { (byte)(0x40 + i) }), I2cMessage.Read(into)]);
                if (status != I2cStatus.Ok) return $"read 0x{0x40 + i:x2}: {status} ({bus.LastError})";
                if (into[0] != block[i]) return Expect(block[i], into[0], $"register 0x{0x40 + i:x2}");
            }
            return null;
        });

        checks.Run("i2c: send byte sets the pointer and receive byte reads on from it", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x42 })]);
            if (status != I2cStatus.Ok) return $"send byte: {status} ({bus.LastError})";
            var first = new byte[1];
            var second = new byte[1];
            bus.Transfer(chip, [I2cMessage.Read(first)]);
            status = bus.Transfer(chip, [I2cMessage.Read(second)]);
            return status != I2cStatus.Ok ? $"receive byte: {status} ({bus.LastError})" : ExpectBytes([block[2], block[3]], [first[0], second[0]], "bytes at 0x42, 0x43");
        });

        checks.Run("i2c: a 32-byte I2C block read", () =>
        {
            var into = new byte[32];
            var status = bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x30 }), I2cMessage.Read(into)]);
            return status != I2cStatus.Ok ? $"{status} ({bus.LastError})" : ExpectBytes(block, into.AsSpan(0x10, 16), "bytes 0x40..0x4f of the block read from 0x30");
        });

        checks.Run("i2c: a quick write finds the chip", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Write(ReadOnlyMemory<byte>.Empty)]);
            return Expect(I2cStatus.Ok, status, $"probe of 0x{chip:x2} ({bus.LastError})");
        });

        ushort absent = Enumerable.Range(0x08, 0x70).Select(a => (ushort)a).First(a => !chips.Contains(a));
        checks.Run($"i2c: an address without a chip (0x{absent:x2}) is not acknowledged", () =>
        {
            var status = bus.Transfer(absent, [I2cMessage.Write(new byte[] { 0x00, 0x01 })]);
            return Expect(I2cStatus.NoAcknowledgeAddress, status, "status") ??
                (bus.LastError?.Contains("ENODEV") == true ? null : $"LastError '{bus.LastError}' does not name ENODEV");
        });

        if (chips.Count > 1)
        {
            ushort other = chips[1];
            checks.Run($"i2c: the second chip (0x{other:x2}) keeps its own registers", () =>
            {
                var status = bus.Transfer(other, [I2cMessage.Write(new byte[] { 0x10, 0x5a })]);
                if (status != I2cStatus.Ok) return $"write: {status} ({bus.LastError})";
                var mine = new byte[1];
                var theirs = new byte[1];
                bus.Transfer(other, [I2cMessage.Write(new byte[] { 0x10 }), I2cMessage.Read(theirs)]);
                bus.Transfer(chip, [I2cMessage.Write(new byte[] { 0x10 }), I2cMessage.Read(mine)]);
                return ExpectBytes([0x5a, 0xab], [theirs[0], mine[0]], "register 0x10 of each chip");
            });
        }
        else
        {
            checks.Skip("i2c: second chip", "i2c-stub was loaded with one chip address");
        }

        checks.Run("i2c: a shape with no SMBus equivalent fails with a reason", () =>
        {
            var status = bus.Transfer(chip, [I2cMessage.Read(new byte[4])]);
            return Expect(I2cStatus.Other, status, "status") ??
                (bus.LastError?.Contains("SMBus only") == true ? null : $"LastError '{bus.LastError}' does not explain");
        });

        checks.Run("i2c: a 10-bit address is refused", () => Expect(I2cStatus.Other, bus.Transfer(0x150, [I2cMessage.Read(new byte[1])]), "status"));

        checks.Run("i2c: transfers from four threads do not interfere", () =>
        {
            var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
            Parallel.For(0, 4, thread =>
            {
                for (int round = 0; round < 50; round++)
                {
                    byte register = (byte)(0x80 + thread);
                    byte value = (byte)(thread * 50 + round);
                    var into = new byte[1];
                    var w = bus.Transfer(chip, [I2cMessage.Write(new byte[] { register, value })]);
                    var r = bus.Transfer(chip, [I2cMessage.Write(new byte[] { register }), I2cMessage.Read(into)]);
                    if (w != I2cStatus.Ok || r != I2cStatus.Ok || into[0] != value)
                        failures.Enqueue($"thread {thread} round {round}: {w}/{r} read 0x{into[0]:x2} for 0x{value:x2}");
                }
            });
            return failures.IsEmpty ? null : failures.First();
        });

        checks.Run("i2c: register writes and reads allocate nothing", () =>
        {
            I2cMessage[] write = [I2cMessage.Write(new byte[] { 0x90, 0x11 })];
            I2cMessage[] read = [I2cMessage.Write(new byte[] { 0x90 }), I2cMessage.Read(new byte[1])];
            I2cMessage[] blockRead = [I2cMessage.Write(new byte[] { 0x40 }), I2cMessage.Read(new byte[16])];
            bus.Transfer(chip, write);
            bus.Transfer(chip, read);
            bus.Transfer(chip, blockRead);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 100; i++)
            {
                bus.Transfer(chip, write);
                bus.Transfer(chip, read);
                bus.Transfer(chip, blockRead);
            }
            return Expect(0L, GC.GetAllocatedBytesForCurrentThread() - before, "bytes allocated by 300 transfers");
        });

        checks.Run("i2c: discovery lists the stub bus as usable", () =>
        {
            var found = LinuxDeviceDiscovery.Discover().FirstOrDefault(d => d.Name == $"i2c-{busNumber}");
            if (found is null) return $"i2c-{busNumber} is not listed";
            Console.WriteLine($"     {found.Description}");
            return found.Usable && found.Description.Contains("SMBus stub driver") && found.Description.Contains("SMBus only")
                ? null
                : $"listed as '{found.Description}' (usable: {found.Usable})";
        });
    }

    /// <summary>Calls I2C_RDWR directly (the path LinuxI2cBus takes on I2C adapters): 0 on success, else errno.
    /// A kernel that got a malformed request would say EFAULT or EINVAL instead of EOPNOTSUPP.</summary>
    private static unsafe int RawRdwrErrno(int busNumber, ushort address)
    {
        using var fd = Libc.OpenDevice($"/dev/i2c-{busNumber}", Libc.O_RDWR, "the I2C bus");
        byte register = 0x10;
        byte value = 0;
        var messages = stackalloc I2cMsg[2];
        messages[0] = new I2cMsg { Addr = address, Flags = 0, Len = 1, Buf = &register };
        messages[1] = new I2cMsg { Addr = address, Flags = I2cAbi.I2C_M_RD, Len = 1, Buf = &value };
        var request = new I2cRdwrIoctlData { Msgs = messages, Nmsgs = 2 };
        int result = Libc.IoctlRetrying(fd, Ioctl.I2C_RDWR, &request);
        return result < 0 ? -result : 0;
    }
}
