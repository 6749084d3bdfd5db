namespace IronWasm.Tests.Compilation;

public class ControlFlowTests
{
    [Fact]
    public void AddsParameters()
    {
        var f = Wasm.Function("(param i32 i32) (result i32)", "local.get 0 local.get 1 i32.add").GetFunction<int, int, int>("f")!;
        Assert.Equal(5, f(2, 3));
    }

    [Fact]
    public void BlockResultMergesFromBranchAndFallthrough()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (block (result i32)
              (br_if 0 (i32.const 10) (local.get 0))
              drop
              (i32.const 20))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(10, f(1));
        Assert.Equal(20, f(0));
    }

    [Fact]
    public void LoopCountsDown()
    {
        var f = Wasm.Function("(param i32) (result i32) (local i32)", """
            (loop $l
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br_if $l (local.get 0)))
            local.get 1
            """).GetFunction<int, int>("f")!;
        Assert.Equal(55, f(10));
    }

    [Fact]
    public void IfElseSelectsBranch()
    {
        var f = Wasm.Function("(param i32) (result i32)",
            "(if (result i32) (local.get 0) (then (i32.const 1)) (else (i32.const 2)))").GetFunction<int, int>("f")!;
        Assert.Equal(1, f(7));
        Assert.Equal(2, f(0));
    }

    [Fact]
    public void IfWithoutElsePassesParametersThrough()
    {
        var f = Wasm.Instantiate("""
            (module (type $t (func (param i32) (result i32)))
              (func (export "f") (param i32 i32) (result i32)
                (local.get 0)
                (if (type $t) (param i32) (result i32) (local.get 1) (then (i32.const 100) (i32.add)))))
            """).GetFunction<int, int, int>("f")!;
        Assert.Equal(105, f(5, 1));
        Assert.Equal(5, f(5, 0));
    }

    [Fact]
    public void BranchCarriesValuesFromDeeperStack()
    {
        // The branch value sits above an unrelated operand and must move to the block's slot.
        var f = Wasm.Function("(param i32) (result i32)", """
            (block (result i32)
              (i32.const 99)
              (i32.const 7)
              (br_if 0 (local.get 0))
              (i32.add))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(7, f(1));
        Assert.Equal(106, f(0));
    }

    [Fact]
    public void BrTableSelectsTargetAndDefault()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (block (block (block (br_table 0 1 2 (local.get 0)))
                (return (i32.const 10)))
              (return (i32.const 11)))
            (i32.const 12)
            """).GetFunction<int, int>("f")!;
        Assert.Equal(10, f(0));
        Assert.Equal(11, f(1));
        Assert.Equal(12, f(2));
        Assert.Equal(12, f(-1));
    }

    [Fact]
    public void BrTableCarriesValues()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (block (result i32)
              (i32.const 1)
              (block (result i32)
                (i32.const 5)
                (br_table 0 1 (local.get 0)))
              (i32.add))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(6, f(0));
        Assert.Equal(5, f(1));
    }

    [Fact]
    public void MultiValueBlockReturnsSeveralValues()
    {
        var f = Wasm.Function("(result i32)", """
            (block (result i32 i32) (i32.const 30) (i32.const 12))
            i32.sub
            """).GetFunction<int>("f")!;
        Assert.Equal(18, f());
    }

    [Fact]
    public void LoopWithParameterIterates()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (local.get 0)
            (loop $l (param i32) (result i32)
              (i32.sub (i32.const 1))
              (local.tee 0)
              (br_if $l (local.get 0))
              (drop)
              (i32.const 42))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(42, f(5));
    }

    [Fact]
    public void CodeAfterBranchIsSkipped()
    {
        var f = Wasm.Function("(result i32)", """
            (block (result i32) (br 0 (i32.const 3)) (i32.const 4) (block (loop (unreachable))) (i32.add))
            """).GetFunction<int>("f")!;
        Assert.Equal(3, f());
    }

    [Fact]
    public void ReturnLeavesFromNestedBlocks()
    {
        var f = Wasm.Function("(param i32) (result i64)", """
            (block (loop (if (local.get 0) (then (return (i64.const 9))))))
            (i64.const 8)
            """).GetFunction<int, long>("f")!;
        Assert.Equal(9L, f(1));
        Assert.Equal(8L, f(0));
    }

    [Fact]
    public void SelectPicksByCondition()
    {
        var f = Wasm.Function("(param i32) (result f64)", "(select (f64.const 1.5) (f64.const 2.5) (local.get 0))").GetFunction<int, double>("f")!;
        Assert.Equal(1.5, f(1));
        Assert.Equal(2.5, f(0));
    }

    [Fact]
    public void UnreachableTraps()
    {
        var f = Wasm.Function("", "(i32.const 1) (unreachable)").GetAction("f")!;
        Assert.Equal(TrapCode.Unreachable, Wasm.Traps(() => f()));
    }
}
