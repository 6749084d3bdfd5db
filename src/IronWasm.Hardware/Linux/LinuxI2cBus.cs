using System.Buffers;
using IronWasm.Hardware.Buses;
using static IronWasm.Hardware.Linux.I2cAbi;

namespace IronWasm.Hardware.Linux;

/// <summary>
/// An I2C bus through Linux i2c-dev (/dev/i2c-N). A transfer is one Ioctl.I2C_RDWR ioctl: all its
/// messages joined by repeated starts, one stop at the end. Adapters that do only SMBus
/// (no I2C_FUNC_I2C, e.g. i2c-stub) get each transfer as the one SMBus command that puts the same
/// bytes on the wire (see <see cref="SmbusPlan"/>); other shapes fail with <see cref="I2cStatus.Other"/>
/// and <see cref="LastError"/> says why. Thread-safe: one transfer at a time.
/// </summary>
public sealed class LinuxI2cBus : II2cBus
{
    /// <summary>Transfers with at most this many data bytes in all run without touching the heap.</summary>
    private const int StackBufferBytes = 1024;

    private readonly FileDescriptor _fd;
    private readonly object _gate = new();
    private int _smbusAddress = -1;
    private string? _lastError;

    /// <summary>Opens /dev/i2c-<paramref name="busNumber"/>, named "i2c-N" unless <paramref name="name"/> says otherwise.</summary>
    public LinuxI2cBus(int busNumber, string? name = null)
        : this($"/dev/i2c-{busNumber}", name ?? $"i2c-{busNumber}")
    {
    }

