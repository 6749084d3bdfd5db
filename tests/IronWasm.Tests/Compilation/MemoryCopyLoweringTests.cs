namespace IronWasm.Tests.Compilation;

/// <summary>memory.copy is compiled inline: both ranges checked against the memory's length, then
/// one copy with memmove semantics. A trap copies nothing; overlapping ranges copy as if through
/// a temporary buffer; counts and addresses are unsigned, so 2^31 and above are far past the end.</summary>
public class MemoryCopyLoweringTests
{
    private const string Wat = """
        (module (memory (export "m") 1)
          (func $copy (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
          (func (export "storeThenCopy") (param i32 i32 i32)
            (i32.store8 (i32.const 7) (i32.const 99))
            (memory.copy (local.get 0) (local.get 1) (local.get 2))
            (i32.store8 (i32.const 8) (i32.const 99)))
          (func (export "copyInLoop") (param $n i32) (result i32)
            (local $i i32)
            (loop $next
              (memory.copy (i32.add (i32.const 1000) (local.get $i)) (local.get $i) (i32.const 3))
              (br_if $next (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (i32.load (i32.const 1000))))
        """;

    [Theory]
    [InlineData(100, 0, 16)]          // disjoint
    [InlineData(4, 0, 32)]            // overlapping, destination above: must copy backwards
    [InlineData(0, 4, 32)]            // overlapping, destination below
    [InlineData(0, 0, 65536)]         // the whole memory onto itself
    [InlineData(65536 - 16, 0, 16)]   // destination ends exactly at the end
    [InlineData(0, 65536 - 16, 16)]   // source ends exactly at the end
    [InlineData(65536, 0, 0)]         // empty at the end: allowed
    [InlineData(0, 65536, 0)]
    public void InBoundsCopiesMoveTheBytesLikeMemmove(int destination, int source, int count)
    {
        foreach (var instance in Instances())
        {
            var span = instance.GetMemory("m")!.GetSpan();
            for (int i = 0; i < span.Length; i++) span[i] = (byte)(i * 13 + 5);
            var expected = span.ToArray();
            Array.Copy(expected, source, expected, destination, count);
            instance.GetAction<int, int, int>("copy")!(destination, source, count);
            Assert.Equal(expected, instance.GetMemory("m")!.GetSpan().ToArray());
        }
    }

    [Theory]
    [InlineData(65536 - 15, 0, 16)]   // destination one byte past the end
    [InlineData(0, 65536 - 15, 16)]   // source one byte past the end
    [InlineData(65537, 0, 0)]         // empty, but starting past the end
    [InlineData(0, 65537, 0)]
    [InlineData(int.MinValue, 0, 1)]  // 2^31
    [InlineData(0, int.MinValue, 1)]
    [InlineData(0, 0, -1)]            // 2^32 - 1 bytes
    [InlineData(16, 0, int.MinValue)]
    [InlineData(-1, -1, 2)]           // 2^32 - 1 + 2 must not wrap into bounds
    public void OutOfBoundsCopiesTrapAndCopyNothing(int destination, int source, int count)
    {
        foreach (var instance in Instances())
        {
            var span = instance.GetMemory("m")!.GetSpan();
            for (int i = 0; i < span.Length; i++) span[i] = (byte)(i * 13 + 5);
            var before = span.ToArray();
            before[7] = 99;   // the store before the copy is done, the one after it is not
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => instance.GetAction<int, int, int>("storeThenCopy")!(destination, source, count)));
            Assert.Equal(before, instance.GetMemory("m")!.GetSpan().ToArray());
        }
    }

    [Fact]
    public void CopiesInALoopSeeEachOthersWrites()
    {
        foreach (var instance in Instances())
        {
            var span = instance.GetMemory("m")!.GetSpan();
            span[0] = 1; span[1] = 2; span[2] = 3; span[3] = 4;
            // Copy i: bytes i..i+2 to 1000+i..1002+i; the first four bytes at 1000 end up 1 2 3 4.
            Assert.Equal(0x04030201, instance.GetFunction<int, int>("copyInLoop")!(2));
        }
    }

    [Fact]
    public void TheCopyIsInlineRatherThanACallIntoTheRuntime()
    {
        var callees = PersistedIL.Of(Wat, "$copy").Instructions.Where(i => i.Callee is not null).Select(i => i.Callee).ToList();
        // Buffer.MemoryCopy and the out-of-line trap block's Traps.Throw; no MemoryInstance method.
        Assert.Equal(["MemoryCopy", "Throw"], callees);
    }

    private static IEnumerable<Instance> Instances()
    {
        var engine = new Engine();
        var fresh = IronWasm.Module.FromText(engine, "test", Wat);
        yield return new Linker(engine).Instantiate(new Store(engine), fresh);
        yield return new Linker(engine).Instantiate(new Store(engine), IronWasm.Module.Deserialize(engine, fresh.Serialize()));
    }
}
