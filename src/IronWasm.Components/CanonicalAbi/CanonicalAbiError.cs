namespace IronWasm.Components.CanonicalAbi;

/// <summary>Why a value or handle crossing the component boundary was rejected. Each is one of the
/// <c>trap_if</c> conditions of CanonicalABI.md.</summary>
public enum CanonicalAbiError
{
    /// <summary>A variant, enum, option or result discriminant beyond the last case.</summary>
    InvalidDiscriminant,
    /// <summary>A char that is a surrogate or beyond U+10FFFF.</summary>
    InvalidChar,
    /// <summary>String bytes that are not valid in the declared encoding (UTF-8 or UTF-16).</summary>
    InvalidString,
    /// <summary>A string or list whose bytes (or a return area) lie outside linear memory.</summary>
    OutOfBounds,
    /// <summary>A pointer not aligned to what its type requires.</summary>
    Misaligned,
    /// <summary>A string or list longer than 2^28 - 1 bytes.</summary>
    TooLong,
    /// <summary>A handle index that was never given out (0, beyond the table, or forged).</summary>
    InvalidHandle,
    /// <summary>A handle index whose handle was already dropped or moved out.</summary>
    UseAfterDrop,
    /// <summary>A handle of another resource type than the one expected.</summary>
    WrongResourceType,
    /// <summary>A borrow handle passed where ownership (own) is required.</summary>
    NotOwner,
    /// <summary>An owned handle moved or dropped while it is lent out to a call.</summary>
    HandleLent,
    /// <summary>A callee returned without dropping a handle it borrowed for the call.</summary>
    BorrowOutlivesCall,
    /// <summary>The handle table reached its 2^28 - 1 entries.</summary>
    TableFull,
    /// <summary>A guest called an import while in cabi_realloc or a post-return function.</summary>
    CannotLeave,
    /// <summary>A handle to a resource of an instance that has since been replaced (a driver
    /// swapped out while the app kept the handle): it may only be dropped.</summary>
    StaleHandle,
}

/// <summary>A guest passed an invalid value or handle across the component boundary. It is a trap:
/// the invalid value never reaches host code. <see cref="TrapException.Code"/> is the closest core
/// trap (see <see cref="CodeFor"/>); <see cref="Error"/> says exactly what was wrong.</summary>
public sealed class CanonicalAbiTrapException : TrapException
{
    public CanonicalAbiTrapException(CanonicalAbiError error, string message)
        : base(CodeFor(error), message) => Error = error;

    public CanonicalAbiError Error { get; }

    /// <summary>Memory-shaped errors map to <see cref="TrapCode.MemoryOutOfBounds"/>, handle errors
    /// (handles are indices into a table) to <see cref="TrapCode.TableOutOfBounds"/>, and invalid
    /// values (CanonicalABI.md's plain <c>trap()</c>) to <see cref="TrapCode.Unreachable"/>.</summary>
    public static TrapCode CodeFor(CanonicalAbiError error) => error switch
    {
        CanonicalAbiError.OutOfBounds or CanonicalAbiError.Misaligned or CanonicalAbiError.TooLong => TrapCode.MemoryOutOfBounds,
        CanonicalAbiError.InvalidHandle or CanonicalAbiError.UseAfterDrop or CanonicalAbiError.WrongResourceType
            or CanonicalAbiError.NotOwner or CanonicalAbiError.HandleLent or CanonicalAbiError.BorrowOutlivesCall
            or CanonicalAbiError.TableFull or CanonicalAbiError.StaleHandle => TrapCode.TableOutOfBounds,
        _ => TrapCode.Unreachable,
    };
}

/// <summary>Raises canonical ABI traps out of line, so the checks on the fast paths stay small.</summary>
internal static class AbiTrap
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    public static void Throw(CanonicalAbiError error, string message) => throw new CanonicalAbiTrapException(error, message);
}
