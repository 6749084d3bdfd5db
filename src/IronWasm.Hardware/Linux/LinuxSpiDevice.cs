using System.Buffers;
using System.Globalization;
using IronWasm.Hardware.Buses;

namespace IronWasm.Hardware.Linux;

/// <summary>How to open a spidev device: its path and the settings the device needs.</summary>
/// <param name="DevicePath">e.g. "/dev/spidev0.0" (bus 0, chip select 0).</param>
/// <param name="Mode">SPI_MODE_0..3 in the low two bits (CPHA 0x01, CPOL 0x02), plus spidev's other
/// mode bits (SPI_CS_HIGH 0x04, SPI_LSB_FIRST 0x08, SPI_3WIRE 0x10, ...).</param>
/// <param name="MaxSpeedHz">The clock rate.</param>
/// <param name="BitsPerWord">Word size; 8 for nearly every device.</param>
public sealed record LinuxSpiOptions(string DevicePath, uint Mode = 0, uint MaxSpeedHz = 1_000_000, byte BitsPerWord = 8)
{
    /// <summary>Parses "NAME=/dev/spidevB.C[,mode=M][,speed=HZ][,bits=N]", the form the command line
    /// uses to map a logical device name to its device file, e.g. "flash0=/dev/spidev0.0,mode=0,speed=8000000".</summary>
    /// <exception cref="FormatException">The text is not in that form.</exception>
    public static (string Name, LinuxSpiOptions Options) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int equals = text.IndexOf('=');
        if (equals <= 0)
            throw new FormatException($"bad SPI device mapping '{text}': expected NAME=/dev/spidevB.C[,mode=M][,speed=HZ][,bits=N]");
        string name = text[..equals].Trim();
        var parts = text[(equals + 1)..].Split(',', StringSplitOptions.TrimEntries);
        if (parts[0].Length == 0)
            throw new FormatException($"bad SPI device mapping '{text}': no device path after '{name}='");
        var options = new LinuxSpiOptions(parts[0]);
        foreach (var part in parts.Skip(1))
        {
            int eq = part.IndexOf('=');
            string key = eq < 0 ? part : part[..eq];
            string value = eq < 0 ? "" : part[(eq + 1)..];
            if (!uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number))
                throw new FormatException($"bad SPI device mapping '{text}': '{part}' needs a whole number");
            options = key switch
            {
                "mode" => options with { Mode = number },
                "speed" => options with { MaxSpeedHz = number },
                "bits" when number is >= 1 and <= 32 => options with { BitsPerWord = (byte)number },
                "bits" => throw new FormatException($"bad SPI device mapping '{text}': bits must be 1 to 32"),
                _ => throw new FormatException($"bad SPI device mapping '{text}': unknown setting '{key}' (mode, speed, bits)"),
            };
        }
        return (name, options);
    }
}

/// <summary>
/// An SPI device through Linux spidev (/dev/spidevB.C). A transaction is one SPI_IOC_MESSAGE ioctl
/// whose transfers all keep chip select asserted (cs_change 0); a delay step becomes the
/// delay_usecs of the transfer before it (or a transfer of no bytes when it comes first), so it
/// too happens with chip select held. Thread-safe: one transaction at a time.
/// </summary>
public sealed class LinuxSpiDevice : ISpiDevice
{
    private const int StackBufferBytes = 1024;
    private const int StackTransfers = 32;

    private readonly FileDescriptor _fd;
    private readonly object _gate = new();

