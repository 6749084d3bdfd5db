namespace IronWasm.SpecTests;

/// <summary>Matches the spec's trap messages to IronWasm's trap codes. The suite words one trap in
/// several ways ("undefined element" for a call_indirect past the table end, "out of bounds table
/// access" for table.get), so a message accepts a set of codes.</summary>
internal static class TrapMessages
{
    public static bool Accepts(string expected, TrapException trap)
    {
        if (trap.Message.Contains(expected, StringComparison.Ordinal)) return true;
        return expected switch
        {
            var m when m.StartsWith("undefined element", StringComparison.Ordinal) => trap.Code is TrapCode.TableOutOfBounds or TrapCode.ElementOutOfBounds,
            var m when m.StartsWith("uninitialized element", StringComparison.Ordinal) => trap.Code is TrapCode.IndirectCallToNull,
            var m when m.StartsWith("out of bounds table access", StringComparison.Ordinal) => trap.Code is TrapCode.TableOutOfBounds or TrapCode.ElementOutOfBounds,
            var m when m.StartsWith("out of bounds memory access", StringComparison.Ordinal) => trap.Code is TrapCode.MemoryOutOfBounds,
            var m when m.StartsWith("indirect call type mismatch", StringComparison.Ordinal) => trap.Code is TrapCode.BadSignature,
            var m when m.StartsWith("integer divide by zero", StringComparison.Ordinal) => trap.Code is TrapCode.IntegerDivisionByZero,
            var m when m.StartsWith("integer overflow", StringComparison.Ordinal) => trap.Code is TrapCode.IntegerOverflow,
            var m when m.StartsWith("invalid conversion to integer", StringComparison.Ordinal) => trap.Code is TrapCode.BadConversionToInteger,
            var m when m.StartsWith("unreachable", StringComparison.Ordinal) => trap.Code is TrapCode.Unreachable,
            var m when m.StartsWith("call stack exhausted", StringComparison.Ordinal) => trap.Code is TrapCode.StackOverflow,
            _ => false,
        };
    }
}
