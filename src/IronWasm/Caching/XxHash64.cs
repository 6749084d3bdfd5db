using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace IronWasm.Caching;

/// <summary>XXH64 (Yann Collet's xxHash, 64-bit variant, as its specification defines it): the
/// checksum of compiled modules and the names of cache entries. Written here because the framework
/// has no non-cryptographic 64-bit hash, and its SHA-256 loads and initialises OpenSSL, which costs a
/// process that runs one cached module more than all the rest of the cache lookup (see RATIONALE.md,
/// "Cost"). Not collision resistant, and not used where that would matter: a cache entry is only
/// used when the Wasm binary inside it equals, byte for byte, the one being run.</summary>
internal static class XxHash64
{
    private const ulong Prime1 = 0x9E3779B185EBCA87;
    private const ulong Prime2 = 0xC2B2AE3D27D4EB4F;
    private const ulong Prime3 = 0x165667B19E3779F9;
    private const ulong Prime4 = 0x85EBCA77C2B2AE63;
    private const ulong Prime5 = 0x27D4EB2F165667C5;

    public static ulong Hash(ReadOnlySpan<byte> data, ulong seed = 0)
    {
        int length = data.Length;
        ulong hash;
        if (length >= 32)
        {
            ulong v1 = seed + Prime1 + Prime2, v2 = seed + Prime2, v3 = seed, v4 = seed - Prime1;
            // Unchecked reads over the whole stripes: bounds-checked slices made this loop (the tag
            // check of every cache hit) about twice as slow.
            ref byte start = ref MemoryMarshal.GetReference(data);
            int stripes = length / 32;
            for (nint offset = 0, end = (nint)stripes * 32; offset < end; offset += 32)
            {
                v1 = Round(v1, ReadLane(ref start, offset));
                v2 = Round(v2, ReadLane(ref start, offset + 8));
                v3 = Round(v3, ReadLane(ref start, offset + 16));
                v4 = Round(v4, ReadLane(ref start, offset + 24));
            }
            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
            hash = Merge(hash, v1);
            hash = Merge(hash, v2);
            hash = Merge(hash, v3);
            hash = Merge(hash, v4);
            data = data[(stripes * 32)..];
        }
        else
        {
            hash = seed + Prime5;
        }

        hash += (ulong)length;
        while (data.Length >= 8)
        {
            hash ^= Round(0, BinaryPrimitives.ReadUInt64LittleEndian(data));
            hash = BitOperations.RotateLeft(hash, 27) * Prime1 + Prime4;
            data = data[8..];
        }
        if (data.Length >= 4)
        {
            hash ^= BinaryPrimitives.ReadUInt32LittleEndian(data) * Prime1;
            hash = BitOperations.RotateLeft(hash, 23) * Prime2 + Prime3;
            data = data[4..];
        }
        foreach (byte b in data)
        {
            hash ^= b * Prime5;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
        }

        hash ^= hash >> 33;
        hash *= Prime2;
        hash ^= hash >> 29;
        hash *= Prime3;
        hash ^= hash >> 32;
        return hash;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ReadLane(ref byte start, nint offset)
    {
        ulong lane = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref start, offset));
        return BitConverter.IsLittleEndian ? lane : BinaryPrimitives.ReverseEndianness(lane);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Round(ulong accumulator, ulong lane)
    {
        accumulator += lane * Prime2;
        accumulator = BitOperations.RotateLeft(accumulator, 31);
        return accumulator * Prime1;
    }

    private static ulong Merge(ulong hash, ulong accumulator)
    {
        hash ^= Round(0, accumulator);
        return hash * Prime1 + Prime4;
    }
}
