using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IronWasm.Hardware.Linux;

// The structs of the kernel's user-space ABI, field for field as the uapi headers declare them.
// Structs holding pointers use sequential layout (their size follows the pointer size, as in C);
// the others have explicit offsets, because __aligned_u64 is 8-aligned on every architecture while
// .NET aligns ulong to 4 on 32-bit x86. tests/.../Linux/KernelAbiTests.cs checks every size and
// offset against what gcc reports for the uapi headers.

// ---- include/uapi/linux/i2c.h and i2c-dev.h ------------------------------------------------------

internal static class I2cAbi
{
    public const ushort I2C_M_RD = 0x0001;

    public const uint I2C_FUNC_I2C = 0x00000001;
    public const uint I2C_FUNC_SMBUS_QUICK = 0x00010000;
    public const uint I2C_FUNC_SMBUS_READ_BYTE = 0x00020000;
    public const uint I2C_FUNC_SMBUS_WRITE_BYTE = 0x00040000;
    public const uint I2C_FUNC_SMBUS_READ_BYTE_DATA = 0x00080000;
    public const uint I2C_FUNC_SMBUS_WRITE_BYTE_DATA = 0x00100000;
    public const uint I2C_FUNC_SMBUS_READ_WORD_DATA = 0x00200000;
    public const uint I2C_FUNC_SMBUS_WRITE_WORD_DATA = 0x00400000;
    public const uint I2C_FUNC_SMBUS_READ_I2C_BLOCK = 0x04000000;
    public const uint I2C_FUNC_SMBUS_WRITE_I2C_BLOCK = 0x08000000;
    public const uint I2C_FUNC_SMBUS_ANY = 0x0FFF8000;

    public const byte I2C_SMBUS_READ = 1;
    public const byte I2C_SMBUS_WRITE = 0;

    public const uint I2C_SMBUS_QUICK = 0;
    public const uint I2C_SMBUS_BYTE = 1;
    public const uint I2C_SMBUS_BYTE_DATA = 2;
    public const uint I2C_SMBUS_WORD_DATA = 3;
    public const uint I2C_SMBUS_I2C_BLOCK_DATA = 8;

    public const int I2C_SMBUS_BLOCK_MAX = 32;

    /// <summary>I2C_RDWR_IOCTL_MAX_MSGS in i2c-dev.h.</summary>
    public const int MaxMessages = 42;

    /// <summary>i2c-dev refuses longer messages with EINVAL (drivers/i2c/i2c-dev.c).</summary>
    public const int MaxMessageLength = 8192;
}

/// <summary>struct i2c_msg.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct I2cMsg
{
    public ushort Addr;
    public ushort Flags;
    public ushort Len;
    public byte* Buf;
}

/// <summary>struct i2c_rdwr_ioctl_data.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct I2cRdwrIoctlData
{
    public I2cMsg* Msgs;
    public uint Nmsgs;
}

/// <summary>struct i2c_smbus_ioctl_data.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct I2cSmbusIoctlData
{
    public byte ReadWrite;
    public byte Command;
    public uint Size;
    public I2cSmbusData* Data;
}

/// <summary>union i2c_smbus_data: byte, word (native order) and block[0] = length all start at offset 0.</summary>
[StructLayout(LayoutKind.Explicit, Size = 34)]
internal unsafe struct I2cSmbusData
{
    [FieldOffset(0)] public byte Byte;
    [FieldOffset(0)] public ushort Word;
    [FieldOffset(0)] public fixed byte Block[34];
}

// ---- include/uapi/linux/gpio.h -------------------------------------------------------------------

internal static class GpioAbi
{
    public const int GPIO_MAX_NAME_SIZE = 32;
    public const int GPIO_V2_LINES_MAX = 64;
    public const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;

    public const ulong GPIO_V2_LINE_FLAG_USED = 1UL << 0;
    public const ulong GPIO_V2_LINE_FLAG_ACTIVE_LOW = 1UL << 1;
    public const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;
    public const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;
    public const ulong GPIO_V2_LINE_FLAG_EDGE_RISING = 1UL << 4;
    public const ulong GPIO_V2_LINE_FLAG_EDGE_FALLING = 1UL << 5;
    public const ulong GPIO_V2_LINE_FLAG_OPEN_DRAIN = 1UL << 6;
    public const ulong GPIO_V2_LINE_FLAG_OPEN_SOURCE = 1UL << 7;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_UP = 1UL << 8;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_PULL_DOWN = 1UL << 9;
    public const ulong GPIO_V2_LINE_FLAG_BIAS_DISABLED = 1UL << 10;

    public const uint GPIO_V2_LINE_ATTR_ID_FLAGS = 1;
    public const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;
    public const uint GPIO_V2_LINE_ATTR_ID_DEBOUNCE = 3;

    public const uint GPIO_V2_LINE_EVENT_RISING_EDGE = 1;
    public const uint GPIO_V2_LINE_EVENT_FALLING_EDGE = 2;

