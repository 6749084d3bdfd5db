using System.Buffers.Binary;

namespace IronWasm.Hardware.Usb;

/// <summary>The 8-byte setup packet that starts every control transfer (USB 2.0 §9.3).</summary>
public readonly record struct UsbSetupPacket(byte RequestType, byte Request, ushort Value, ushort Index, ushort Length)
{
    public const int Size = 8;

    /// <summary>bmRequestType bit 7: the data stage goes from device to host.</summary>
    public bool IsDeviceToHost => (RequestType & 0x80) != 0;

    /// <summary>bmRequestType bits 5..6: 0 standard, 1 class, 2 vendor.</summary>
    public UsbRequestKind Kind => (UsbRequestKind)((RequestType >> 5) & 3);

    /// <summary>bmRequestType bits 0..4: 0 device, 1 interface, 2 endpoint, 3 other.</summary>
    public UsbRequestRecipient Recipient => (UsbRequestRecipient)(RequestType & 0x1F);

    public static UsbSetupPacket Read(ReadOnlySpan<byte> bytes) => new(
        bytes[0], bytes[1],
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[2..]),
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[4..]),
        BinaryPrimitives.ReadUInt16LittleEndian(bytes[6..]));

    public void WriteTo(Span<byte> bytes)
    {
        bytes[0] = RequestType;
        bytes[1] = Request;
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[2..], Value);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[4..], Index);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes[6..], Length);
    }

    /// <summary>Makes bmRequestType from its three fields.</summary>
    public static byte MakeRequestType(bool deviceToHost, UsbRequestKind kind, UsbRequestRecipient recipient) =>
        (byte)((deviceToHost ? 0x80 : 0) | ((int)kind << 5) | (int)recipient);

    public override string ToString() =>
        $"setup {RequestType:x2} {Request:x2} value {Value:x4} index {Index:x4} length {Length}";
}

public enum UsbRequestKind : byte { Standard = 0, Class = 1, Vendor = 2, Reserved = 3 }

public enum UsbRequestRecipient : byte { Device = 0, Interface = 1, Endpoint = 2, Other = 3 }

/// <summary>Standard request codes (USB 2.0 table 9-4) and descriptor types (table 9-5).</summary>
internal static class UsbStandard
{
    public const byte GetStatus = 0x00;
    public const byte ClearFeature = 0x01;
    public const byte SetFeature = 0x03;
    public const byte SetAddress = 0x05;
    public const byte GetDescriptor = 0x06;
    public const byte SetDescriptor = 0x07;
    public const byte GetConfiguration = 0x08;
    public const byte SetConfiguration = 0x09;
    public const byte GetInterface = 0x0A;
    public const byte SetInterface = 0x0B;
    public const byte SynchFrame = 0x0C;

    public const ushort FeatureEndpointHalt = 0;
    public const ushort FeatureDeviceRemoteWakeup = 1;

    public const byte DescriptorDevice = 1;
    public const byte DescriptorConfiguration = 2;
    public const byte DescriptorString = 3;
    public const byte DescriptorInterface = 4;
    public const byte DescriptorEndpoint = 5;
    public const byte DescriptorDeviceQualifier = 6;
    public const byte DescriptorOtherSpeedConfiguration = 7;

    public const ushort LanguageEnglishUs = 0x0409;
}
