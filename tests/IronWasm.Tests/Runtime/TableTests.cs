namespace IronWasm.Tests.Runtime;

public class TableTests
{
    [Fact]
    public void NewTableHoldsInitialValue()
    {
        using var store = new Store(new Engine());
        var token = new object();
        var table = new Table(store, ValueKind.ExternRef, token, 3);
        Assert.Equal(3u, table.Size);
        Assert.Same(token, table.Get(2));
    }

    [Fact]
    public void GrowFillsNewElementsAndReturnsOldSize()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 1, 4);
        Assert.Equal(1, table.Grow(2, "x"));
        Assert.Equal(3u, table.Size);
        Assert.Null(table.Get(0));
        Assert.Equal("x", table.Get(2));
        Assert.Equal(-1, table.Grow(2));
    }

    [Fact]
    public void GrowBeyondStoreLimitReturnsMinusOne()
    {
        using var store = new Store(new Engine());
        store.SetLimits(tableElements: 5);
        var table = new Table(store, ValueKind.FuncRef, null, 1);
        Assert.Equal(-1, table.Grow(5));
        Assert.Equal(1, table.Grow(4));
    }

    [Fact]
    public void GrowOfUnboundedTableByHugeDeltaReturnsMinusOne()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 0);
        Assert.Equal(-1, table.Instance.Grow(uint.MaxValue, null));
    }

    [Fact]
    public void GetOutOfBoundsTraps()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 2);
        Assert.Equal(TrapCode.TableOutOfBounds, Assert.Throws<TrapException>(() => table.Instance.Get(2)).Code);
        Assert.Throws<ArgumentOutOfRangeException>(() => table.Get(2));
    }

    [Fact]
    public void FillOutOfBoundsTrapsAndWritesNothing()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 4);
        Assert.Throws<TrapException>(() => table.Instance.Fill(2, "x", 3));
        Assert.Null(table.Get(2));
        table.Instance.Fill(4, "x", 0);
    }

    [Fact]
    public void CopyWithinTableHandlesOverlap()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 5);
        for (uint i = 0; i < 5; i++) table.Set(i, i);
        TableInstanceCopy(table, 1, table, 0, 4);
        Assert.Equal(new object?[] { 0u, 0u, 1u, 2u, 3u }, Enumerable.Range(0, 5).Select(i => table.Get((uint)i)));
    }

    private static void TableInstanceCopy(Table destination, uint d, Table source, uint s, uint n) =>
        IronWasm.Runtime.TableInstance.Copy(destination.Instance, d, source.Instance, s, n);

    [Fact]
    public void CopyOutOfBoundsTraps()
    {
        using var store = new Store(new Engine());
        var a = new Table(store, ValueKind.ExternRef, "a", 3);
        var b = new Table(store, ValueKind.ExternRef, "b", 2);
        Assert.Throws<TrapException>(() => TableInstanceCopy(b, 0, a, 0, 3));
        Assert.Equal("b", b.Get(0));
    }

    [Fact]
    public void InitChecksSegmentBounds()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.ExternRef, null, 4);
        table.Instance.Init(["p", "q", "r"], 1, 1, 2);
        Assert.Equal("q", table.Get(1));
        Assert.Equal("r", table.Get(2));
        Assert.Throws<TrapException>(() => table.Instance.Init(["p"], 0, 1, 1));
    }

    [Fact]
    public void FuncrefTableRejectsNonFunctions()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.FuncRef, null, 1);
        Assert.Throws<ArgumentException>(() => table.Set(0, "not a function"));
    }

    [Fact]
    public void GuestSeesHostTableWrites()
    {
        using var store = new Store(new Engine());
        var table = new Table(store, ValueKind.FuncRef, null, 2);
        var linker = new Linker(store.Engine);
        linker.Define("env", "t", table);
        var provider = TestModules.Instantiate("(module (func (export \"seven\") (result i32) i32.const 7))", store: store);
        table.Set(1, provider.GetFunction("seven"));
        var instance = TestModules.Instantiate("""
            (module (import "env" "t" (table 2 funcref)) (type $t (func (result i32)))
              (func (export "call") (param i32) (result i32) local.get 0 call_indirect (type $t)))
            """, linker, store);
        Assert.Equal(7, instance.GetFunction<int, int>("call")!(1));
        Assert.Equal(TrapCode.IndirectCallToNull, Assert.Throws<TrapException>(() => instance.GetFunction<int, int>("call")!(0)).Code);
    }
}
