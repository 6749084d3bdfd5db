using System.Numerics;
using System.Reflection.Emit;
using IronWasm.Binary;

namespace IronWasm.Compilation;

// Static bounds: an i32 address whose unsigned value has a known upper bound (a constant, a
// byte or half-word loaded unsigned, a value masked, shifted right or reduced by a constant, and
// sums, products and shifts of those that cannot wrap) needs no check when that bound plus the
// access's offset and size fit in the memory's declared minimum: memory never shrinks below it.
// clang's table lookups (crc32's table[(crc ^ b) & 0xFF], hash tables indexed by h >> (32 - bits))
// and accesses to C globals (i32.const 0 with an offset) are all of this form.
internal sealed partial class FunctionEmitter
{
    /// <summary>Bytes of memory 0 every instance of the module has: its declared minimum (an
    /// imported memory is at least that large when linked). 0 without a memory.</summary>
    private ulong MinimumLength => definition.MemorySpace.Count > 0 ? (ulong)definition.MemorySpace[0].Limits.Minimum * 65536 : 0;

    /// <summary>Whether some access was left unchecked because of <see cref="MinimumLength"/>: the
    /// prologue then verifies that the memory really has that length (it has, unless the store
    /// was disposed and the memory retired to length 0, where every access must trap).</summary>
    private bool reliesOnMinimumLength;

    /// <summary>The largest unsigned value of the i32 entry at <paramref name="depth"/>, or
    /// <see cref="uint.MaxValue"/> when nothing better is known.</summary>
    private ulong UpperBound(int depth) => origins[depth] switch
    {
        Origin.Constant when stack[depth] == ValueKind.I32 => (uint)constants[depth],
        Origin.Bounded => constants[depth],
        _ => uint.MaxValue,
    };

    /// <summary>The upper bound of the result of the i32 operator <paramref name="opcode"/> on the
    /// operands at the top of the stack (called before it is emitted), or ulong.MaxValue.</summary>
    private ulong ResultBound(Opcode opcode)
    {
        switch (opcode)
        {
            case >= Opcode.I32Eqz and <= Opcode.F64Ge:
                return 1;
            case Opcode.I32Clz or Opcode.I32Ctz or Opcode.I32Popcnt:
                return 32;
            case Opcode.I32And:
                return Math.Min(UpperBound(height - 2), UpperBound(height - 1));
            case Opcode.I32Or or Opcode.I32Xor:
            {
                ulong larger = Math.Max(UpperBound(height - 2), UpperBound(height - 1));
                return larger >= uint.MaxValue ? ulong.MaxValue : (1UL << (64 - BitOperations.LeadingZeroCount(larger))) - 1;
            }
            case Opcode.I32ShrU when origins[height - 1] == Origin.Constant:
                return UpperBound(height - 2) >> (int)(constants[height - 1] & 31);
            case Opcode.I32Shl when origins[height - 1] == Origin.Constant:
                return Fits(UpperBound(height - 2) << (int)(constants[height - 1] & 31));
            case Opcode.I32Add:
                return Fits(UpperBound(height - 2) + UpperBound(height - 1));
            case Opcode.I32Mul:
                return Fits(UpperBound(height - 2) * UpperBound(height - 1));
            case Opcode.I32DivU:
                return UpperBound(height - 2);
            case Opcode.I32RemU:
            {
                ulong divisor = UpperBound(height - 1);
                return Math.Min(UpperBound(height - 2), divisor == 0 ? 0 : divisor - 1);
            }
        }
        return ulong.MaxValue;

        // Both bounds are below 2^32, so neither the sum nor the product nor a shift by at most 31
        // overflows 64 bits; a result of 2^32 or more may wrap, and then nothing is known.
        static ulong Fits(ulong value) => value < uint.MaxValue ? value : ulong.MaxValue;
    }

    /// <summary>Marks the entry just pushed as bounded by <paramref name="bound"/> (when useful).</summary>
    private void MarkBound(ulong bound)
    {
        if (bound >= uint.MaxValue || stack[height - 1] != ValueKind.I32) return;
        origins[height - 1] = Origin.Bounded;
        constants[height - 1] = bound;
    }

    /// <summary>Whether <paramref name="end"/> bytes at the address in slot <paramref name="depth"/>
    /// are within every memory this code can run with.</summary>
    private bool IsStaticallyInBounds(int depth, ulong end)
    {
        ulong bound = UpperBound(depth);
        if (bound >= uint.MaxValue || bound + end > MinimumLength) return false;
        reliesOnMinimumLength = true;
        return true;
    }

    /// <summary>Prologue part: traps unless the memory has its declared minimum length (only a
    /// disposed store's retired memory has not), so that a call made after the store is disposed
    /// traps, as it does for checked accesses.</summary>
    private void EmitMinimumLengthCheck()
    {
        if (!reliesOnMinimumLength) return;
        il.Emit(OpCodes.Ldloc, memoryLength!);
        EmitLdcI8(MinimumLength);
        il.Emit(OpCodes.Blt_Un, TrapLabel(TrapCode.MemoryOutOfBounds));
    }
}
