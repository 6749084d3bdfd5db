namespace IronWasm.Tests.Compilation;

public class SimdTests
{
    [Fact]
    public void LaneArithmeticUsesConstantsAndLanes()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (i32x4.extract_lane 2
              (i32x4.add (v128.const i32x4 1 2 3 4) (i32x4.splat (local.get 0))))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(13, f(10));
    }

    [Fact]
    public void ShuffleTakesLanesFromBothOperands()
    {
        var f = Wasm.Function("(result i64)", """
            (i64x2.extract_lane 0
              (i8x16.shuffle 16 0 17 1 18 2 19 3 20 4 21 5 22 6 23 7
                (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
                (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)))
            """).GetFunction<long>("f")!;
        Assert.Equal(0x0313_0212_0111_0010L, f());
    }

    [Fact]
    public void VectorLoadStoreAndLaneAccessRoundTrip()
    {
        var f = Wasm.Function("(result i32)", """
            (v128.store offset=16 (i32.const 0) (v128.const i32x4 5 6 7 8))
            (v128.store32_lane 1 (i32.const 100) (v128.load (i32.const 16)))
            (i32.add (i32.load (i32.const 100))
                     (i32x4.extract_lane 3 (v128.load32_splat (i32.const 28))))
            """, "(memory 1)").GetFunction<int>("f")!;
        Assert.Equal(6 + 8, f());
    }

    [Fact]
    public void VectorAccessOutOfBoundsTraps()
    {
        var f = Wasm.Function("(param i32)", "(drop (v128.load (local.get 0)))", "(memory 1)").GetAction<int>("f")!;
        f(65520);
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65521)));
    }

    [Fact]
    public void VectorValuesMergeThroughBlocksAndSelect()
    {
        var f = Wasm.Function("(param i32) (result i32)", """
            (i8x16.extract_lane_u 0
              (block (result v128)
                (select (v128.const i8x16 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
                        (v128.const i8x16 2 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0)
                        (local.get 0))))
            """).GetFunction<int, int>("f")!;
        Assert.Equal(1, f(1));
        Assert.Equal(2, f(0));
    }
}
