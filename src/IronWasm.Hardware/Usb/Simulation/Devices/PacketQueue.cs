namespace IronWasm.Hardware.Usb.Simulation.Devices;

/// <summary>A bounded FIFO of packets (their bytes and boundaries) in preallocated rings:
/// what a device buffers between an OUT and the IN that returns it. Not thread-safe (the bus
/// lock guards the device).</summary>
internal sealed class PacketQueue
{
    private readonly byte[] _bytes;
    private readonly int[] _lengths;
    private int _byteHead, _byteCount;
    private int _packetHead, _packetCount;

    public PacketQueue(int byteCapacity, int packetCapacity)
    {
        _bytes = new byte[byteCapacity];
        _lengths = new int[packetCapacity];
    }

    public int Count => _packetCount;

    public int ByteCount => _byteCount;

    public bool CanAccept(int length) => _packetCount < _lengths.Length && _byteCount + length <= _bytes.Length;

    public bool TryEnqueue(ReadOnlySpan<byte> packet)
    {
        if (!CanAccept(packet.Length)) return false;
        int tail = (_byteHead + _byteCount) % _bytes.Length;
        int first = Math.Min(packet.Length, _bytes.Length - tail);
        packet[..first].CopyTo(_bytes.AsSpan(tail));
        packet[first..].CopyTo(_bytes);
        _byteCount += packet.Length;
        _lengths[(_packetHead + _packetCount) % _lengths.Length] = packet.Length;
        _packetCount++;
        return true;
    }

    /// <summary>Length of the next packet, or -1 when empty.</summary>
    public int PeekLength() => _packetCount == 0 ? -1 : _lengths[_packetHead];

    /// <summary>Takes the next packet into <paramref name="into"/>; a packet longer than it is cut.</summary>
    public bool TryDequeue(Span<byte> into, out int length)
    {
        length = 0;
        if (_packetCount == 0) return false;
        int packet = _lengths[_packetHead];
        length = Math.Min(packet, into.Length);
        int first = Math.Min(length, _bytes.Length - _byteHead);
        _bytes.AsSpan(_byteHead, first).CopyTo(into);
        _bytes.AsSpan(0, length - first).CopyTo(into[first..]);
        _byteHead = (_byteHead + packet) % _bytes.Length;
        _byteCount -= packet;
        _packetHead = (_packetHead + 1) % _lengths.Length;
        _packetCount--;
        return true;
    }

    public void Clear()
    {
        _byteHead = _byteCount = _packetHead = _packetCount = 0;
    }
}
