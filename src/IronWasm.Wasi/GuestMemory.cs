using System.Buffers.Binary;

namespace IronWasm.Wasi;

/// <summary>The calling guest's memory, with every guest pointer checked: an address range outside the
/// memory ends the call with <see cref="Errno.Fault"/> instead of an exception. Guest pointers and
/// sizes are u32; they arrive as int and are read as unsigned here.</summary>
internal readonly struct GuestMemory
{
    private readonly Memory _memory;

    private GuestMemory(Memory memory) => _memory = memory;

    /// <summary>The memory a WASI command exports as "memory"; a guest without one can make only the
    /// calls that take no pointers.</summary>
    public static GuestMemory Of(Caller caller) =>
        new(caller.GetMemory("memory") ?? throw new WasiError(Errno.Fault));

    public Span<byte> Slice(int address, int length) => Slice((uint)address, (uint)length);

    public Span<byte> Slice(uint address, uint length)
    {
        if ((ulong)address + length > (ulong)_memory.Length || length > int.MaxValue) throw new WasiError(Errno.Fault);
        return _memory.GetSpan(address, (int)length);
    }

    public byte ReadU8(int address) => Slice(address, 1)[0];
    public ushort ReadU16(int address) => BinaryPrimitives.ReadUInt16LittleEndian(Slice(address, 2));
    public uint ReadU32(int address) => BinaryPrimitives.ReadUInt32LittleEndian(Slice(address, 4));
    public ulong ReadU64(int address) => BinaryPrimitives.ReadUInt64LittleEndian(Slice(address, 8));
    public void WriteU8(int address, byte value) => Slice(address, 1)[0] = value;
    public void WriteU16(int address, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Slice(address, 2), value);
    public void WriteU32(int address, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Slice(address, 4), value);
    public void WriteU64(int address, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Slice(address, 8), value);

    /// <summary>The buffer of iovec <paramref name="index"/> in the array at <paramref name="iovs"/>
    /// (struct iovec { u32 buf; u32 buf_len; }). A buffer over 2 GiB is cut to 2 GiB: reads and writes
    /// may transfer less than asked anyway.</summary>
    public Span<byte> IoVector(int iovs, int index)
    {
        int entry = (int)((uint)iovs + (uint)index * 8u);
        if ((ulong)(uint)iovs + (ulong)(uint)index * 8u + 8 > (ulong)_memory.Length) throw new WasiError(Errno.Fault);
        uint buffer = ReadU32(entry);
        uint length = Math.Min(ReadU32(entry + 4), (uint)int.MaxValue);
        return Slice(buffer, length);
    }
}
