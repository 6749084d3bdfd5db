namespace IronWasm.Tests.Compilation;

public class MemoryTests
{
    private const string Memory = "(memory 1)";

    [Fact]
    public void StoreThenLoadRoundTripsEveryWidth()
    {
        var f = Wasm.Function("(param i64) (result i64)", """
            (i64.store offset=3 (i32.const 5) (local.get 0))
            (i64.add (i64.load offset=8 (i32.const 0))
                     (i64.load8_u (i32.const 8)))
            """, Memory).GetFunction<long, long>("f")!;
        Assert.Equal(0x0102030405060708L + 0x08, f(0x0102030405060708L));
    }

    [Fact]
    public void SignExtendingLoadsExtend()
    {
        var f = Wasm.Function("(result i32)", """
            (i32.store16 (i32.const 0) (i32.const 0xFF80))
            (i32.add (i32.load8_s (i32.const 0)) (i32.load16_s (i32.const 0)))
            """, Memory).GetFunction<int>("f")!;
        Assert.Equal(-128 + -128, f());
    }

    [Fact]
    public void UnalignedAccessWorks()
    {
        var f = Wasm.Function("(result i32)", "(i32.store (i32.const 1) (i32.const 0x12345678)) (i32.load (i32.const 1))", Memory)
            .GetFunction<int>("f")!;
        Assert.Equal(0x12345678, f());
    }

    [Fact]
    public void AccessStraddlingTheEndTraps()
    {
        var f = Wasm.Function("(param i32) (result i32)", "(i32.load (local.get 0))", Memory).GetFunction<int, int>("f")!;
        Assert.Equal(0, f(65532));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(65533)));
    }

    [Fact]
    public void AddressPlusOffsetDoesNotWrap()
    {
        var f = Wasm.Function("(param i32) (result i32)", "(i32.load offset=4294967295 (local.get 0))", Memory).GetFunction<int, int>("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(1)));
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f(-1)));
    }

    [Fact]
    public void GrowMakesNewPagesAccessible()
    {
        var f = Wasm.Function("(result i32)", """
            (drop (memory.grow (i32.const 1)))
            (i32.store (i32.const 70000) (i32.const 9))
            (i32.add (i32.load (i32.const 70000)) (memory.size))
            """, "(memory 1 2)").GetFunction<int>("f")!;
        Assert.Equal(11, f());
    }

    [Fact]
    public void GrowInCalleeIsSeenByCaller()
    {
        var f = Wasm.Instantiate("""
            (module (memory 1)
              (func $grow (drop (memory.grow (i32.const 1))))
              (func (export "f") (result i32)
                (call $grow)
                (i32.store (i32.const 70000) (i32.const 4))
                (i32.load (i32.const 70000))))
            """).GetFunction<int>("f")!;
        Assert.Equal(4, f());
    }

    [Fact]
    public void FillCopyAndDropWork()
    {
        var f = Wasm.Function("(result i32)", """
            (memory.fill (i32.const 0) (i32.const 7) (i32.const 4))
            (memory.copy (i32.const 10) (i32.const 0) (i32.const 4))
            (memory.init $d (i32.const 20) (i32.const 0) (i32.const 2))
            (data.drop $d)
            (i32.add (i32.load (i32.const 10)) (i32.load16_u (i32.const 20)))
            """, "(memory 1) (data $d \"\\01\\02\")").GetFunction<int>("f")!;
        Assert.Equal(0x07070707 + 0x0201, f());
    }

    [Fact]
    public void InitAfterDropTraps()
    {
        var f = Wasm.Function("", "(data.drop $d) (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))",
            "(memory 1) (data $d \"\\01\")").GetAction("f")!;
        Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => f()));
    }

    [Fact]
    public void FloatStoreKeepsSignallingNaNBits()
    {
        var f = Wasm.Function("(result i32)", "(f32.store (i32.const 0) (f32.const nan:0x200000)) (i32.load (i32.const 0))", Memory)
            .GetFunction<int>("f")!;
        Assert.Equal(0x7FA00000, f());
    }
}
