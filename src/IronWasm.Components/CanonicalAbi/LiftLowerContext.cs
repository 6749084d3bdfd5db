using System.Text;
using IronWasm.Components.Resources;

namespace IronWasm.Components.CanonicalAbi;

/// <summary>Lifts guest values into <see cref="ComponentValue"/>s and lowers them back, in memory
/// (<c>load</c>/<c>store</c>) and flat (<c>lift_flat</c>/<c>lower_flat</c>), as CanonicalABI.md
/// defines, for one guest instance and (when handles may be borrowed) one call's
/// <see cref="BorrowScope"/>. Invalid guest values trap with <see cref="CanonicalAbiTrapException"/>;
/// host values that do not fit the type throw <see cref="ArgumentException"/>.</summary>
public readonly partial struct LiftLowerContext
{
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    internal static readonly UnicodeEncoding StrictUtf16 = new(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true);

    public LiftLowerContext(CanonicalInstance instance, BorrowScope? scope = null)
    {
        Instance = instance ?? throw new ArgumentNullException(nameof(instance));
        Scope = scope;
    }

    public CanonicalInstance Instance { get; }

    /// <summary>The call that borrow handles are lent to or created for; null when none may occur.</summary>
    public BorrowScope? Scope { get; }

    private BorrowScope RequireScope() =>
        Scope ?? throw new InvalidOperationException("a borrow handle crosses the boundary, but the context has no BorrowScope");

    /// <summary>Traps unless [ptr, ptr+size) is inside memory and ptr is aligned (the checks
    /// CanonicalABI.md makes on every guest pointer before loading or storing through it).</summary>
    internal static void CheckRange(long memoryLength, uint ptr, long size, int alignment, string what)
    {
        if ((ptr & (uint)(alignment - 1)) != 0)
            AbiTrap.Throw(CanonicalAbiError.Misaligned, $"{what} at {ptr} is not {alignment}-byte aligned");
        if (ptr + size > memoryLength)
            AbiTrap.Throw(CanonicalAbiError.OutOfBounds, $"{what} [{ptr}, {ptr}+{size}) is outside the memory of {memoryLength} bytes");
    }

    internal static uint CheckChar(uint value)
    {
        if (value >= 0x110000 || value - 0xD800 <= 0xDFFF - 0xD800)
            AbiTrap.Throw(CanonicalAbiError.InvalidChar, $"0x{value:X} is not a Unicode scalar value");
        return value;
    }

    internal static float CanonicalizeNaN(float value) => float.IsNaN(value) ? BitConverter.UInt32BitsToSingle(0x7fc00000) : value;

    internal static double CanonicalizeNaN(double value) => double.IsNaN(value) ? BitConverter.UInt64BitsToDouble(0x7ff8000000000000) : value;
}