    /// <summary>Opens the device and applies <paramref name="options"/>; guests open it as <paramref name="name"/>.</summary>
    /// <exception cref="LinuxDeviceException">The device cannot be opened, or refuses the settings.</exception>
    public unsafe LinuxSpiDevice(string name, LinuxSpiOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        DevicePath = options.DevicePath;
        _fd = Libc.OpenDevice(options.DevicePath, Libc.O_RDWR, LinuxNames.SpiDevice);
        try
        {
            uint mode = options.Mode;
            int result = Libc.IoctlRetrying(_fd, Ioctl.SPI_IOC_WR_MODE32, &mode);
            if (result < 0 && mode <= 0xff)
            {
                // Kernels before 3.15 know only the 8-bit mode ioctl.
                byte mode8 = (byte)mode;
                result = Libc.IoctlRetrying(_fd, Ioctl.SPI_IOC_WR_MODE, &mode8);
            }
            if (result < 0) throw Refused("mode 0x" + options.Mode.ToString("x", CultureInfo.InvariantCulture), -result);
            byte bits = options.BitsPerWord;
            result = Libc.IoctlRetrying(_fd, Ioctl.SPI_IOC_WR_BITS_PER_WORD, &bits);
            if (result < 0) throw Refused($"{options.BitsPerWord} bits per word", -result);
            uint speed = options.MaxSpeedHz;
            result = Libc.IoctlRetrying(_fd, Ioctl.SPI_IOC_WR_MAX_SPEED_HZ, &speed);
            if (result < 0) throw Refused($"{options.MaxSpeedHz} Hz", -result);
            Settings = (ReadSettings(_fd) ?? options) with { DevicePath = options.DevicePath };
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
        Description = $"Linux spidev {DevicePath} (mode {Settings.Mode & 3}, {Settings.BitsPerWord} bits, {Settings.MaxSpeedHz} Hz)";
    }

    public string Name { get; }
    public string Description { get; }
    public string DevicePath { get; }

    /// <summary>The settings the device reports after opening.</summary>
    public LinuxSpiOptions Settings { get; }

    public unsafe SpiStatus Transaction(ReadOnlySpan<SpiOperation> operations, out string? message)
    {
        message = null;
        lock (_gate)
        {
            if (_fd.IsClosed) throw new ObjectDisposedException(nameof(LinuxSpiDevice));

            int dataBytes = 0;
            foreach (var op in operations)
                dataBytes += op.Kind switch
                {
                    SpiOperationKind.Read => op.Read.Length,
                    SpiOperationKind.Write => op.Write.Length,
                    SpiOperationKind.Transfer => op.Write.Length * 2,
                    _ => 0,
                };
            int transfers = CountTransfers(operations);
            if (transfers == 0) return SpiStatus.Ok;
            if (transfers > Ioctl.SpiMaxTransfers)
            {
                message = $"a transaction of {transfers} transfers is more than SPI_IOC_MESSAGE takes at once ({Ioctl.SpiMaxTransfers})";
                return SpiStatus.Other;
            }

            byte[]? rentedData = null;
            SpiIocTransfer[]? rentedTransfers = null;
            Span<byte> scratch = dataBytes <= StackBufferBytes ? stackalloc byte[StackBufferBytes] : (rentedData = ArrayPool<byte>.Shared.Rent(dataBytes));
            Span<SpiIocTransfer> list = transfers <= StackTransfers
                ? stackalloc SpiIocTransfer[StackTransfers]
                : (rentedTransfers = ArrayPool<SpiIocTransfer>.Shared.Rent(transfers));
            try
            {
                list = list[..transfers];
                list.Clear();
                fixed (byte* data = scratch)
                fixed (SpiIocTransfer* transferPointer = list)
                {
                    int offset = 0, count = 0;
                    foreach (var op in operations)
                    {
                        if (op.Kind == SpiOperationKind.Delay)
                        {
                            AddDelay(list, ref count, MicrosecondsOf(op.DelayNs));
                            continue;
                        }
                        ref var t = ref list[count++];
                        if (op.Kind != SpiOperationKind.Read)
                        {
                            op.Write.Span.CopyTo(scratch.Slice(offset));
                            t.TxBuf = (ulong)(nuint)(data + offset);
                            t.Len = (uint)op.Write.Length;
                            offset += op.Write.Length;
                        }
                        if (op.Kind != SpiOperationKind.Write)
                        {
                            t.RxBuf = (ulong)(nuint)(data + offset);
                            t.Len = (uint)op.Read.Length;
                            offset += op.Read.Length;
                        }
                    }

                    int result = Libc.IoctlRetrying(_fd, (nuint)Ioctl.SPI_IOC_MESSAGE(count), transferPointer);
                    if (result < 0)
                    {
                        message = Explain(-result, dataBytes);
                        return SpiStatus.Other;
                    }

                    // Copy what came in back to the operations, in the same order it was laid out.
                    offset = 0;
                    foreach (var op in operations)
                    {
                        if (op.Kind == SpiOperationKind.Delay) continue;
                        if (op.Kind != SpiOperationKind.Read) offset += op.Write.Length;
                        if (op.Kind != SpiOperationKind.Write)
                        {
                            scratch.Slice(offset, op.Read.Length).CopyTo(op.Read.Span);
                            offset += op.Read.Length;
                        }
                    }
                    return SpiStatus.Ok;
                }
            }
            finally
            {
                if (rentedData is not null) ArrayPool<byte>.Shared.Return(rentedData);
                if (rentedTransfers is not null) ArrayPool<SpiIocTransfer>.Shared.Return(rentedTransfers);
            }
        }
    }

    public void Dispose() => _fd.Dispose();

    /// <summary>Adds <paramref name="micros"/> of delay with chip select held: onto the previous
    /// transfer's delay_usecs while it fits, then as transfers of no bytes.</summary>
    internal static void AddDelay(Span<SpiIocTransfer> list, ref int count, long micros)
    {
        if (micros <= 0) return;
        if (count > 0)
        {
            ref var previous = ref list[count - 1];
            long room = ushort.MaxValue - previous.DelayUsecs;
            long add = Math.Min(room, micros);
            previous.DelayUsecs += (ushort)add;
            micros -= add;
        }
        while (micros > 0)
        {
            ref var pause = ref list[count++];
            long add = Math.Min(ushort.MaxValue, micros);
            pause.DelayUsecs = (ushort)add;
            micros -= add;
        }
    }

    /// <summary>How many spi_ioc_transfer entries <see cref="AddDelay"/> and the data steps will fill.</summary>
    internal static int CountTransfers(ReadOnlySpan<SpiOperation> operations)
    {
        int count = 0;
        long lastDelay = 0;
        foreach (var op in operations)
        {
            if (op.Kind != SpiOperationKind.Delay)
            {
                count++;
                lastDelay = 0;
                continue;
            }
            long micros = MicrosecondsOf(op.DelayNs);
            if (micros <= 0) continue;
            if (count > 0)
            {
                long add = Math.Min(ushort.MaxValue - lastDelay, micros);
                lastDelay += add;
                micros -= add;
            }
            while (micros > 0)
            {
                count++;
                lastDelay = Math.Min(ushort.MaxValue, micros);
                micros -= lastDelay;
            }
        }
        return count;
    }

    internal static long MicrosecondsOf(uint nanoseconds) => ((long)nanoseconds + 999) / 1000;

    private string Explain(int errno, int dataBytes) => errno switch
    {
        Errno.EMSGSIZE => $"SPI_IOC_MESSAGE on {DevicePath} failed: {Errno.Describe(errno)}: the transaction moves {dataBytes} bytes, more than spidev's buffer (the spidev.bufsiz module parameter, 4096 by default)",
        Errno.ESHUTDOWN => $"SPI_IOC_MESSAGE on {DevicePath} failed: {Errno.Describe(errno)}: the device was removed",
        _ => $"SPI_IOC_MESSAGE on {DevicePath} failed: {Errno.Describe(errno)}",
    };

    private LinuxDeviceException Refused(string setting, int errno) =>
        new(DevicePath, errno, $"{DevicePath} refuses {setting}: {Errno.Describe(errno)}");

    internal static unsafe LinuxSpiOptions? ReadSettings(FileDescriptor fd)
    {
        uint mode = 0, speed = 0;
        byte bits = 0;
        if (Libc.IoctlRetrying(fd, Ioctl.SPI_IOC_RD_MODE32, &mode) < 0)
        {
            byte mode8 = 0;
            if (Libc.IoctlRetrying(fd, Ioctl.SPI_IOC_RD_MODE, &mode8) < 0) return null;
            mode = mode8;
        }
        if (Libc.IoctlRetrying(fd, Ioctl.SPI_IOC_RD_BITS_PER_WORD, &bits) < 0) return null;
        if (Libc.IoctlRetrying(fd, Ioctl.SPI_IOC_RD_MAX_SPEED_HZ, &speed) < 0) return null;
        return new LinuxSpiOptions("", mode, speed, bits == 0 ? (byte)8 : bits);
    }
}
