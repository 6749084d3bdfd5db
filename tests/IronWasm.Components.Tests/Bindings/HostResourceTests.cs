using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Linking;
using IronWasm.Components.Tests.Bindings.Generated;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.Bindings;

/// <summary>Host objects handed to a guest's exports (as a driver's `attach(bus: own&lt;i2c&gt;, ...)`
/// gets its bus) through the dynamic path, in the same handle tables the generated imports use.</summary>
public class HostResourceTests
{
    private static CanonicalAbiError Trap(Action action) => Assert.Throws<CanonicalAbiTrapException>(action).Error;

    [Fact]
    public void AHostObjectPassesToAGuestExportAsAnOwnHandle()
    {
        var guest = new BindingsGuest();
        var counter = new Counter(41);
        // The guest's attach reads the counter through [method]counter.value, then drops it.
        Assert.Equal(V.U32(41), guest.Export("attach").Invoke(Res.CounterResource.Own(guest.Canonical, counter)));
        Assert.True(counter.Disposed);
        Assert.Equal(0, guest.Handles.Count);
    }

    [Fact]
    public void TheOwnHandleIsTheGuestsUntilItDropsIt()
    {
        var guest = new BindingsGuest();
        var counter = new Counter(8);
        var handle = Res.CounterResource.Own(guest.Canonical, counter);
        Assert.Equal(Res.CounterResource.TypeIn(guest.Canonical), handle.Resource);
        Assert.False(counter.Disposed);
        guest.Export("attach").Invoke(handle);
        Assert.True(counter.Disposed);
    }

    [Fact]
    public void ABorrowKeptPastItsCallTrapsWhenUsedLater()
    {
        var guest = new BindingsGuest();
        int owned = guest.RawInt("make", 5);
        var counter = guest.ResHost.Created.Single();
        // `keep` stores the borrowed handle instead of dropping it: the call itself traps...
        Assert.Equal(CanonicalAbiError.BorrowOutlivesCall, Trap(() => guest.Export("keep").Invoke(Res.CounterResource.Borrow(guest.Canonical, counter))));
        // ...and so does any later use of the stale borrow, through the generated import.
        Assert.Equal(CanonicalAbiError.BorrowOutlivesCall, Trap(() => guest.Export("use-kept").Invoke()));
        Assert.Equal(5, guest.RawInt("[method]counter.value", owned));
    }

    [Fact]
    public void ComponentHostDefinesGeneratedImportsAndBindsTheirResources()
    {
        var engine = new Engine();
        var host = new ComponentHost(engine);
        var values = new ValuesHost();
        var res = new ResHost();
        var defined = new List<string>();
        host.DefineHostImports = (name, linker, canonical) =>
        {
            defined.Add(name);
            Values.Define(linker, canonical, values);
            Res.Define(linker, canonical, res);
        };
        host.AddComponent("guest", Module.FromText(engine, "bindings-guest", BindingsGuest.Wat), BindingsGuest.World);
        host.Instantiate();

        var counter = new Counter(12);
        var attach = host.GetFunction("guest", "test:bindings/attach@1.0.0#attach");
        Assert.Equal(V.U32(12), attach.Invoke(Res.CounterResource.Own(host["guest"].Canonical!, counter)));
        Assert.True(counter.Disposed);
        Assert.Equal(["guest"], defined);
    }

    [Fact]
    public void ASwappedComponentGetsFreshTablesFromItsNewDefine()
    {
        var engine = new Engine();
        var host = new ComponentHost(engine);
        var module = Module.FromText(engine, "bindings-guest", BindingsGuest.Wat);
        host.DefineHostImports = (_, linker, canonical) =>
        {
            Values.Define(linker, canonical, new ValuesHost());
            Res.Define(linker, canonical, new ResHost());
        };
        host.AddComponent("guest", module, BindingsGuest.World);
        host.Instantiate();
        var first = host["guest"].Canonical!;
        host.Swap("guest", module);
        var second = host["guest"].Canonical!;
        Assert.NotSame(first, second);
        Assert.NotSame(Res.CounterResource.TypeIn(first), Res.CounterResource.TypeIn(second));
        Assert.Equal(V.U32(3), host.GetFunction("guest", "test:bindings/attach@1.0.0#attach").Invoke(Res.CounterResource.Own(second, new Counter(3))));
    }
}
