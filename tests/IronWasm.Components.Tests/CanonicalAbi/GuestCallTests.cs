using IronWasm.Components.CanonicalAbi;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>Calls across the boundary in both directions, and the traps invalid guest values cause.</summary>
public class GuestCallTests
{
    private static CanonicalAbiTrapException Traps(Action call) => Assert.Throws<CanonicalAbiTrapException>(call);

    [Fact]
    public void SeventeenParametersSpillIntoAReallocatedTuple()
    {
        var guest = new ApiGuest();
        int before = guest.Guest.ReallocCount;
        var result = guest.Call("sum17", Enumerable.Range(1, 17).Select(i => V.U32((uint)i)).ToArray());
        Assert.Equal(V.U32(153), result);
        Assert.Equal(before + 1, guest.Guest.ReallocCount);
    }

    [Fact]
    public void StringResultsComeThroughTheReturnedPointer()
    {
        var guest = new ApiGuest();
        Assert.Equal(V.String("grüße 😀"), guest.Call("echo", V.String("grüße 😀")));
    }

    [Fact]
    public void Utf16GuestsRoundTripStrings()
    {
        var guest = new ApiGuest(StringEncoding.Utf16);
        Assert.Equal(V.String("grüße 😀"), guest.Call("echo", V.String("grüße 😀")));
    }

    [Fact]
    public void PostReturnRunsAfterTheResultsAreLifted()
    {
        var guest = new ApiGuest();
        guest.Call("echo", V.String("x"));
        Assert.Equal(1, guest.PostReturns);
    }

    [Fact]
    public void ExportsWithTheWrongCoreTypeAreRejected()
    {
        var guest = new ApiGuest();
        var wrong = guest.Guest.Instance.GetFunction("test:abi/api@1.0.0#echo")!;
        Assert.Throws<WasmLinkException>(() => new GuestFunction(guest.Guest.Canonical, AbiGuest.ApiFunction("sum17"), wrong));
    }

    [Fact]
    public void InvalidCharResultTraps() =>
        Assert.Equal(CanonicalAbiError.InvalidChar, Traps(() => new ApiGuest().Call("bad-char")).Error);

    [Fact]
    public void InvalidDiscriminantTraps() =>
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Traps(() => new ApiGuest().Call("bad-option")).Error);

    [Fact]
    public void StringOutsideMemoryTraps()
    {
        var trap = Traps(() => new ApiGuest().Call("bad-string-bounds"));
        Assert.Equal(CanonicalAbiError.OutOfBounds, trap.Error);
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
    }

    [Fact]
    public void InvalidUtf8Traps() =>
        Assert.Equal(CanonicalAbiError.InvalidString, Traps(() => new ApiGuest().Call("bad-utf8")).Error);

    [Fact]
    public void MisalignedListTraps() =>
        Assert.Equal(CanonicalAbiError.Misaligned, Traps(() => new ApiGuest().Call("misaligned-list")).Error);

    [Fact]
    public void ListOutsideMemoryTraps() =>
        Assert.Equal(CanonicalAbiError.OutOfBounds, Traps(() => new ApiGuest().Call("list-bounds")).Error);

    [Fact]
    public void OverlongListTraps() =>
        Assert.Equal(CanonicalAbiError.TooLong, Traps(() => new ApiGuest().Call("too-long")).Error);

    [Fact]
    public void MisalignedReturnAreaTraps() =>
        Assert.Equal(CanonicalAbiError.Misaligned, Traps(() => new ApiGuest().Call("misaligned-return")).Error);

    [Fact]
    public void GuestCallsHostWithSpilledParameters()
    {
        Assert.Equal(V.U32(153), new ApiGuest().Call("call-add17"));
    }

    [Fact]
    public void HostResultsBeyondOneFlatValueGoToTheGuestsReturnArea()
    {
        var guest = new ApiGuest();
        Assert.Equal(V.U32(7), guest.Call("call-describe"));
        var memory = guest.Guest.Memory;
        Assert.Equal("(3, -4)", memory.ReadString(memory.ReadInt32(600), 7));
    }

    [Fact]
    public void InvalidGuestArgumentsTrapBeforeReachingTheHost()
    {
        var guest = new ApiGuest();
        var trap = Traps(() => guest.Call("pass-bad-char"));
        Assert.Equal(CanonicalAbiError.InvalidChar, trap.Error);
        Assert.Equal(0, guest.HostCalls);
    }

    [Fact]
    public void ReallocReturningAMisalignedPointerTraps()
    {
        var guest = AbiGuest.Instantiate("""
            (memory (export "memory") 1)
            (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 2))
            (func (export "sum17") (param i32) (result i32) (i32.const 0))
            """, withRuntime: false);
        var function = new GuestFunction(guest.Canonical, AbiGuest.ApiFunction("sum17"), guest.Instance.GetFunction("sum17")!);
        var trap = Traps(() => function.Invoke(Enumerable.Range(1, 17).Select(i => V.U32((uint)i)).ToArray()));
        Assert.Equal(CanonicalAbiError.Misaligned, trap.Error);
    }

    [Fact]
    public void ReallocReturningAPointerOutsideMemoryTraps()
    {
        var guest = AbiGuest.Instantiate("""
            (memory (export "memory") 1)
            (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 65532))
            (func (export "sum17") (param i32) (result i32) (i32.const 0))
            """, withRuntime: false);
        var function = new GuestFunction(guest.Canonical, AbiGuest.ApiFunction("sum17"), guest.Instance.GetFunction("sum17")!);
        var trap = Traps(() => function.Invoke(Enumerable.Range(1, 17).Select(i => V.U32((uint)i)).ToArray()));
        Assert.Equal(CanonicalAbiError.OutOfBounds, trap.Error);
    }

    [Fact]
    public void ReallocCallingAnImportTraps()
    {
        var guest = AbiGuest.Instantiate("""
            (import "test:abi/host@1.0.0" "take-char" (func $take_char (param i32)))
            (memory (export "memory") 1)
            (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (call $take_char (i32.const 65)) (i32.const 64))
            (func (export "sum17") (param i32) (result i32) (i32.const 0))
            """, (linker, canonical) => linker.DefineComponentFunction(canonical, "test:abi/host@1.0.0", AbiGuest.HostFunction("take-char"), (a, r) => { }),
            withRuntime: false);
        var function = new GuestFunction(guest.Canonical, AbiGuest.ApiFunction("sum17"), guest.Instance.GetFunction("sum17")!);
        var trap = Traps(() => function.Invoke(Enumerable.Range(1, 17).Select(i => V.U32((uint)i)).ToArray()));
        Assert.Equal(CanonicalAbiError.CannotLeave, trap.Error);
    }
}