    /// <summary>Reads a NUL-terminated char[32] field.</summary>
    public static unsafe string ReadName(byte* field)
    {
        var span = new ReadOnlySpan<byte>(field, GPIO_MAX_NAME_SIZE);
        int end = span.IndexOf((byte)0);
        return System.Text.Encoding.UTF8.GetString(end < 0 ? span : span[..end]);
    }
}

/// <summary>struct gpiochip_info (68 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 68)]
internal unsafe struct GpioChipInfo
{
    [FieldOffset(0)] public fixed byte Name[32];
    [FieldOffset(32)] public fixed byte Label[32];
    [FieldOffset(64)] public uint Lines;
}

/// <summary>struct gpio_v2_line_attribute (16 bytes); the union's flags, values and debounce_period_us share Value.</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioV2LineAttribute
{
    [FieldOffset(0)] public uint Id;
    [FieldOffset(4)] public uint Padding;
    [FieldOffset(8)] public ulong Value;
}

/// <summary>struct gpio_v2_line_config_attribute (24 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 24)]
internal struct GpioV2LineConfigAttribute
{
    [FieldOffset(0)] public GpioV2LineAttribute Attr;
    [FieldOffset(16)] public ulong Mask;
}

[InlineArray(GpioAbi.GPIO_V2_LINE_NUM_ATTRS_MAX)]
internal struct GpioV2LineConfigAttributes
{
    private GpioV2LineConfigAttribute _first;
}

[InlineArray(GpioAbi.GPIO_V2_LINE_NUM_ATTRS_MAX)]
internal struct GpioV2LineAttributes
{
    private GpioV2LineAttribute _first;
}

/// <summary>struct gpio_v2_line_config (272 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 272)]
internal unsafe struct GpioV2LineConfig
{
    [FieldOffset(0)] public ulong Flags;
    [FieldOffset(8)] public uint NumAttrs;
    [FieldOffset(12)] public fixed uint Padding[5];
    [FieldOffset(32)] public GpioV2LineConfigAttributes Attrs;
}

/// <summary>struct gpio_v2_line_request (592 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 592)]
internal unsafe struct GpioV2LineRequest
{
    [FieldOffset(0)] public fixed uint Offsets[64];
    [FieldOffset(256)] public fixed byte Consumer[32];
    [FieldOffset(288)] public GpioV2LineConfig Config;
    [FieldOffset(560)] public uint NumLines;
    [FieldOffset(564)] public uint EventBufferSize;
    [FieldOffset(568)] public fixed uint Padding[5];
    [FieldOffset(588)] public int Fd;
}

/// <summary>struct gpio_v2_line_info (256 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 256)]
internal unsafe struct GpioV2LineInfo
{
    [FieldOffset(0)] public fixed byte Name[32];
    [FieldOffset(32)] public fixed byte Consumer[32];
    [FieldOffset(64)] public uint Offset;
    [FieldOffset(68)] public uint NumAttrs;
    [FieldOffset(72)] public ulong Flags;
    [FieldOffset(80)] public GpioV2LineAttributes Attrs;
    [FieldOffset(240)] public fixed uint Padding[4];
}

/// <summary>struct gpio_v2_line_values (16 bytes).</summary>
[StructLayout(LayoutKind.Explicit, Size = 16)]
internal struct GpioV2LineValues
{
    [FieldOffset(0)] public ulong Bits;
    [FieldOffset(8)] public ulong Mask;
}

/// <summary>struct gpio_v2_line_event (48 bytes), as read() returns them from a line request's fd.</summary>
[StructLayout(LayoutKind.Explicit, Size = 48)]
internal unsafe struct GpioV2LineEvent
{
    [FieldOffset(0)] public ulong TimestampNs;
    [FieldOffset(8)] public uint Id;
    [FieldOffset(12)] public uint Offset;
    [FieldOffset(16)] public uint Seqno;
    [FieldOffset(20)] public uint LineSeqno;
    [FieldOffset(24)] public fixed uint Padding[6];
}

// ---- include/uapi/linux/spi/spidev.h -------------------------------------------------------------

/// <summary>struct spi_ioc_transfer (32 bytes on every architecture: the buffers are __u64).</summary>
[StructLayout(LayoutKind.Explicit, Size = Size)]
internal struct SpiIocTransfer
{
    public const int Size = 32;

    [FieldOffset(0)] public ulong TxBuf;
    [FieldOffset(8)] public ulong RxBuf;
    [FieldOffset(16)] public uint Len;
    [FieldOffset(20)] public uint SpeedHz;
    [FieldOffset(24)] public ushort DelayUsecs;
    [FieldOffset(26)] public byte BitsPerWord;
    [FieldOffset(27)] public byte CsChange;
    [FieldOffset(28)] public byte TxNbits;
    [FieldOffset(29)] public byte RxNbits;
    [FieldOffset(30)] public byte WordDelayUsecs;
    [FieldOffset(31)] public byte Pad;
}
