using System.Buffers.Binary;
using System.ComponentModel;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;

namespace IronWasm.Components.Bindings;

/// <summary>One guest-to-host call through generated bindings: what the generated lifting and
/// lowering code calls beyond plain reads and writes. The checks are the dynamic path's
/// (<see cref="LiftLowerContext"/>): invalid guest values trap with
/// <see cref="CanonicalAbiTrapException"/>, host values that do not fit their type throw
/// <see cref="ArgumentException"/> (a HostError trap for the guest). End it with <see cref="Exit"/>.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct HostCall
{
    private readonly HostBinding _binding;
    private readonly BorrowScope? _scope;

    internal HostCall(HostBinding binding, BorrowScope? scope)
    {
        _binding = binding;
        _scope = scope;
    }

    public CanonicalInstance Instance => _binding.Instance;

    /// <summary>Gives back the handles lent to the call (borrow parameters).</summary>
    public void Exit()
    {
        if (_scope is null) return;
        _scope.EndCaller();
        _binding.Instance.ReturnScope(_scope);
    }

    /// <summary>The guest's memory, for lifting (lifting never calls the guest, so it cannot move).</summary>
    public ReadOnlySpan<byte> Memory => Instance.RequireMemory().GetSpan();

    /// <summary><paramref name="length"/> bytes of guest memory at <paramref name="ptr"/>, for a
    /// store: taken afresh after each allocation, because cabi_realloc may grow (move) memory.</summary>
    public Span<byte> Bytes(uint ptr, int length) => Instance.RequireMemory().GetSpan(ptr, length);

    // ---- reads and writes (little-endian, at offsets the checks above covered) ----

    public static byte ReadU8(ReadOnlySpan<byte> memory, uint ptr) => memory[(int)ptr];
    public static ushort ReadU16(ReadOnlySpan<byte> memory, uint ptr) => BinaryPrimitives.ReadUInt16LittleEndian(memory.Slice((int)ptr));
    public static uint ReadU32(ReadOnlySpan<byte> memory, uint ptr) => BinaryPrimitives.ReadUInt32LittleEndian(memory.Slice((int)ptr));
    public static ulong ReadU64(ReadOnlySpan<byte> memory, uint ptr) => BinaryPrimitives.ReadUInt64LittleEndian(memory.Slice((int)ptr));
    public static float ReadF32(ReadOnlySpan<byte> memory, uint ptr) => LiftF32(BinaryPrimitives.ReadSingleLittleEndian(memory.Slice((int)ptr)));
    public static double ReadF64(ReadOnlySpan<byte> memory, uint ptr) => LiftF64(BinaryPrimitives.ReadDoubleLittleEndian(memory.Slice((int)ptr)));

    public void WriteU8(uint ptr, byte value) => Bytes(ptr, 1)[0] = value;
    public void WriteU16(uint ptr, ushort value) => BinaryPrimitives.WriteUInt16LittleEndian(Bytes(ptr, 2), value);
    public void WriteU32(uint ptr, uint value) => BinaryPrimitives.WriteUInt32LittleEndian(Bytes(ptr, 4), value);
    public void WriteU64(uint ptr, ulong value) => BinaryPrimitives.WriteUInt64LittleEndian(Bytes(ptr, 8), value);
    public void WriteF32(uint ptr, float value) => BinaryPrimitives.WriteSingleLittleEndian(Bytes(ptr, 4), value);
    public void WriteF64(uint ptr, double value) => BinaryPrimitives.WriteDoubleLittleEndian(Bytes(ptr, 8), value);

    /// <summary>Writes a string's or list's (pointer, length) pair.</summary>
    public void WritePair(uint ptr, uint first, uint second)
    {
        var at = Bytes(ptr, 8);
        BinaryPrimitives.WriteUInt32LittleEndian(at, first);
        BinaryPrimitives.WriteUInt32LittleEndian(at.Slice(4), second);
    }

    // ---- handles ----

    /// <summary>Lifts an own handle: the guest's handle is gone, the host has the object back.</summary>
    public T LiftOwn<T>(HostResource<T> resource, int handle) where T : class
    {
        var table = _binding.Table(resource);
        return table.Take(Instance.Handles.LiftOwn(table.Type, handle));
    }

    /// <summary>Lifts a borrow handle: the object, lent for this call.</summary>
    public T LiftBorrow<T>(HostResource<T> resource, int handle) where T : class
    {
        var table = _binding.Table(resource);
        var scope = _scope ?? throw new InvalidOperationException("a borrow handle is lifted by a call entered without a borrow scope");
        return table.Get(Instance.Handles.LiftBorrow(table.Type, handle, scope));
    }

    /// <summary>Lowers an own handle: the guest gets a new handle to <paramref name="value"/>.</summary>
    public int LowerOwn<T>(HostResource<T> resource, T value) where T : class
    {
        var table = _binding.Table(resource);
        int rep = table.Add(NotNull(value, resource.Name));
        try
        {
            return Instance.Handles.LowerOwn(table.Type, rep);
        }
        catch
        {
            table.Take(rep);
            throw;
        }
    }

    // ---- strings and lists ----

    /// <summary>Lifts a string (ptr and tagged code units as the guest passed them).</summary>
    public string LiftString(ReadOnlySpan<byte> memory, uint ptr, uint taggedCodeUnits) =>
        new LiftLowerContext(Instance).LoadString(memory, ptr, taggedCodeUnits);

    /// <summary>Lowers a string into a cabi_realloc allocation of its exact size.</summary>
    public (uint Ptr, uint TaggedCodeUnits) LowerString(string value) =>
        new LiftLowerContext(Instance).StoreString(NotNull(value, "string"));

    /// <summary>Traps unless a list of <paramref name="length"/> elements of
    /// <paramref name="elementSize"/> bytes at <paramref name="ptr"/> is within the size limit,
    /// aligned and inside memory.</summary>
    public static void CheckList(ReadOnlySpan<byte> memory, uint ptr, uint length, int elementSize, int alignment)
    {
        long byteLength = (long)length * elementSize;
        if (byteLength > CanonicalLayout.MaxByteLength)
            AbiTrap.Throw(CanonicalAbiError.TooLong, $"a list of {length} elements ({byteLength} bytes) is longer than {CanonicalLayout.MaxByteLength} bytes");
        LiftLowerContext.CheckRange(memory.Length, ptr, byteLength, alignment, "a list");
    }

    /// <summary>A list of integers as a span over guest memory (no copy), valid until the call
    /// returns and only while the host does not call into this guest.</summary>
    public static ReadOnlySpan<T> LiftSpan<T>(ReadOnlySpan<byte> memory, uint ptr, uint length) where T : unmanaged
    {
        int size = Unsafe.SizeOf<T>();
        CheckList(memory, ptr, length, size, size);
        var bytes = memory.Slice((int)ptr, (int)length * size);
        return BitConverter.IsLittleEndian ? MemoryMarshal.Cast<byte, T>(bytes) : throw new PlatformNotSupportedException("big-endian hosts");
    }

    /// <summary>Lowers a list of integers with one copy; returns its pointer.</summary>
    public uint LowerSpan<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts");
        var bytes = MemoryMarshal.AsBytes(values);
        uint ptr = Allocate(bytes.Length, Unsafe.SizeOf<T>());
        bytes.CopyTo(Bytes(ptr, bytes.Length));
        return ptr;
    }

    /// <summary>Allocates <paramref name="byteLength"/> bytes in the guest with cabi_realloc.</summary>
    public uint Allocate(long byteLength, int alignment)
    {
        if (byteLength > CanonicalLayout.MaxByteLength)
            throw new ArgumentException($"a list of {byteLength} bytes is longer than the canonical ABI allows ({CanonicalLayout.MaxByteLength})");
        return Instance.Reallocate(0, 0, alignment, (uint)byteLength);
    }

    /// <summary>Traps unless the spilled parameters or the return area at <paramref name="ptr"/>
    /// are aligned and inside memory.</summary>
    public void CheckArea(uint ptr, int size, int alignment, string what) =>
        LiftLowerContext.CheckRange(Instance.RequireMemory().Length, ptr, size, alignment, what);

    // ---- scalars and cases ----

    public static Rune LiftChar(uint value) => new(LiftLowerContext.CheckChar(value));

    public static float LiftF32(float value) => LiftLowerContext.CanonicalizeNaN(value);

    public static double LiftF64(double value) => LiftLowerContext.CanonicalizeNaN(value);

    /// <summary>Traps unless <paramref name="value"/> is a case index below <paramref name="count"/>.</summary>
    public static uint CheckCase(uint value, uint count)
    {
        if (value >= count) InvalidCase(value, count);
        return value;
    }

    /// <summary>Traps for a discriminant past the last case (typed, for switch expressions).</summary>
    public static T InvalidDiscriminant<T>(uint value, uint count)
    {
        InvalidCase(value, count);
        return default!;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void InvalidCase(uint value, uint count) =>
        AbiTrap.Throw(CanonicalAbiError.InvalidDiscriminant, $"case {value} of a type with {count} cases");

    /// <summary>A host enum value must be one of its cases.</summary>
    public static uint CheckEnum(uint value, uint count, string type) =>
        value < count ? value : throw new ArgumentException($"{value} is not a case of {type} (it has {count})");

    /// <summary>Host flags may only set the type's flags.</summary>
    public static uint CheckFlags(uint bits, uint mask, string type) =>
        (bits & ~mask) == 0 ? bits : throw new ArgumentException($"flags 0x{bits:X} set bits beyond the flags of {type}");

    /// <summary>A fixed-length list from the host must have its length.</summary>
    public static T[] CheckLength<T>(T[] values, int length) =>
        NotNull(values, "list").Length == length ? values
        : throw new ArgumentException($"a list of {values.Length} elements is returned where the type wants exactly {length}");

    /// <summary>Strings, lists and resources from the host may not be null.</summary>
    public static T NotNull<T>(T? value, string what) where T : class =>
        value ?? throw new ArgumentNullException(what, $"the host returned null for a {what}");
}
