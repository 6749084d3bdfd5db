using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Linux;
using static IronWasm.Hardware.Linux.I2cAbi;

namespace IronWasm.Hardware.Tests.Linux;

public class I2cBackendTests
{
    /// <summary>What i2c-stub offers by default (drivers/i2c/i2c-stub.c, STUB_FUNC_DEFAULT).</summary>
    private const uint StubFunctionality = I2C_FUNC_SMBUS_QUICK | I2C_FUNC_SMBUS_READ_BYTE | I2C_FUNC_SMBUS_WRITE_BYTE
        | I2C_FUNC_SMBUS_READ_BYTE_DATA | I2C_FUNC_SMBUS_WRITE_BYTE_DATA | I2C_FUNC_SMBUS_READ_WORD_DATA
        | I2C_FUNC_SMBUS_WRITE_WORD_DATA | I2C_FUNC_SMBUS_READ_I2C_BLOCK | I2C_FUNC_SMBUS_WRITE_I2C_BLOCK;

    [Theory]
    [InlineData(Errno.ENXIO, I2cStatus.NoAcknowledgeAddress)]
    [InlineData(Errno.ENODEV, I2cStatus.NoAcknowledgeAddress)]
    [InlineData(Errno.EREMOTEIO, I2cStatus.NoAcknowledgeUnknown)]
    [InlineData(Errno.EAGAIN, I2cStatus.ArbitrationLoss)]
    [InlineData(Errno.ETIMEDOUT, I2cStatus.BusError)]
    [InlineData(Errno.EIO, I2cStatus.BusError)]
    [InlineData(Errno.EBUSY, I2cStatus.BusError)]
    [InlineData(Errno.ESHUTDOWN, I2cStatus.BusError)]
    [InlineData(Errno.EOVERFLOW, I2cStatus.Overrun)]
    [InlineData(Errno.EPROTO, I2cStatus.Other)]
    [InlineData(Errno.EBADMSG, I2cStatus.Other)]
    [InlineData(Errno.EOPNOTSUPP, I2cStatus.Other)]
    [InlineData(Errno.EINVAL, I2cStatus.Other)]
    [InlineData(12345, I2cStatus.Other)]
    public void Errno_values_map_to_wasi_i2c_errors(int errno, I2cStatus status)
    {
        Assert.Equal(status, I2cFaults.ToStatus(errno));
    }

    [Fact]
    public void Errno_descriptions_name_the_symbol()
    {
        Assert.EndsWith("(ENXIO)", Errno.Describe(Errno.ENXIO));
        Assert.Contains("No such device or address", Errno.Describe(Errno.ENXIO));
        Assert.Equal("errno 4242", Errno.Name(4242));
    }

    private static I2cMessage W(int length) => I2cMessage.Write(new byte[length]);
    private static I2cMessage R(int length) => I2cMessage.Read(new byte[length]);

    public static TheoryData<string, uint, byte, string> MappedShapes => new()
    {
        { "W0", I2C_SMBUS_QUICK, I2C_SMBUS_WRITE, "quick write" },
        { "R0", I2C_SMBUS_QUICK, I2C_SMBUS_READ, "quick read" },
        { "W1", I2C_SMBUS_BYTE, I2C_SMBUS_WRITE, "send byte" },
        { "R1", I2C_SMBUS_BYTE, I2C_SMBUS_READ, "receive byte" },
        { "W2", I2C_SMBUS_BYTE_DATA, I2C_SMBUS_WRITE, "write byte data" },
        { "W3", I2C_SMBUS_WORD_DATA, I2C_SMBUS_WRITE, "write word data" },
        { "W4", I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_WRITE, "I2C block write" },
        { "W33", I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_WRITE, "I2C block write" },
        { "W1 R1", I2C_SMBUS_BYTE_DATA, I2C_SMBUS_READ, "read byte data" },
        { "W1 R2", I2C_SMBUS_WORD_DATA, I2C_SMBUS_READ, "read word data" },
        { "W1 R3", I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_READ, "I2C block read" },
        { "W1 R32", I2C_SMBUS_I2C_BLOCK_DATA, I2C_SMBUS_READ, "I2C block read" },
    };

