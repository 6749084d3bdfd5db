using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;

namespace IronWasm.Components.Tests.Resources;

/// <summary>Own and borrow rules of one instance's handle table.</summary>
public class HandleTableTests
{
    private readonly List<int> _destroyed = new();
    private readonly ResourceType _sensor;
    private readonly ResourceType _pin = new("pin");
    private readonly HandleTable _table = new();

    public HandleTableTests() => _sensor = new ResourceType("sensor", rep => _destroyed.Add(rep));

    private static CanonicalAbiError Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action).Error;

    [Fact]
    public void IndexZeroIsNeverAHandle()
    {
        Assert.Equal(1, _table.New(_sensor, 5));
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => _table.Rep(_sensor, 0)));
    }

    [Fact]
    public void DroppingAnOwnedHandleRunsTheDestructor()
    {
        int handle = _table.New(_sensor, 5);
        _table.Drop(_sensor, handle);
        Assert.Equal([5], _destroyed);
        Assert.Equal(0, _table.Count);
    }

    [Fact]
    public void UseAfterDropTraps()
    {
        int handle = _table.New(_sensor, 5);
        _table.Drop(_sensor, handle);
        Assert.Equal(CanonicalAbiError.UseAfterDrop, Trap(() => _table.Rep(_sensor, handle)));
    }

    [Fact]
    public void ForgedHandleTraps() =>
        Assert.Equal(CanonicalAbiError.InvalidHandle, Trap(() => _table.Rep(_sensor, 1234)));

    [Fact]
    public void HandleOfAnotherResourceTypeTraps()
    {
        int handle = _table.New(_pin, 1);
        Assert.Equal(CanonicalAbiError.WrongResourceType, Trap(() => _table.Rep(_sensor, handle)));
    }

    [Fact]
    public void DroppedSlotsAreReused()
    {
        int first = _table.New(_sensor, 1);
        _table.Drop(_sensor, first);
        Assert.Equal(first, _table.New(_sensor, 2));
    }

    [Fact]
    public void LiftingOwnMovesTheHandleOut()
    {
        int handle = _table.New(_sensor, 9);
        Assert.Equal(9, _table.LiftOwn(_sensor, handle));
        Assert.Equal(0, _table.Count);
        Assert.Empty(_destroyed);
    }

    [Fact]
    public void ABorrowCannotBePassedAsOwn()
    {
        var scope = new BorrowScope();
        int handle = _table.LowerBorrow(_sensor, 3, scope);
        Assert.Equal(CanonicalAbiError.NotOwner, Trap(() => _table.LiftOwn(_sensor, handle)));
    }

    [Fact]
    public void ALentHandleCannotBeDroppedUntilTheCallEnds()
    {
        int handle = _table.New(_sensor, 3);
        var call = new BorrowScope();
        _table.LiftBorrow(_sensor, handle, call);
        Assert.Equal(CanonicalAbiError.HandleLent, Trap(() => _table.Drop(_sensor, handle)));
        call.EndCaller();
        _table.Drop(_sensor, handle);
        Assert.Equal([3], _destroyed);
    }

    [Fact]
    public void ALentHandleCannotBeMoved()
    {
        int handle = _table.New(_sensor, 3);
        _table.LiftBorrow(_sensor, handle, new BorrowScope());
        Assert.Equal(CanonicalAbiError.HandleLent, Trap(() => _table.LiftOwn(_sensor, handle)));
    }

    [Fact]
    public void DroppingABorrowDoesNotRunTheDestructor()
    {
        var scope = new BorrowScope();
        int handle = _table.LowerBorrow(_sensor, 3, scope);
        _table.Drop(_sensor, handle);
        Assert.Empty(_destroyed);
        Assert.Equal(0, scope.OutstandingBorrows);
    }

    [Fact]
    public void ACallEndingWithAnUndroppedBorrowTraps()
    {
        var scope = new BorrowScope();
        _table.LowerBorrow(_sensor, 3, scope);
        Assert.Equal(CanonicalAbiError.BorrowOutlivesCall, Trap(scope.EndCallee));
    }

    [Fact]
    public void ABorrowUsedAfterItsCallTraps()
    {
        var scope = new BorrowScope();
        int handle = _table.LowerBorrow(_sensor, 3, scope);
        Assert.Throws<CanonicalAbiTrapException>(scope.EndCallee);
        Assert.Equal(CanonicalAbiError.BorrowOutlivesCall, Trap(() => _table.Rep(_sensor, handle)));
    }

    [Fact]
    public void BorrowsOfTheImplementersOwnResourcePassTheRep()
    {
        var own = new ResourceType("blob") { Implementation = _table };
        Assert.Equal(77, _table.LowerBorrow(own, 77, new BorrowScope()));
        Assert.Equal(0, _table.Count);
    }

    [Fact]
    public void HandleTrapsAreTableTraps() =>
        Assert.Equal(TrapCode.TableOutOfBounds, Assert.Throws<CanonicalAbiTrapException>(() => _table.Rep(_sensor, 7)).Code);
}
