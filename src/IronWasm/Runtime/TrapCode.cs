namespace IronWasm;

/// <summary>Why a guest trapped.</summary>
public enum TrapCode
{
    /// <summary>The `unreachable` instruction was executed.</summary>
    Unreachable,
    /// <summary>The guest exhausted the call stack (recursion without end).</summary>
    StackOverflow,
    MemoryOutOfBounds,
    TableOutOfBounds,
    /// <summary>`call_indirect` through a null table element.</summary>
    IndirectCallToNull,
    /// <summary>`call_indirect` to a function of another type.</summary>
    BadSignature,
    IntegerOverflow,
    IntegerDivisionByZero,
    /// <summary>Float to integer conversion of NaN or an out-of-range value.</summary>
    BadConversionToInteger,
    /// <summary>A table or element-segment access out of range (bulk operations).</summary>
    ElementOutOfBounds,
    /// <summary>The deadline passed or the epoch was incremented past the store's deadline.</summary>
    Interrupt,
    OutOfFuel,
    /// <summary>A memory, table or instance limit of the store was exceeded during instantiation.</summary>
    ResourceLimitExceeded,
    /// <summary>A host function threw: the original exception is the inner exception.</summary>
    HostError,
    /// <summary>The guest asked to exit (WASI `proc_exit`); see <see cref="ExitException"/>.</summary>
    Exit,
}
