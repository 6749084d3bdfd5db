using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.Bindings.Generated;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>Invalid values from the guest trap in generated imports exactly as in the dynamic
/// path, before the host sees them; host values that do not fit their type are host errors.</summary>
public class BindingTrapTests
{
    private const int MemoryEnd = 2 * 65536;
    private readonly BindingsGuest _guest = new();

    private static CanonicalAbiTrapException Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action);

    private static CanonicalAbiError Error(Action action) => Trap(action).Error;

    private void AssertHostNotCalled() => Assert.Empty(_guest.ValuesHost.Received);

    [Fact]
    public void AnEnumDiscriminantPastTheLastCaseTraps()
    {
        var trap = Trap(() => _guest.RawInt("echo-color", 3));
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, trap.Error);
        Assert.Equal(TrapCode.Unreachable, trap.Code);
        AssertHostNotCalled();
    }

    [Fact]
    public void AVariantDiscriminantPastTheLastCaseTraps()
    {
        // shape flattens to (i32 case, i64, i32).
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant,
            Error(() => _guest.Raw("echo-shape", WasmValue.FromInt32(5), WasmValue.FromInt64(0), WasmValue.FromInt32(0), WasmValue.FromInt32(BindingsGuest.ReturnArea))));
        AssertHostNotCalled();
    }

    [Fact]
    public void OptionAndResultDiscriminantsAboveOneTrap()
    {
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Error(() => _guest.RawInt("echo-option", 2, 0, 0, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Error(() => _guest.RawInt("echo-result", 2, 0, 0, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Error(() => _guest.RawInt("echo-bare-result", 2)));
        AssertHostNotCalled();
    }

    [Fact]
    public void ABadDiscriminantInMemoryTraps()
    {
        // One shape in a list: case 9 at a 8-aligned address.
        _guest.Write(BindingsGuest.Scratch, 9);
        Assert.Equal(CanonicalAbiError.InvalidDiscriminant, Error(() => _guest.RawInt("echo-shapes", BindingsGuest.Scratch, 1, BindingsGuest.ReturnArea)));
        AssertHostNotCalled();
    }

    [Fact]
    public void SurrogatesAndValuesPastTheLastCodePointAreNotChars()
    {
        Assert.Equal(CanonicalAbiError.InvalidChar, Error(() => _guest.RawInt("echo-char", 0xD800)));
        Assert.Equal(CanonicalAbiError.InvalidChar, Error(() => _guest.RawInt("echo-char", 0xDFFF)));
        Assert.Equal(CanonicalAbiError.InvalidChar, Error(() => _guest.RawInt("echo-char", 0x110000)));
        AssertHostNotCalled();
    }

    [Fact]
    public void AStringOutsideMemoryTraps()
    {
        var trap = Trap(() => _guest.RawInt("echo-string", MemoryEnd - 2, 10, BindingsGuest.ReturnArea));
        Assert.Equal(CanonicalAbiError.OutOfBounds, trap.Error);
        Assert.Equal(TrapCode.MemoryOutOfBounds, trap.Code);
        AssertHostNotCalled();
    }

    [Fact]
    public void InvalidUtf8Traps()
    {
        _guest.Write(BindingsGuest.Scratch, 0xC3, 0x28);
        Assert.Equal(CanonicalAbiError.InvalidString, Error(() => _guest.RawInt("echo-string", BindingsGuest.Scratch, 2, BindingsGuest.ReturnArea)));
        AssertHostNotCalled();
    }

    [Fact]
    public void ListsOutsideMemoryTrap()
    {
        Assert.Equal(CanonicalAbiError.OutOfBounds, Error(() => _guest.RawInt("echo-u32s", MemoryEnd - 4, 2, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.OutOfBounds, Error(() => _guest.RawInt("echo-bytes", MemoryEnd - 1, 2, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.OutOfBounds, Error(() => _guest.RawInt("echo-strings", MemoryEnd - 8, 2, BindingsGuest.ReturnArea)));
        AssertHostNotCalled();
    }

    [Fact]
    public void ListsLongerThanTheAbiLimitTrap()
    {
        Assert.Equal(CanonicalAbiError.TooLong, Error(() => _guest.RawInt("echo-u32s", 0, 0x4000_0000, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.TooLong, Error(() => _guest.RawInt("echo-string", 0, 0x1000_0000, BindingsGuest.ReturnArea)));
        AssertHostNotCalled();
    }

    [Fact]
    public void MisalignedListsTrap()
    {
        Assert.Equal(CanonicalAbiError.Misaligned, Error(() => _guest.RawInt("echo-u32s", BindingsGuest.Scratch + 2, 1, BindingsGuest.ReturnArea)));
        Assert.Equal(CanonicalAbiError.Misaligned, Error(() => _guest.RawInt("echo-shapes", BindingsGuest.Scratch + 4, 1, BindingsGuest.ReturnArea)));
        AssertHostNotCalled();
    }

    [Fact]
    public void AMisalignedOrOutOfBoundsReturnAreaTraps()
    {
        _guest.Write(BindingsGuest.Scratch, (byte)'a');
        Assert.Equal(CanonicalAbiError.Misaligned, Error(() => _guest.RawInt("echo-string", BindingsGuest.Scratch, 1, BindingsGuest.ReturnArea + 2)));
        Assert.Equal(CanonicalAbiError.OutOfBounds, Error(() => _guest.RawInt("echo-string", BindingsGuest.Scratch, 1, MemoryEnd - 4)));
    }

    [Fact]
    public void AMisalignedOrOutOfBoundsParameterTupleTraps()
    {
        Assert.Equal(CanonicalAbiError.Misaligned, Error(() => _guest.RawInt("sum17", BindingsGuest.Scratch + 1)));
        Assert.Equal(CanonicalAbiError.OutOfBounds, Error(() => _guest.RawInt("sum17", MemoryEnd - 64)));
        AssertHostNotCalled();
    }

    [Fact]
    public void HostValuesOutsideTheirTypeAreHostErrors()
    {
        _guest.ValuesHost.Replace = _ => (Shapes.Color)7;
        Assert.Equal(TrapCode.HostError, Assert.Throws<TrapException>(() => _guest.RawInt("echo-color", 0)).Code);
        _guest.ValuesHost.Replace = _ => (Shapes.Perms)8;
        Assert.Equal(TrapCode.HostError, Assert.Throws<TrapException>(() => _guest.RawInt("echo-perms", 0)).Code);
        _guest.ValuesHost.Replace = _ => null;
        _guest.Write(BindingsGuest.Scratch, (byte)'a');
        var trap = Assert.Throws<TrapException>(() => _guest.RawInt("echo-string", BindingsGuest.Scratch, 1, BindingsGuest.ReturnArea));
        Assert.Equal(TrapCode.HostError, trap.Code);
        Assert.IsType<ArgumentNullException>(trap.InnerException);
    }

    [Fact]
    public void AFixedLengthListOfTheWrongLengthIsAHostError()
    {
        _guest.ValuesHost.Replace = _ => new ushort[2];
        _guest.Write(BindingsGuest.Scratch, 1, 0, 2, 0, 3, 0);
        Assert.Equal(TrapCode.HostError, Assert.Throws<TrapException>(() => _guest.RawInt("echo-fixed", 1, 2, 3, BindingsGuest.ReturnArea)).Code);
    }
}
