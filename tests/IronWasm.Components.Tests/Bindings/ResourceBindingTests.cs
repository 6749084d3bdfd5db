using System.Buffers.Binary;
using IronWasm.Components.CanonicalAbi;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>Host resources through generated bindings: the guest holds handles, the host its own
/// objects, and every handle the guest passes is checked against the instance's handle table.</summary>
public class ResourceBindingTests
{
    private readonly BindingsGuest _guest = new();

    private static CanonicalAbiError Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action).Error;

    private int Make(uint start) => _guest.RawInt("make", (int)start);
    private int Value(int handle) => _guest.RawInt("[method]counter.value", handle);
    private void Drop(int handle) => _guest.RawInt("[resource-drop]counter", handle);

    [Fact]
    public void ConstructorsReturnAnOwnHandleToTheHostsObject()
    {
        int handle = _guest.RawInt("[constructor]counter", 5);
        Assert.True(handle > 0);
        Assert.Equal(5u, Assert.Single(_guest.ResHost.Created).Value());
        Assert.Equal(5, Value(handle));
        Assert.Equal(7, _guest.RawInt("[method]counter.add", handle, 2));
        Assert.Equal(7u, _guest.ResHost.Created[0].Value());
    }

    [Fact]
    public void BorrowParametersReachTheObjectAndLeaveTheHandleWithTheGuest()
    {
        int handle = Make(3);
        Assert.Equal(3, _guest.RawInt("peek", handle));
        Assert.Equal(3, Value(handle));
        Assert.Equal(1, _guest.Handles.Count);
    }

    [Fact]
    public void DroppingTheHandleDisposesTheObject()
    {
        int handle = Make(3);
        Drop(handle);
        Assert.True(_guest.ResHost.Created.Single().Disposed);
        Assert.Equal(0, _guest.Handles.Count);
    }

    [Fact]
    public void UseAfterDropTraps()
    {
        int handle = Make(3);
        Drop(handle);
        Assert.Equal(CanonicalAbiError.UseAfterDrop, Trap(() => Value(handle)));
        Assert.Equal(CanonicalAbiError.UseAfterDrop, Trap(() => Drop(handle)));
    }

    [Fact]
    public void ForgedHandlesTrapBeforeReachingTheHost()
    {
        Make(3);
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => Value(77)));
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => Value(0)));
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => _guest.RawInt("take", -1)));
        Assert.Empty(_guest.ResHost.Taken);
    }

    [Fact]
    public void OwnParametersMoveTheObjectToTheHost()
    {
        int handle = Make(4);
        Assert.Equal(4, _guest.RawInt("take", handle));
        var taken = Assert.Single(_guest.ResHost.Taken);
        Assert.Same(_guest.ResHost.Created[0], taken);
        Assert.False(_guest.ResHost.Created[0].Disposed);
        Assert.Equal(0, _guest.Handles.Count);
        Assert.Equal(CanonicalAbiError.UseAfterDrop, Trap(() => Value(handle)));
    }

    [Fact]
    public void AnObjectHandedOutTwiceIsDisposedWithItsLastHandle()
    {
        var shared = new Counter(9);
        _guest.ResHost.Next = shared;
        int first = Make(0), second = Make(0);
        Assert.NotEqual(first, second);
        Drop(first);
        Assert.False(shared.Disposed);
        Assert.Equal(9, Value(second));
        Drop(second);
        Assert.True(shared.Disposed);
    }

    [Fact]
    public void StaticFunctionsTakeBorrowsAndOwnsAndReturnOwns()
    {
        int into = Make(1), other = Make(10);
        int merged = _guest.RawInt("[static]counter.merge", into, other);
        Assert.Equal(11, Value(merged));
        Assert.Equal(11, Value(into));
        Assert.Same(_guest.ResHost.Created[1], Assert.Single(_guest.ResHost.Taken));
        // `other` moved to the host; its slot went back to the table (and may be reused by `merged`).
        Assert.Equal(2, _guest.Handles.Count);
        Drop(into);
        Assert.False(_guest.ResHost.Created[0].Disposed);
        Drop(merged);
        Assert.True(_guest.ResHost.Created[0].Disposed);
    }

    [Fact]
    public void OwnHandlesInsideResultsAreWrittenToTheReturnArea()
    {
        _guest.RawInt("try-make", 6, BindingsGuest.ReturnArea);
        var area = _guest.Memory.GetSpan(BindingsGuest.ReturnArea, 12);
        Assert.Equal(0, area[0]);
        Assert.Equal(6, Value(BinaryPrimitives.ReadInt32LittleEndian(area[4..])));

        _guest.RawInt("try-make", 0, BindingsGuest.ReturnArea);
        var error = new LiftLowerContext(_guest.Canonical).Load(CanonicalLayout.Of(BindingsGuest.Res.FindFunction("try-make")!.Result!), BindingsGuest.ReturnArea);
        Assert.Equal(1u, error.CaseIndex);
        Assert.Equal("zero", error.Payload!.Value.AsString());
    }

    [Fact]
    public void ABorrowedObjectIsNotDisposedByTheCall()
    {
        int handle = Make(2);
        _guest.RawInt("peek", handle);
        Assert.False(_guest.ResHost.Created[0].Disposed);
        Assert.Equal(CanonicalAbiError.HandleLent, Trap(() => _guest.RawInt("[static]counter.merge", handle, handle)));
        Assert.Equal(2, Value(handle));
    }
}
