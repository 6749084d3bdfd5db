using System.Runtime.CompilerServices;
using IronWasm.Hardware.Linux;

namespace IronWasm.Hardware.Tests.Linux;

/// <summary>The expected sizes and offsets are what gcc prints for the uapi headers
/// (linux/gpio.h, i2c.h, i2c-dev.h, spi/spidev.h) on x86-64; the pointer-holding i2c structs
/// scale with the pointer size as in C.</summary>
public unsafe class KernelAbiTests
{
    [Fact]
    public void Gpio_structs_have_the_uapi_sizes()
    {
        Assert.Equal(68, Unsafe.SizeOf<GpioChipInfo>());
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineAttribute>());
        Assert.Equal(24, Unsafe.SizeOf<GpioV2LineConfigAttribute>());
        Assert.Equal(272, Unsafe.SizeOf<GpioV2LineConfig>());
        Assert.Equal(592, Unsafe.SizeOf<GpioV2LineRequest>());
        Assert.Equal(256, Unsafe.SizeOf<GpioV2LineInfo>());
        Assert.Equal(48, Unsafe.SizeOf<GpioV2LineEvent>());
        Assert.Equal(16, Unsafe.SizeOf<GpioV2LineValues>());
    }

    [Fact]
    public void Gpio_line_request_fields_sit_at_the_uapi_offsets()
    {
        GpioV2LineRequest r = default;
        byte* start = (byte*)&r;
        Assert.Equal(256, (byte*)r.Consumer - start);
        Assert.Equal(288, (byte*)&r.Config - start);
        Assert.Equal(560, (byte*)&r.NumLines - start);
        Assert.Equal(564, (byte*)&r.EventBufferSize - start);
        Assert.Equal(588, (byte*)&r.Fd - start);
    }

    [Fact]
    public void Gpio_line_config_info_and_event_fields_sit_at_the_uapi_offsets()
    {
        GpioV2LineConfig c = default;
        Assert.Equal(8, (byte*)&c.NumAttrs - (byte*)&c);
        Assert.Equal(32, (byte*)&c.Attrs - (byte*)&c);
        Assert.Equal(32 + 24 + 16, (byte*)&c.Attrs[1].Mask - (byte*)&c);

        GpioV2LineInfo i = default;
        Assert.Equal(32, (byte*)i.Consumer - (byte*)&i);
        Assert.Equal(64, (byte*)&i.Offset - (byte*)&i);
        Assert.Equal(72, (byte*)&i.Flags - (byte*)&i);
        Assert.Equal(80, (byte*)&i.Attrs - (byte*)&i);

        GpioV2LineEvent e = default;
        Assert.Equal(8, (byte*)&e.Id - (byte*)&e);
        Assert.Equal(12, (byte*)&e.Offset - (byte*)&e);
        Assert.Equal(16, (byte*)&e.Seqno - (byte*)&e);
        Assert.Equal(20, (byte*)&e.LineSeqno - (byte*)&e);
    }

    [Fact]
    public void Spi_ioc_transfer_is_32_bytes_with_the_uapi_offsets()
    {
        Assert.Equal(32, Unsafe.SizeOf<SpiIocTransfer>());
        SpiIocTransfer t = default;
        byte* start = (byte*)&t;
        Assert.Equal(16, (byte*)&t.Len - start);
        Assert.Equal(20, (byte*)&t.SpeedHz - start);
        Assert.Equal(24, (byte*)&t.DelayUsecs - start);
        Assert.Equal(26, (byte*)&t.BitsPerWord - start);
        Assert.Equal(27, (byte*)&t.CsChange - start);
        Assert.Equal(30, (byte*)&t.WordDelayUsecs - start);
    }

    [Fact]
    public void I2c_structs_have_the_uapi_layout_for_this_pointer_size()
    {
        int pointer = IntPtr.Size;
        Assert.Equal(6 + (pointer - 6 % pointer) % pointer + pointer, Unsafe.SizeOf<I2cMsg>());
        Assert.Equal(2 * pointer, Unsafe.SizeOf<I2cRdwrIoctlData>());
        Assert.Equal(8 + pointer, Unsafe.SizeOf<I2cSmbusIoctlData>());
        Assert.Equal(34, Unsafe.SizeOf<I2cSmbusData>());
        if (pointer == 8)
        {
            Assert.Equal(16, Unsafe.SizeOf<I2cMsg>());
            I2cMsg m = default;
            Assert.Equal(4, (byte*)&m.Len - (byte*)&m);
            Assert.Equal(8, (byte*)&m.Buf - (byte*)&m);
            I2cSmbusIoctlData d = default;
            Assert.Equal(4, (byte*)&d.Size - (byte*)&d);
            Assert.Equal(8, (byte*)&d.Data - (byte*)&d);
        }
    }

    [Fact]
    public void The_smbus_word_and_block_length_share_the_first_bytes()
    {
        I2cSmbusData data = default;
        data.Word = 0x1234;
        Assert.Equal(BitConverter.IsLittleEndian ? 0x34 : 0x12, data.Block[0]);
        data.Block[0] = 7;
        Assert.Equal(7, data.Byte);
    }
}
