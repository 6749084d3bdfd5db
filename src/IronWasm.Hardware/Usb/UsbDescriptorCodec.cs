using System.Buffers.Binary;
using System.Text;

namespace IronWasm.Hardware.Usb;

/// <summary>Descriptors to and from their wire form (USB 2.0 §9.6): the simulated devices answer
/// GET_DESCRIPTOR with these bytes, and a backend that reads raw descriptors (sysfs
/// <c>descriptors</c>, a control transfer) parses them back.</summary>
internal static class UsbDescriptorCodec
{
    public static byte[] WriteDevice(in UsbDeviceDescriptor d)
    {
        var b = new byte[UsbDeviceDescriptor.Length];
        b[0] = UsbDeviceDescriptor.Length;
        b[1] = UsbDeviceDescriptor.DescriptorType;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), d.UsbVersion);
        b[4] = d.DeviceClass;
        b[5] = d.DeviceSubclass;
        b[6] = d.DeviceProtocol;
        b[7] = d.MaxPacketSize0;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(8), d.VendorId);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(10), d.ProductId);
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(12), d.DeviceVersion);
        b[14] = d.ManufacturerIndex;
        b[15] = d.ProductIndex;
        b[16] = d.SerialNumberIndex;
        b[17] = d.ConfigurationCount;
        return b;
    }

    /// <summary>The device qualifier (USB 2.0 §9.6.2) a high-speed device gives: the device's
    /// fields as they would be at the other speed.</summary>
    public static byte[] WriteDeviceQualifier(in UsbDeviceDescriptor d) =>
    [
        10, UsbStandard.DescriptorDeviceQualifier, (byte)d.UsbVersion, (byte)(d.UsbVersion >> 8),
        d.DeviceClass, d.DeviceSubclass, d.DeviceProtocol, d.MaxPacketSize0, d.ConfigurationCount, 0,
    ];

    /// <summary>The configuration descriptor followed by all its interface, endpoint and class descriptors.</summary>
    public static byte[] WriteConfiguration(UsbConfigurationDescriptor c)
    {
        var b = new byte[c.TotalLength];
        b[0] = UsbConfigurationDescriptor.Length;
        b[1] = UsbConfigurationDescriptor.DescriptorType;
        BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2), c.TotalLength);
        b[4] = c.InterfaceCount;
        b[5] = c.ConfigurationValue;
        b[6] = c.ConfigurationIndex;
        b[7] = c.Attributes;
        b[8] = c.MaxPower;
        int at = UsbConfigurationDescriptor.Length;
        c.Extra.Span.CopyTo(b.AsSpan(at));
        at += c.Extra.Length;
        foreach (var i in c.Interfaces)
        {
            b[at] = UsbInterfaceDescriptor.Length;
            b[at + 1] = UsbInterfaceDescriptor.DescriptorType;
            b[at + 2] = i.InterfaceNumber;
            b[at + 3] = i.AlternateSetting;
            b[at + 4] = (byte)i.Endpoints.Count;
            b[at + 5] = i.InterfaceClass;
            b[at + 6] = i.InterfaceSubclass;
            b[at + 7] = i.InterfaceProtocol;
            b[at + 8] = i.InterfaceIndex;
            at += UsbInterfaceDescriptor.Length;
            i.Extra.Span.CopyTo(b.AsSpan(at));
            at += i.Extra.Length;
            foreach (var e in i.Endpoints)
            {
                b[at] = e.Length;
                b[at + 1] = UsbEndpointDescriptor.DescriptorType;
                b[at + 2] = e.Address;
                b[at + 3] = e.Attributes;
                BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at + 4), e.MaxPacketSize);
                b[at + 6] = e.Interval;
                if (e.Length == 9)
                {
                    b[at + 7] = e.Refresh;
                    b[at + 8] = e.SynchAddress;
                }
                at += e.Length;
                e.Extra.Span.CopyTo(b.AsSpan(at));
                at += e.Extra.Length;
            }
        }
        return b;
    }

    /// <summary>String descriptor 0: the supported language ids.</summary>
    public static byte[] WriteLanguages(ReadOnlySpan<ushort> languages)
    {
        var b = new byte[2 + 2 * languages.Length];
        b[0] = (byte)b.Length;
        b[1] = UsbStandard.DescriptorString;
        for (int i = 0; i < languages.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 + 2 * i), languages[i]);
        return b;
    }

    /// <summary>A string descriptor: UTF-16LE, at most 126 characters (bLength is one byte).</summary>
    public static byte[] WriteString(string value)
    {
        if (value.Length > 126) throw new ArgumentException($"a USB string holds at most 126 UTF-16 units, not {value.Length}", nameof(value));
        var b = new byte[2 + 2 * value.Length];
        b[0] = (byte)b.Length;
        b[1] = UsbStandard.DescriptorString;
        Encoding.Unicode.GetBytes(value, b.AsSpan(2));
        return b;
    }

    public static bool TryParseString(ReadOnlySpan<byte> b, out string? value)
    {
        value = null;
        if (b.Length < 2 || b[1] != UsbStandard.DescriptorString || b[0] < 2) return false;
        int length = Math.Min(b[0], b.Length) & ~1;
        value = Encoding.Unicode.GetString(b[2..length]);
        return true;
    }

    public static UsbDeviceDescriptor ParseDevice(ReadOnlySpan<byte> b)
    {
        if (b.Length < UsbDeviceDescriptor.Length || b[0] < UsbDeviceDescriptor.Length || b[1] != UsbDeviceDescriptor.DescriptorType)
            throw new FormatException($"not a device descriptor ({b.Length} bytes{(b.Length >= 2 ? $", bLength {b[0]}, type {b[1]}" : "")})");
        return new UsbDeviceDescriptor(
            BinaryPrimitives.ReadUInt16LittleEndian(b[2..]), b[4], b[5], b[6], b[7],
            BinaryPrimitives.ReadUInt16LittleEndian(b[8..]), BinaryPrimitives.ReadUInt16LittleEndian(b[10..]),
            BinaryPrimitives.ReadUInt16LittleEndian(b[12..]), b[14], b[15], b[16], b[17]);
    }

    /// <summary>Parses a whole configuration (wTotalLength bytes). Descriptors of other types
    /// are kept as the Extra bytes of whatever precedes them, as libusb does.</summary>
    /// <exception cref="FormatException">Truncated or inconsistent descriptors, with the offset.</exception>
    public static UsbConfigurationDescriptor ParseConfiguration(ReadOnlySpan<byte> b)
    {
        if (b.Length < UsbConfigurationDescriptor.Length || b[0] < UsbConfigurationDescriptor.Length || b[1] != UsbConfigurationDescriptor.DescriptorType)
            throw new FormatException("not a configuration descriptor");
        int total = BinaryPrimitives.ReadUInt16LittleEndian(b[2..]);
        if (total > b.Length) throw new FormatException($"wTotalLength {total} exceeds the {b.Length} bytes given");
        byte value = b[5], index = b[6], attributes = b[7], maxPower = b[8];
        int at = b[0];
        var configExtra = TakeExtra(b[..total], ref at);
        var interfaces = new List<UsbInterfaceDescriptor>();
        while (at < total)
        {
            int length = DescriptorLength(b[..total], at);
            if (b[at + 1] != UsbInterfaceDescriptor.DescriptorType || length < UsbInterfaceDescriptor.Length)
                throw new FormatException($"expected an interface descriptor at offset {at}");
            var i = b.Slice(at, length);
            at += length;
            var iExtra = TakeExtra(b[..total], ref at);
            var endpoints = new List<UsbEndpointDescriptor>();
            for (int n = 0; n < i[4]; n++)
            {
                if (at >= total) throw new FormatException($"interface {i[2]} alt {i[3]} declares {i[4]} endpoints but the configuration ends after {n}");
                int el = DescriptorLength(b[..total], at);
                if (b[at + 1] != UsbEndpointDescriptor.DescriptorType || el < 7)
                    throw new FormatException($"expected an endpoint descriptor at offset {at}");
                var e = b.Slice(at, el);
                at += el;
                var eExtra = TakeExtra(b[..total], ref at);
                endpoints.Add(new UsbEndpointDescriptor(e[2], e[3], BinaryPrimitives.ReadUInt16LittleEndian(e[4..]), e[6],
                    el >= 9 ? e[7] : (byte)0, el >= 9 ? e[8] : (byte)0, eExtra));
            }
            interfaces.Add(new UsbInterfaceDescriptor(i[2], i[3], i[5], i[6], i[7], endpoints, i[8], iExtra));
        }
        return new UsbConfigurationDescriptor(value, attributes, maxPower, interfaces, index, configExtra);
    }

    private static int DescriptorLength(ReadOnlySpan<byte> b, int at)
    {
        if (at + 2 > b.Length) throw new FormatException($"truncated descriptor at offset {at}");
        int length = b[at];
        if (length < 2 || at + length > b.Length) throw new FormatException($"descriptor at offset {at} has bLength {length}, beyond the configuration");
        return length;
    }

    // Everything up to the next interface or endpoint descriptor belongs to the one before it.
    private static ReadOnlyMemory<byte> TakeExtra(ReadOnlySpan<byte> b, ref int at)
    {
        int start = at;
        while (at < b.Length)
        {
            int length = DescriptorLength(b, at);
            if (b[at + 1] is UsbInterfaceDescriptor.DescriptorType or UsbEndpointDescriptor.DescriptorType) break;
            at += length;
        }
        return at == start ? ReadOnlyMemory<byte>.Empty : b[start..at].ToArray();
    }
}
