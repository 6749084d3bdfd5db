using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using IronWasm.Hardware.Usb;
using IronWasm.Hardware.Usb.Simulation.Devices;

namespace IronWasm.Benchmarks.Usb;

internal enum MscMode { SeqRead, SeqWrite, RandRead, RandWrite }

/// <summary>The raw mass-storage benchmark written in C# against <see cref="UsbDeviceHandle"/>: the
/// baseline for <c>msc bench</c>. Bulk-Only Transport by hand (31-byte CBW, data, 13-byte CSW) carrying
/// SCSI READ(10) and WRITE(10) of one block size over the first --size MiB of the disk; sequential
/// from LBA 0, or at random block-aligned positions of that region (msc.c's generator and seeds, so
/// both sides visit the same sequence); the write modes end with SYNCHRONIZE CACHE(10).</summary>
internal sealed class NativeMassStorage : IDisposable
{
    private const uint TimeoutMs = 5000;
    private readonly UsbDeviceHandle _handle;
    private readonly byte[] _cbw = new byte[MassStorageDevice.CbwLength];
    private readonly byte[] _csw = new byte[MassStorageDevice.CswLength];
    private readonly long _diskBlocks;
    private byte[] _data = [];
    private uint _tag;

    private NativeMassStorage(UsbDeviceHandle handle, long diskBlocks)
    {
        _handle = handle;
        _diskBlocks = diskBlocks;
    }

    /// <summary>Opens the disk, detaches usb-storage, claims interface 0.</summary>
    public static NativeMassStorage Open(IUsbDevice disk, long diskBlocks)
    {
        NativePing.Check(disk.Open(out var handle), "open the mass-storage device");
        try
        {
            NativePing.Check(handle!.KernelDriverActive(MassStorageDevice.Interface, out bool bound), "ask for its kernel driver");
            if (bound) NativePing.Check(handle.DetachKernelDriver(MassStorageDevice.Interface), "detach usb-storage");
            NativePing.Check(handle.ClaimInterface(MassStorageDevice.Interface), "claim interface 0");
            return new NativeMassStorage(handle, diskBlocks);
        }
        catch
        {
            handle?.Dispose();
            throw;
        }
    }

    public static string Name(MscMode mode) => mode switch
    {
        MscMode.SeqRead => "seq-read",
        MscMode.SeqWrite => "seq-write",
        MscMode.RandRead => "rand-read",
        _ => "rand-write",
    };

    public static bool IsWrite(MscMode mode) => mode is MscMode.SeqWrite or MscMode.RandWrite;

    /// <summary>Run number <paramref name="run"/>: <paramref name="totalBytes"/> moved in commands of
    /// <paramref name="blockBytes"/> over the first <paramref name="totalBytes"/> of the disk, then (for
    /// the write modes) SYNCHRONIZE CACHE, as msc.c does; returns MiB/s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Run(MscMode mode, long totalBytes, int blockBytes, int run)
    {
        if (_data.Length != blockBytes)
        {
            _data = new byte[blockBytes];
            for (int i = 0; i < _data.Length; i++) _data[i] = (byte)(i * 13 + 5);
        }
        int blocksPerCommand = blockBytes / 512;
        uint count = (uint)(totalBytes / blockBytes);
        if ((long)count * blocksPerCommand > _diskBlocks) throw new InvalidOperationException($"the disk is smaller than {totalBytes >> 20} MiB");
        // msc.c's xorshift and seeds, so both sides visit the same positions in the same order.
        ulong random = 0x2545F4914F6CDD1DUL + (ulong)run;
        bool write = IsWrite(mode), sequential = mode is MscMode.SeqRead or MscMode.SeqWrite;
        long start = Stopwatch.GetTimestamp();
        for (uint i = 0; i < count; i++)
        {
            uint index = sequential ? i : (uint)(XorShift(ref random) % count);
            Command(write ? ScsiWrite10 : ScsiRead10, index * (uint)blocksPerCommand, (ushort)blocksPerCommand);
        }
        if (write) Command(ScsiSynchronizeCache10, 0, 0);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return count * (double)blockBytes / 1048576.0 / seconds;
    }

    private const byte ScsiRead10 = 0x28, ScsiWrite10 = 0x2A, ScsiSynchronizeCache10 = 0x35;

    private static ulong XorShift(ref ulong state)
    {
        ulong x = state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        return state = x;
    }

    // One BOT command: CBW, the data stage (none for 0 blocks), CSW checked against the CBW's tag.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Command(byte operation, uint lba, ushort blocks)
    {
        int length = blocks * 512;
        bool write = operation == ScsiWrite10;
        uint tag = ++_tag;
        var cbw = _cbw.AsSpan();
        cbw.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(cbw, MassStorageDevice.CbwSignature);
        BinaryPrimitives.WriteUInt32LittleEndian(cbw[4..], tag);
        BinaryPrimitives.WriteUInt32LittleEndian(cbw[8..], (uint)length);
        cbw[12] = operation == ScsiRead10 ? (byte)0x80 : (byte)0x00;
        cbw[14] = 10;
        cbw[15] = operation;
        BinaryPrimitives.WriteUInt32BigEndian(cbw[17..], lba);
        BinaryPrimitives.WriteUInt16BigEndian(cbw[22..], blocks);
        NativePing.Check(_handle.BulkTransfer(MassStorageDevice.BulkOut, cbw, TimeoutMs, out _), "CBW");
        if (length > 0)
        {
            var data = _data.AsSpan(0, length);
            NativePing.Check(_handle.BulkTransfer(write ? MassStorageDevice.BulkOut : MassStorageDevice.BulkIn, data, TimeoutMs, out int moved), write ? "WRITE(10) data" : "READ(10) data");
            if (moved != length) throw new InvalidOperationException($"moved {moved} of {length} bytes");
        }
        NativePing.Check(_handle.BulkTransfer(MassStorageDevice.BulkIn, _csw, TimeoutMs, out int cswLength), "CSW");
        var csw = _csw.AsSpan();
        if (cswLength != MassStorageDevice.CswLength || BinaryPrimitives.ReadUInt32LittleEndian(csw) != MassStorageDevice.CswSignature
            || BinaryPrimitives.ReadUInt32LittleEndian(csw[4..]) != tag || csw[12] != MassStorageDevice.CswPassed)
            throw new InvalidOperationException($"SCSI command 0x{operation:x2} at LBA {lba} failed (CSW status {csw[12]})");
    }

    public void Dispose() => _handle.Dispose();
}
