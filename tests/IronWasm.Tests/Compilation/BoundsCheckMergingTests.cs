namespace IronWasm.Tests.Compilation;

/// <summary>Accesses through the same local share one bounds check; these pin down that the
/// shared check traps exactly where the separate checks would.</summary>
public class BoundsCheckMergingTests
{
    private const string Memory = "(memory 1)";

    [Fact]
    public void MergedLoadsTrapOnlyWhenTheLargestOffsetIsOutOfBounds()
    {
        var f = Wasm.Function("(param i32) (result i32)",
            "(i32.add (i32.load (local.get 0)) (i32.load offset=8 (local.get 0)))", Memory).GetFunction<int, int>("f")!;
        Assert.Equal(0, f(65524));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65525)));
    }

    [Fact]
    public void StoreBeforeAnOutOfBoundsLoadStillHappens()
    {
        var instance = Wasm.Instantiate("""
            (module (memory 1)
              (func (export "f") (param i32)
                (drop (i32.load (local.get 0)))
                (i32.store (local.get 0) (i32.const 7))
                (drop (i32.load offset=8 (local.get 0))))
              (func (export "get") (param i32) (result i32) (i32.load (local.get 0))))
            """);
        var f = instance.GetAction<int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65528)));
        Assert.Equal(7, instance.GetFunction<int, int>("get")!(65528));
    }

    [Fact]
    public void DivisionTrapBeforeALaterOutOfBoundsLoadKeepsItsCode()
    {
        var f = Wasm.Function("(param i32 i32) (result i32)", """
            (drop (i32.load (local.get 0)))
            (drop (i32.div_u (i32.const 1) (local.get 1)))
            (i32.load offset=8 (local.get 0))
            """, Memory).GetFunction<int, int, int>("f")!;
        Assert.Equal(TrapCode.IntegerDivisionByZero, Wasm.Traps(() => f(65528, 0)));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65528, 1)));
    }

    [Fact]
    public void WritingTheLocalForcesANewCheck()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (drop (i32.load offset=8 (local.get 0)))
            (local.set 0 (i32.const 65535))
            (i32.load (local.get 0))
            """, Memory).GetFunction<int, int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(0)));
    }

    [Fact]
    public void ValueReadBeforeTheLocalIsWrittenIsCheckedAsItself()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (drop (i32.load offset=8 (local.get 0)))
            (local.get 0)
            (local.set 0 (i32.const 65535))
            (i32.add (i32.load (local.get 0)))
            """, Memory).GetFunction<int, int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(0)));
    }

    [Fact]
    public void CheckInsideABlockDoesNotCoverThePathThatSkippedIt()
    {
        var f = Wasm.Function("(param i32 i32) (result i32)", """
            (block (br_if 0 (local.get 1)) (drop (i32.load offset=8 (local.get 0))))
            (i32.load (local.get 0))
            """, Memory).GetFunction<int, int, int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65536, 1)));
    }

    [Fact]
    public void LoopParameterIsNotTheLocalItCameFrom()
    {
        // The parameter enters as local 0 (checked in the body) but is 65535 on the back edge.
        var f = Wasm.Function("(param i32) (result i32) (local i32)", """
            (local.get 0)
            (loop $l (param i32) (result i32)
              (drop (i32.load offset=8 (local.get 0)))
              (drop (i32.load))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $l (i32.const 65535) (i32.lt_u (local.get 1) (i32.const 2))))
            """, Memory).GetFunction<int, int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(0)));
    }

    [Fact]
    public void GroupedDisplacedLoadsTrapOnlyWhenOneIsOutOfBounds()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (i32.add (i32.load (i32.add (local.get 0) (i32.const 16)))
                     (i32.load offset=4 (i32.add (local.get 0) (i32.const 32))))
            """, Memory).GetFunction<int, int>("f")!;
        Assert.Equal(0, f(65536 - 40));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65536 - 39)));
    }

    [Fact]
    public void DisplacementThatWrapsAroundStillReachesLowMemory()
    {
        // local + displacement wraps like i32.add: -8 + 16 and -8 + 32 address bytes 8 and 24.
        var f = Wasm.Function("(param i32) (result i32)", """
            (i32.store (i32.const 8) (i32.const 5))
            (i32.store (i32.const 24) (i32.const 7))
            (i32.add (i32.load (i32.add (local.get 0) (i32.const 16)))
                     (i32.load (i32.add (local.get 0) (i32.const 32))))
            """, Memory).GetFunction<int, int>("f")!;
        Assert.Equal(12, f(-8));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(-40)));
    }
}