    /// <summary>Opens the i2c-dev device at <paramref name="devicePath"/> under the bus name <paramref name="name"/>.</summary>
    /// <exception cref="LinuxDeviceException">The device cannot be opened or is not an i2c-dev device.</exception>
    public unsafe LinuxI2cBus(string devicePath, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(devicePath);
        ArgumentException.ThrowIfNullOrEmpty(name);
        DevicePath = devicePath;
        Name = name;
        _fd = Libc.OpenDevice(devicePath, Libc.O_RDWR, LinuxNames.I2cDevice);
        try
        {
            Functionality = ReadFunctionality(_fd, devicePath);
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
        AdapterName = LinuxSysfs.I2cAdapterName(Path.GetFileName(devicePath));
        Description = $"Linux i2c-dev {devicePath} ({(AdapterName is null ? "" : AdapterName + ", ")}{(SupportsI2c ? "I2C" : "SMBus only")})";
    }

    public string Name { get; }
    public string Description { get; }
    public string DevicePath { get; }

    /// <summary>The adapter's name from sysfs (e.g. "SMBus stub driver"), when known.</summary>
    public string? AdapterName { get; }

    /// <summary>The adapter's I2C_FUNC_* bits, as the I2C_FUNCS ioctl reports them.</summary>
    public uint Functionality { get; }

    /// <summary>True when the adapter does plain I2C transfers (I2C_FUNC_I2C); otherwise the SMBus fallback is used.</summary>
    public bool SupportsI2c => (Functionality & I2C_FUNC_I2C) != 0;

    /// <summary>Why the latest transfer that did not return <see cref="I2cStatus.Ok"/> failed; null after a success.</summary>
    public string? LastError
    {
        get
        {
            lock (_gate) return _lastError;
        }
    }

    public I2cStatus Transfer(ushort address, ReadOnlySpan<I2cMessage> messages)
    {
        lock (_gate)
        {
            if (_fd.IsClosed) throw new ObjectDisposedException(nameof(LinuxI2cBus));
            _lastError = null;
            if (address > 0x7f) return Fail($"address 0x{address:x} is not a 7-bit address");
            if (messages.Length == 0) return I2cStatus.Ok;
            return SupportsI2c ? TransferI2c(address, messages) : TransferSmbus(address, messages);
        }
    }

    public void Dispose() => _fd.Dispose();

    private unsafe I2cStatus TransferI2c(ushort address, ReadOnlySpan<I2cMessage> messages)
    {
        if (messages.Length > MaxMessages)
            return Fail($"a transfer of {messages.Length} messages is more than i2c-dev takes at once ({MaxMessages})");
        int total = 0;
        foreach (var message in messages)
        {
            if (message.Buffer.Length > MaxMessageLength)
                return Fail($"a message of {message.Buffer.Length} bytes is longer than i2c-dev takes ({MaxMessageLength})");
            total += message.Buffer.Length;
        }

        // One scratch buffer for all messages: writes are copied in, reads copied out after the ioctl.
        byte[]? rented = null;
        Span<byte> scratch = total <= StackBufferBytes
            ? stackalloc byte[StackBufferBytes]
            : (rented = ArrayPool<byte>.Shared.Rent(total));
        try
        {
            Span<I2cMsg> msgs = stackalloc I2cMsg[messages.Length];
            fixed (byte* data = scratch)
            fixed (I2cMsg* msgPointer = msgs)
            {
                int offset = 0;
                for (int i = 0; i < messages.Length; i++)
                {
                    var message = messages[i];
                    var span = message.Buffer.Span;
                    if (!message.IsRead) span.CopyTo(scratch.Slice(offset));
                    msgs[i] = new I2cMsg
                    {
                        Addr = address,
                        Flags = message.IsRead ? I2C_M_RD : (ushort)0,
                        Len = (ushort)span.Length,
                        Buf = data + offset,
                    };
                    offset += span.Length;
                }

                var request = new I2cRdwrIoctlData { Msgs = msgPointer, Nmsgs = (uint)messages.Length };
                int result = Libc.IoctlRetrying(_fd, Ioctl.I2C_RDWR, &request);
                if (result < 0) return FailErrno(-result, "Ioctl.I2C_RDWR", address);
                if (result != messages.Length)
                    return Fail($"Ioctl.I2C_RDWR to 0x{address:x2} did {result} of {messages.Length} messages");

                offset = 0;
                foreach (var message in messages)
                {
                    var span = message.Buffer.Span;
                    if (message.IsRead) scratch.Slice(offset, span.Length).CopyTo(span);
                    offset += span.Length;
                }
                return I2cStatus.Ok;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private unsafe I2cStatus TransferSmbus(ushort address, ReadOnlySpan<I2cMessage> messages)
    {
        if (!SmbusPlan.TryCreate(messages, Functionality, out var plan, out var why))
            return Fail($"cannot do this transfer to 0x{address:x2} on {DevicePath}: {why}");

        if (_smbusAddress != address)
        {
            int set = Libc.Ioctl(_fd, Ioctl.I2C_SLAVE, address);
            if (set < 0)
            {
                int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                return errno == Errno.EBUSY
                    ? Fail($"address 0x{address:x2} on {DevicePath} is claimed by a kernel driver (I2C_SLAVE: {Errno.Describe(errno)})")
                    : FailErrno(errno, "I2C_SLAVE", address);
            }
            _smbusAddress = address;
        }

        I2cSmbusData data = default;
        byte command = 0;
        var first = messages[0].Buffer.Span;
        if (plan.ReadWrite == I2C_SMBUS_WRITE)
        {
            if (first.Length > 0) command = first[0];
            switch (plan.Size)
            {
                case I2C_SMBUS_BYTE_DATA:
                    data.Byte = first[1];
                    break;
                case I2C_SMBUS_WORD_DATA:
                    // SMBus sends the low byte of the word first.
                    data.Word = (ushort)(first[1] | (first[2] << 8));
                    break;
                case I2C_SMBUS_I2C_BLOCK_DATA:
                    data.Block[0] = (byte)(first.Length - 1);
                    first[1..].CopyTo(new Span<byte>(data.Block + 1, first.Length - 1));
                    break;
            }
        }
        else if (messages.Length == 2)
        {
            command = first[0];
            if (plan.Size == I2C_SMBUS_I2C_BLOCK_DATA) data.Block[0] = (byte)messages[1].Buffer.Length;
        }

        var request = new I2cSmbusIoctlData { ReadWrite = plan.ReadWrite, Command = command, Size = plan.Size, Data = &data };
        int result = Libc.IoctlRetrying(_fd, Ioctl.I2C_SMBUS, &request);
        if (result < 0) return FailErrno(-result, $"I2C_SMBUS {plan.CommandName}", address);

        if (plan.ReadWrite == I2C_SMBUS_READ && plan.Size != I2C_SMBUS_QUICK)
        {
            var into = messages[^1].Buffer.Span;
            switch (plan.Size)
            {
                case I2C_SMBUS_BYTE:
                case I2C_SMBUS_BYTE_DATA:
                    into[0] = data.Byte;
                    break;
                case I2C_SMBUS_WORD_DATA:
                    into[0] = (byte)data.Word;
                    into[1] = (byte)(data.Word >> 8);
                    break;
                case I2C_SMBUS_I2C_BLOCK_DATA:
                    new ReadOnlySpan<byte>(data.Block + 1, into.Length).CopyTo(into);
                    break;
            }
        }
        return I2cStatus.Ok;
    }

    private I2cStatus Fail(string message)
    {
        _lastError = message;
        return I2cStatus.Other;
    }

    private I2cStatus FailErrno(int errno, string operation, ushort address)
    {
        _lastError = $"{operation} to 0x{address:x2} on {DevicePath} failed: {Errno.Describe(errno)}";
        return I2cFaults.ToStatus(errno);
    }

    private static unsafe uint ReadFunctionality(FileDescriptor fd, string path)
    {
        // I2C_FUNCS writes an unsigned long, which is nuint on every Linux ABI .NET runs on.
        nuint functionality = 0;
        int result = Libc.IoctlRetrying(fd, Ioctl.I2C_FUNCS, &functionality);
        if (result < 0)
            throw new LinuxDeviceException(path, -result, $"{path} is not an i2c-dev device: I2C_FUNCS failed: {Errno.Describe(-result)}");
        return (uint)functionality;
    }
}
