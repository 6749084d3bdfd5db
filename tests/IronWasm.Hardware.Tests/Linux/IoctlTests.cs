using IronWasm.Hardware.Linux;

namespace IronWasm.Hardware.Tests.Linux;

/// <summary>The request numbers are checked against the values the kernel headers give (printed
/// by gcc from linux/gpio.h, spi/spidev.h and i2c-dev.h on x86-64).</summary>
public class IoctlTests
{
    [Fact]
    public void I2c_dev_requests_are_the_header_constants()
    {
        Assert.Equal(0x0703u, Ioctl.I2C_SLAVE);
        Assert.Equal(0x0705u, Ioctl.I2C_FUNCS);
        Assert.Equal(0x0707u, Ioctl.I2C_RDWR);
        Assert.Equal(0x0720u, Ioctl.I2C_SMBUS);
    }

    [Fact]
    public void Gpio_requests_match_the_header_values()
    {
        Assert.Equal(0x8044B401u, Ioctl.GPIO_GET_CHIPINFO_IOCTL);
        Assert.Equal(0xC100B405u, Ioctl.GPIO_V2_GET_LINEINFO_IOCTL);
        Assert.Equal(0xC250B407u, Ioctl.GPIO_V2_GET_LINE_IOCTL);
        Assert.Equal(0xC110B40Du, Ioctl.GPIO_V2_LINE_SET_CONFIG_IOCTL);
        Assert.Equal(0xC010B40Eu, Ioctl.GPIO_V2_LINE_GET_VALUES_IOCTL);
        Assert.Equal(0xC010B40Fu, Ioctl.GPIO_V2_LINE_SET_VALUES_IOCTL);
    }

    [Fact]
    public void Spi_requests_match_the_header_values()
    {
        Assert.Equal(0x40016B01u, Ioctl.SPI_IOC_WR_MODE);
        Assert.Equal(0x80016B01u, Ioctl.SPI_IOC_RD_MODE);
        Assert.Equal(0x40016B03u, Ioctl.SPI_IOC_WR_BITS_PER_WORD);
        Assert.Equal(0x40046B04u, Ioctl.SPI_IOC_WR_MAX_SPEED_HZ);
        Assert.Equal(0x80046B04u, Ioctl.SPI_IOC_RD_MAX_SPEED_HZ);
        Assert.Equal(0x40046B05u, Ioctl.SPI_IOC_WR_MODE32);
        Assert.Equal(0x80046B05u, Ioctl.SPI_IOC_RD_MODE32);
        Assert.Equal(0x40206B00u, Ioctl.SPI_IOC_MESSAGE(1));
        Assert.Equal(0x40606B00u, Ioctl.SPI_IOC_MESSAGE(3));
    }

    [Fact]
    public void Spi_message_takes_at_most_511_transfers()
    {
        Assert.Equal(511, Ioctl.SpiMaxTransfers);
        Assert.Equal(0x7FE06B00u, Ioctl.SPI_IOC_MESSAGE(511));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ioctl.SPI_IOC_MESSAGE(512));
    }

    [Theory]
    [InlineData(0u, 0x00000000u)]
    [InlineData(1u, 0x40000000u)]
    [InlineData(2u, 0x80000000u)]
    [InlineData(3u, 0xC0000000u)]
    public void The_generic_layout_puts_two_direction_bits_on_top(uint direction, uint top)
    {
        Assert.Equal(top | (68u << 16) | 0xB401u, Ioctl.Encode(Ioctl.Layout.Generic, direction, 0xB4, 0x01, 68));
    }

    [Theory]
    [InlineData(0u, 0x20000000u)] // _IOC_NONE is 1
    [InlineData(1u, 0x80000000u)] // _IOC_WRITE is 4
    [InlineData(2u, 0x40000000u)] // _IOC_READ is 2
    [InlineData(3u, 0xC0000000u)]
    public void The_powerpc_layout_has_three_direction_bits_and_13_size_bits(uint direction, uint top)
    {
        Assert.Equal(top | (68u << 16) | 0xB401u, Ioctl.Encode(Ioctl.Layout.ThreeDirectionBits, direction, 0xB4, 0x01, 68));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ioctl.Encode(Ioctl.Layout.ThreeDirectionBits, direction, 0xB4, 1, 1 << 13));
    }

    [Fact]
    public void Sizes_that_do_not_fit_the_field_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ioctl.Encode(Ioctl.Layout.Generic, 1, 0x6B, 0, 1 << 14));
    }
}
