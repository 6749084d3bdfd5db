using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IronWasm.Hardware.Linux;

/// <summary>ioctl request numbers, computed the way the kernel's _IOC macro does
/// (include/uapi/asm-generic/ioctl.h): number in bits 0-7, type in 8-15, the argument's size
/// above them, the direction on top. Most architectures use 14 size bits and 2 direction bits
/// (none 0, write 1, read 2); PowerPC, MIPS, SPARC and Alpha use 13 and 3 (none 1, read 2, write 4).</summary>
internal static class Ioctl
{
    internal enum Layout { Generic, ThreeDirectionBits }

    /// <summary>The layout of the machine we run on. Of .NET's Linux targets only ppc64le differs.</summary>
    internal static readonly Layout Current =
        RuntimeInformation.ProcessArchitecture == Architecture.Ppc64le ? Layout.ThreeDirectionBits : Layout.Generic;

    private const uint DirNone = 0, DirWrite = 1, DirRead = 2;

    internal static uint Encode(Layout layout, uint direction, uint type, uint number, uint size)
    {
        if (layout == Layout.Generic)
        {
            if (size >= 1u << 14) throw new ArgumentOutOfRangeException(nameof(size), "an ioctl argument is at most 16383 bytes");
            return (direction << 30) | (size << 16) | (type << 8) | number;
        }
        if (size >= 1u << 13) throw new ArgumentOutOfRangeException(nameof(size), "an ioctl argument is at most 8191 bytes here");
        uint dir = (direction == DirNone ? 1u : 0u) | ((direction & DirRead) != 0 ? 2u : 0u) | ((direction & DirWrite) != 0 ? 4u : 0u);
        return (dir << 29) | (size << 16) | (type << 8) | number;
    }

    internal static uint IO(uint type, uint number) => Encode(Current, DirNone, type, number, 0);
    internal static uint IOR(uint type, uint number, uint size) => Encode(Current, DirRead, type, number, size);
    internal static uint IOW(uint type, uint number, uint size) => Encode(Current, DirWrite, type, number, size);
    internal static uint IOWR(uint type, uint number, uint size) => Encode(Current, DirRead | DirWrite, type, number, size);

    // include/uapi/linux/i2c-dev.h: plain numbers, not built with _IOC.
    internal const uint I2C_SLAVE = 0x0703;
    internal const uint I2C_FUNCS = 0x0705;
    internal const uint I2C_RDWR = 0x0707;
    internal const uint I2C_SMBUS = 0x0720;

    // include/uapi/linux/gpio.h
    private const uint GpioMagic = 0xB4;
    internal static readonly uint GPIO_GET_CHIPINFO_IOCTL = IOR(GpioMagic, 0x01, (uint)Unsafe.SizeOf<GpioChipInfo>());
    internal static readonly uint GPIO_V2_GET_LINEINFO_IOCTL = IOWR(GpioMagic, 0x05, (uint)Unsafe.SizeOf<GpioV2LineInfo>());
    internal static readonly uint GPIO_V2_GET_LINE_IOCTL = IOWR(GpioMagic, 0x07, (uint)Unsafe.SizeOf<GpioV2LineRequest>());
    internal static readonly uint GPIO_V2_LINE_SET_CONFIG_IOCTL = IOWR(GpioMagic, 0x0D, (uint)Unsafe.SizeOf<GpioV2LineConfig>());
    internal static readonly uint GPIO_V2_LINE_GET_VALUES_IOCTL = IOWR(GpioMagic, 0x0E, (uint)Unsafe.SizeOf<GpioV2LineValues>());
    internal static readonly uint GPIO_V2_LINE_SET_VALUES_IOCTL = IOWR(GpioMagic, 0x0F, (uint)Unsafe.SizeOf<GpioV2LineValues>());

    // include/uapi/linux/spi/spidev.h
    private const uint SpiMagic = (byte)'k';
    internal static readonly uint SPI_IOC_RD_MODE = IOR(SpiMagic, 1, 1);
    internal static readonly uint SPI_IOC_WR_MODE = IOW(SpiMagic, 1, 1);
    internal static readonly uint SPI_IOC_RD_BITS_PER_WORD = IOR(SpiMagic, 3, 1);
    internal static readonly uint SPI_IOC_WR_BITS_PER_WORD = IOW(SpiMagic, 3, 1);
    internal static readonly uint SPI_IOC_RD_MAX_SPEED_HZ = IOR(SpiMagic, 4, 4);
    internal static readonly uint SPI_IOC_WR_MAX_SPEED_HZ = IOW(SpiMagic, 4, 4);
    internal static readonly uint SPI_IOC_RD_MODE32 = IOR(SpiMagic, 5, 4);
    internal static readonly uint SPI_IOC_WR_MODE32 = IOW(SpiMagic, 5, 4);

    /// <summary>The largest n for SPI_IOC_MESSAGE(n): the transfers must fit the size field.</summary>
    internal static int SpiMaxTransfers => (Current == Layout.Generic ? (1 << 14) - 1 : (1 << 13) - 1) / SpiIocTransfer.Size;

    internal static uint SPI_IOC_MESSAGE(int transfers) => IOW(SpiMagic, 0, (uint)(transfers * SpiIocTransfer.Size));
}
