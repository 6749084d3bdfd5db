using IronWasm.Hardware.Buses;
using IronWasm.Hardware.Linux;
using static IronWasm.Hardware.Linux.GpioAbi;

namespace IronWasm.Hardware.Tests.Linux;

public class GpioSpiBackendTests
{
    [Fact]
    public void An_output_line_is_requested_as_output_with_its_initial_level()
    {
        GpioV2LineConfig config = default;
        LinuxGpioChip.FillConfig(ref config, new GpioLineConfig(GpioDirection.Output, InitialHigh: true), watchEdges: false);
        Assert.Equal(GPIO_V2_LINE_FLAG_OUTPUT, config.Flags);
        Assert.Equal(1u, config.NumAttrs);
        Assert.Equal(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, config.Attrs[0].Attr.Id);
        Assert.Equal(1UL, config.Attrs[0].Attr.Value);
        Assert.Equal(1UL, config.Attrs[0].Mask);
    }

    [Theory]
    [InlineData(GpioPull.None, GPIO_V2_LINE_FLAG_BIAS_DISABLED)]
    [InlineData(GpioPull.PullUp, GPIO_V2_LINE_FLAG_BIAS_PULL_UP)]
    [InlineData(GpioPull.PullDown, GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN)]
    public void An_input_line_gets_its_bias_and_both_edges(GpioPull pull, ulong bias)
    {
        GpioV2LineConfig config = default;
        LinuxGpioChip.FillConfig(ref config, new GpioLineConfig(GpioDirection.Input, pull), watchEdges: true);
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | bias | GPIO_V2_LINE_FLAG_EDGE_RISING | GPIO_V2_LINE_FLAG_EDGE_FALLING, config.Flags);
        Assert.Equal(0u, config.NumAttrs);
        Assert.Equal(GPIO_V2_LINE_FLAG_INPUT | bias, LinuxGpioChip.FlagsFor(new GpioLineConfig(GpioDirection.Input, pull), watchEdges: false));
    }

    [Fact]
    public void Opening_a_missing_gpio_chip_says_what_to_check()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxGpioChip(99));
        Assert.Equal("/dev/gpiochip99", e.DevicePath);
        Assert.StartsWith("cannot open the GPIO chip /dev/gpiochip99: No such file or directory (ENOENT)", e.Message);
        Assert.Contains("ls /dev/gpiochip*", e.Message);
    }

    [Fact]
    public void Opening_something_that_is_not_a_gpio_chip_is_refused()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxGpioChip("/dev/null"));
        Assert.StartsWith("/dev/null is not a GPIO character device", e.Message);
    }

    [Fact]
    public void Opening_a_missing_spi_device_says_what_to_check()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxSpiDevice("flash0", new LinuxSpiOptions("/dev/spidev9.9")));
        Assert.StartsWith("cannot open the SPI device /dev/spidev9.9: No such file or directory (ENOENT)", e.Message);
        Assert.Contains("ls /dev/spidev*", e.Message);
    }

    [Fact]
    public void Opening_something_that_is_not_spidev_is_refused()
    {
        var e = Assert.Throws<LinuxDeviceException>(() => new LinuxSpiDevice("flash0", new LinuxSpiOptions("/dev/null", Mode: 3)));
        Assert.StartsWith("/dev/null refuses mode 0x3", e.Message);
    }

    [Fact]
    public void A_delay_is_added_to_the_transfer_before_it()
    {
        Span<SpiIocTransfer> list = stackalloc SpiIocTransfer[4];
        int count = 1;
        LinuxSpiDevice.AddDelay(list, ref count, 10);
        LinuxSpiDevice.AddDelay(list, ref count, 5);
        Assert.Equal(1, count);
        Assert.Equal(15, list[0].DelayUsecs);
    }

    [Fact]
    public void A_leading_or_overlong_delay_gets_transfers_of_no_bytes()
    {
        Span<SpiIocTransfer> list = stackalloc SpiIocTransfer[4];
        int count = 0;
        LinuxSpiDevice.AddDelay(list, ref count, 70_000);
        Assert.Equal(2, count);
        Assert.Equal((ushort)65535, list[0].DelayUsecs);
        Assert.Equal((ushort)(70_000 - 65535), list[1].DelayUsecs);
        Assert.Equal(0u, list[0].Len + list[1].Len);
    }

    [Fact]
    public void Transfers_are_counted_as_the_delays_will_fill_them()
    {
        var data = new byte[2];
        Assert.Equal(0, LinuxSpiDevice.CountTransfers([]));
        Assert.Equal(0, LinuxSpiDevice.CountTransfers([SpiOperation.Wait(0)]));
        Assert.Equal(1, LinuxSpiDevice.CountTransfers([SpiOperation.Wait(1)]));
        Assert.Equal(2, LinuxSpiDevice.CountTransfers([SpiOperation.WriteFrom(data), SpiOperation.Wait(1_000), SpiOperation.ReadInto(data)]));
        Assert.Equal(1, LinuxSpiDevice.CountTransfers([SpiOperation.WriteFrom(data), SpiOperation.Wait(60_000_000), SpiOperation.Wait(5_000_000)]));
        Assert.Equal(2, LinuxSpiDevice.CountTransfers([SpiOperation.WriteFrom(data), SpiOperation.Wait(60_000_000), SpiOperation.Wait(10_000_000)]));
        Assert.Equal(3, LinuxSpiDevice.CountTransfers([SpiOperation.Wait(1_000), SpiOperation.TransferBoth(data, new byte[2]), SpiOperation.Wait(70_000_000)]));
    }

    [Theory]
    [InlineData(0u, 0L)]
    [InlineData(1u, 1L)]
    [InlineData(999u, 1L)]
    [InlineData(1000u, 1L)]
    [InlineData(1001u, 2L)]
    [InlineData(uint.MaxValue, 4294968L)]
    public void Delays_round_up_to_whole_microseconds(uint nanoseconds, long micros)
    {
        Assert.Equal(micros, LinuxSpiDevice.MicrosecondsOf(nanoseconds));
    }

    [Fact]
    public void Spi_device_mappings_parse_with_their_settings()
    {
        Assert.Equal(("flash0", new LinuxSpiOptions("/dev/spidev0.0")), LinuxSpiOptions.Parse("flash0=/dev/spidev0.0"));
        Assert.Equal(("adc", new LinuxSpiOptions("/dev/spidev1.2", 3, 8_000_000, 16)),
            LinuxSpiOptions.Parse("adc=/dev/spidev1.2, mode=3, speed=8000000, bits=16"));
    }

    [Theory]
    [InlineData("/dev/spidev0.0", "expected NAME=/dev/spidevB.C")]
    [InlineData("flash0=", "no device path")]
    [InlineData("flash0=/dev/spidev0.0,mode=x", "'mode=x' needs a whole number")]
    [InlineData("flash0=/dev/spidev0.0,bits=0", "bits must be 1 to 32")]
    [InlineData("flash0=/dev/spidev0.0,cpol=1", "unknown setting 'cpol'")]
    public void Bad_spi_device_mappings_are_errors(string text, string message)
    {
        Assert.Contains(message, Assert.Throws<FormatException>(() => LinuxSpiOptions.Parse(text)).Message);
    }
}
