using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Tests.CanonicalAbi;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Resources;

/// <summary>Handles passed to and used by a guest through `[method]`, `[resource-drop]` and exports.</summary>
public class ResourceCallTests
{
    private static CanonicalAbiError Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action).Error;

    [Fact]
    public void OwnershipTransfersToTheGuestWhichDropsIt()
    {
        var guest = new ApiGuest();
        Assert.Equal(V.U32(70), guest.Call("consume", V.Own(guest.Sensor, 7)));
        Assert.Equal([7], guest.Destroyed);
        Assert.Equal(0, guest.Handles.Count);
    }

    [Fact]
    public void MethodsReceiveABorrowOfTheGuestsHandle()
    {
        var guest = new ApiGuest();
        guest.Call("consume", V.Own(guest.Sensor, 7));
        Assert.Equal([V.Borrow(guest.Sensor, 7)], guest.Borrowed);
    }

    [Fact]
    public void ABorrowDroppedBeforeReturningIsFine()
    {
        var guest = new ApiGuest();
        Assert.Equal(V.U32(50), guest.Call("peek", V.Borrow(guest.Sensor, 5)));
        Assert.Empty(guest.Destroyed);
        Assert.Equal(0, guest.Handles.Count);
    }

    [Fact]
    public void ABorrowKeptPastTheCallTraps()
    {
        var guest = new ApiGuest();
        Assert.Equal(CanonicalAbiError.BorrowOutlivesCall, Trap(() => guest.Call("keep", V.Borrow(guest.Sensor, 5))));
    }

    [Fact]
    public void UseAfterDropTraps()
    {
        var guest = new ApiGuest();
        Assert.Equal(CanonicalAbiError.UseAfterDrop, Trap(() => guest.Call("use-after-drop", V.Own(guest.Sensor, 1))));
        Assert.Equal([1], guest.Destroyed);
    }

    [Fact]
    public void AForgedHandleTrapsBeforeReachingTheHost()
    {
        var guest = new ApiGuest();
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => guest.Call("forged")));
        Assert.Empty(guest.Borrowed);
    }

    [Fact]
    public void HandlesOfAnotherResourceTypeAreRejectedOnTheHostSide()
    {
        var guest = new ApiGuest();
        Assert.Throws<ArgumentException>(() => guest.Call("consume", V.Own(new IronWasm.Components.Resources.ResourceType("sensor"), 1)));
    }
}