    [Theory]
    [MemberData(nameof(MappedShapes))]
    public void Transfer_shapes_with_an_exact_smbus_equivalent_are_mapped(string shape, uint size, byte readWrite, string command)
    {
        Assert.True(SmbusPlan.TryCreate(Parse(shape), StubFunctionality, out var plan, out var error), error);
        Assert.Equal(new SmbusPlan(readWrite, size, command), plan);
    }

    [Theory]
    [InlineData("W2", I2C_SMBUS_I2C_BLOCK_DATA)]
    [InlineData("W3", I2C_SMBUS_I2C_BLOCK_DATA)]
    [InlineData("W1 R1", I2C_SMBUS_I2C_BLOCK_DATA)]
    [InlineData("W1 R2", I2C_SMBUS_I2C_BLOCK_DATA)]
    public void Byte_and_word_shapes_fall_back_to_i2c_block_commands(string shape, uint size)
    {
        const uint blockOnly = I2C_FUNC_SMBUS_READ_I2C_BLOCK | I2C_FUNC_SMBUS_WRITE_I2C_BLOCK;
        Assert.True(SmbusPlan.TryCreate(Parse(shape), blockOnly, out var plan, out _));
        Assert.Equal(size, plan.Size);
    }

    [Theory]
    [InlineData("R2", "a read of 2 bytes without a register byte written first")]
    [InlineData("W34", "a write of 34 bytes is longer than an SMBus block")]
    [InlineData("W1 R33", "a read of 33 bytes is longer than an SMBus block (32 bytes)")]
    [InlineData("W1 R0", "followed by a read of 0 bytes")]
    [InlineData("W2 R1", "a transfer of 2 messages (write 2, read 1)")]
    [InlineData("W1 W1", "a transfer of 2 messages (write 1, write 1)")]
    [InlineData("W1 R1 R1", "a transfer of 3 messages")]
    [InlineData("R1 W1", "a transfer of 2 messages (read 1, write 1)")]
    public void Shapes_without_an_smbus_equivalent_are_refused_with_a_reason(string shape, string reason)
    {
        Assert.False(SmbusPlan.TryCreate(Parse(shape), StubFunctionality, out _, out var error));
        Assert.Contains(reason, error);
        Assert.Contains("This adapter does SMBus only", error);
    }

    [Fact]
    public void A_shape_the_adapter_lacks_the_command_for_is_refused_naming_the_command()
    {
        Assert.False(SmbusPlan.TryCreate(Parse("W0"), I2C_FUNC_SMBUS_READ_BYTE, out _, out var error));
        Assert.Equal("the transfer needs SMBus quick write, which this adapter does not offer", error);
        Assert.False(SmbusPlan.TryCreate(Parse("W1 R1"), I2C_FUNC_SMBUS_READ_BYTE, out _, out error));
        Assert.Equal("the transfer needs SMBus read byte data or I2C block read, which this adapter does not offer", error);
    }

    [Fact]
    public void Opening_a_missing_bus_says_what_to_check()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxI2cBus(99));
        Assert.Equal("/dev/i2c-99", e.DevicePath);
        Assert.Equal(Errno.ENOENT, e.Errno);
        Assert.StartsWith("cannot open the I2C bus /dev/i2c-99: No such file or directory (ENOENT)", e.Message);
        Assert.Contains("is the i2c-dev module loaded", e.Message);
        Assert.Contains("ls /dev/i2c-*", e.Message);
    }

    [Fact]
    public void Opening_something_that_is_not_i2c_dev_is_refused()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxI2cBus("/dev/null", "not-a-bus"));
        Assert.Equal(Errno.ENOTTY, e.Errno);
        Assert.StartsWith("/dev/null is not an i2c-dev device: I2C_FUNCS failed", e.Message);
    }

    private static I2cMessage[] Parse(string shape) =>
        shape.Split(' ').Select(part => part[0] == 'W' ? W(int.Parse(part[1..])) : R(int.Parse(part[1..]))).ToArray();
}
