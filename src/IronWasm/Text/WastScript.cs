using System.Runtime.Intrinsics;

namespace IronWasm.Text;

/// <summary>A parsed spec test script (.wast): its commands in order.</summary>
internal sealed record WastScript(string FileName, IReadOnlyList<WastCommand> Commands);

/// <summary>A script command; <see cref="Line"/> is the 1-based line of its opening parenthesis.</summary>
internal abstract record WastCommand(int Line);

/// <summary>
/// A module as written in a script. Exactly one of <see cref="Binary"/> / <see cref="QuoteText"/> is set:
/// a text module is converted to <see cref="Binary"/> when the script is parsed (if that fails,
/// <see cref="TextError"/> holds the error and <see cref="Binary"/> is null); <c>(module binary "...")</c>
/// gives the concatenated bytes; <c>(module quote "...")</c> gives the concatenated text, to be parsed later.
/// </summary>
internal sealed record WastModuleSource(string? Name, byte[]? Binary, string? QuoteText, WasmFormatException? TextError);

internal sealed record WastModuleCommand(int Line, WastModuleSource Module) : WastCommand(Line);
internal sealed record WastRegister(int Line, string As, string? ModuleName) : WastCommand(Line);

internal abstract record WastAction(string? ModuleName, string Name);
internal sealed record WastInvoke(string? ModuleName, string Name, IReadOnlyList<WastValue> Arguments) : WastAction(ModuleName, Name);
internal sealed record WastGet(string? ModuleName, string Name) : WastAction(ModuleName, Name);

internal sealed record WastActionCommand(int Line, WastAction Action) : WastCommand(Line);
internal sealed record WastAssertReturn(int Line, WastAction Action, IReadOnlyList<WastExpected> Expected) : WastCommand(Line);
/// <summary>Either <see cref="Action"/> traps, or instantiating <see cref="Module"/> traps (its start function).</summary>
internal sealed record WastAssertTrap(int Line, WastAction? Action, WastModuleSource? Module, string Message) : WastCommand(Line);
internal sealed record WastAssertExhaustion(int Line, WastAction Action, string Message) : WastCommand(Line);
internal sealed record WastAssertInvalid(int Line, WastModuleSource Module, string Message) : WastCommand(Line);
internal sealed record WastAssertMalformed(int Line, WastModuleSource Module, string Message) : WastCommand(Line);
internal sealed record WastAssertUnlinkable(int Line, WastModuleSource Module, string Message) : WastCommand(Line);
internal sealed record WastAssertUninstantiable(int Line, WastModuleSource Module, string Message) : WastCommand(Line);

/// <summary>
/// A concrete value: its kind and raw bits (i32 in the low 32 bits; f32/f64 IEEE bits exactly, NaN payloads
/// kept), <see cref="Vector"/> for v128, and for references <see cref="IsNull"/> or the <see cref="ExternId"/>
/// of <c>(ref.extern N)</c>.
/// </summary>
internal readonly record struct WastValue(ValueKind Kind, ulong Bits, Vector128<byte> Vector, bool IsNull, uint ExternId);

internal enum WastNaN : byte { None, Canonical, Arithmetic }

/// <summary>
/// An expected result: a concrete value (<see cref="Kind"/>, <see cref="Bits"/>), a NaN pattern for f32/f64
/// (<see cref="NaN"/>), a v128 given per lane (<see cref="LaneShape"/> names the shape, <see cref="Lanes"/>
/// holds each lane's bits and <see cref="LaneNaN"/> each lane's NaN pattern), <c>(ref.null func/extern)</c>
/// (<see cref="IsNull"/>), <c>(ref.extern N)</c> (<see cref="ExternId"/>), or <c>(ref.func)</c>, any non-null
/// function reference (<see cref="AnyFuncRef"/>).
/// </summary>
internal sealed record WastExpected(
    ValueKind Kind, ulong Bits, WastNaN NaN, string? LaneShape, ulong[]? Lanes, WastNaN[]? LaneNaN,
    bool IsNull, bool AnyFuncRef, uint? ExternId);
