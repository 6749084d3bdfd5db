using System.Reflection.Emit;

namespace IronWasm.Tests.Compilation;

/// <summary>A checked access widens its 32-bit address to 64 bits once, for the bounds compare,
/// and builds its pointer from that same value. The widening must be a zero extension: addresses
/// of 2^31 and above are large unsigned numbers that trap, never negative offsets below the
/// memory's base.</summary>
public class AddressExtensionTests
{
    // Computed addresses (a sum of two locals), a lone displaced access and the local itself,
    // for loads and stores of every size.
    private const string Wat = """
        (module (memory (export "m") 1)
          (func (export "load8") (param i32 i32) (result i32) (i32.load8_u (i32.add (local.get 0) (local.get 1))))
          (func (export "load16") (param i32 i32) (result i32) (i32.load16_u (i32.add (local.get 0) (local.get 1))))
          (func $load32 (export "load32") (param i32 i32) (result i32) (i32.load (i32.add (local.get 0) (local.get 1))))
          (func (export "load64") (param i32 i32) (result i64) (i64.load (i32.add (local.get 0) (local.get 1))))
          (func (export "loadv") (param i32 i32) (result i32)
            (i32x4.extract_lane 3 (v128.load (i32.add (local.get 0) (local.get 1)))))
          (func (export "displaced") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 8))))
          (func (export "direct") (param i32) (result i32) (i32.load offset=4 (local.get 0)))
          (func (export "store32") (param i32 i32 i32)
            (i32.store (i32.add (local.get 0) (local.get 1)) (local.get 2)))
          (func (export "store8then32") (param i32 i32)
            (i32.store8 (local.get 0) (i32.const 1))
            (i32.store (i32.add (local.get 1) (i32.const 0)) (i32.const 2))))
        """;

    public static TheoryData<int, int> Loads => new()
    {
        { 65536 - 8, 0 },   // the 8-byte load ends exactly at the end
        { 65536 - 7, 0 },   // one byte past for 8 bytes, fine for fewer
        { 65536 - 1, 0 },   // only the byte load fits
        { 65536, 0 },
        { int.MinValue, 0 }, // 2^31: far past the end, not a negative offset
        { -16, 0 },          // 2^32 - 16
        { -1, 1 },           // wraps to 0
        { -1, 0 },
        { 0x7FFFFFFF, 1 },   // sum 2^31
    };

    [Theory]
    [MemberData(nameof(Loads))]
    public void LoadsAtComputedAddressesTrapExactlyWhenPastTheEnd(int a, int b)
    {
        foreach (var instance in Instances())
        {
            var span = instance.GetMemory("m")!.GetSpan();
            for (int i = 0; i < span.Length; i++) span[i] = (byte)(i * 7 + 1);
            uint address = (uint)(a + b);
            foreach (var (name, size) in new[] { ("load8", 1), ("load16", 2), ("load32", 4), ("load64", 8), ("loadv", 16) })
            {
                var outcome = name == "load64"
                    ? Record(() => instance.GetFunction<int, int, long>(name)!(a, b))
                    : Record(() => instance.GetFunction<int, int, int>(name)!(a, b));
                if ((ulong)address + (ulong)size > 65536) Assert.Equal("MemoryOutOfBounds", outcome);
                else
                {
                    var bytes = instance.GetMemory("m")!.GetSpan().Slice((int)address, size).ToArray();
                    long expected = name switch
                    {
                        "load64" => BitConverter.ToInt64(bytes),
                        "loadv" => BitConverter.ToInt32(bytes, 12),
                        "load32" => BitConverter.ToInt32(bytes),
                        "load16" => BitConverter.ToUInt16(bytes),
                        _ => bytes[0],
                    };
                    Assert.Equal(expected.ToString(), outcome);
                }
            }
        }
    }

    [Theory]
    [InlineData(65536 - 12, true)]
    [InlineData(65536 - 11, false)]
    [InlineData(-8, true)]            // -8 + 8 wraps to 0
    [InlineData(int.MinValue, false)]
    public void DisplacedAndDirectLoadsTrapExactly(int local, bool inBounds)
    {
        foreach (var instance in Instances())
        {
            instance.GetMemory("m")!.GetSpan()[(int)((uint)(local + 8) % 65536)] = 5;
            var displaced = Record(() => instance.GetFunction<int, int>("displaced")!(local));
            var direct = Record(() => instance.GetFunction<int, int>("direct")!(local + 4));
            Assert.Equal(inBounds ? "5" : "MemoryOutOfBounds", displaced);
            Assert.Equal(inBounds && local != -8 ? "5" : "MemoryOutOfBounds", direct);
        }
    }

    [Fact]
    public void StoresAtComputedAddressesWriteWhereTheSumPoints()
    {
        foreach (var instance in Instances())
        {
            var store = instance.GetAction<int, int, int>("store32")!;
            store(-4, 65536 - 4 + 4, 0x01020304);               // wraps to 65532: the last four bytes
            Assert.Equal(0x01020304, BitConverter.ToInt32(instance.GetMemory("m")!.GetSpan().Slice(65532, 4)));
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => store(int.MinValue, 0, 9)));
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => store(65533, 0, 9)));
            // The byte store before the trapping word store is done.
            var both = instance.GetAction<int, int>("store8then32")!;
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => both(100, int.MinValue)));
            Assert.Equal(1, instance.GetMemory("m")!.GetSpan()[100]);
        }
    }

    [Fact]
    public void ACheckedAccessWidensItsAddressOnce()
    {
        var il = PersistedIL.Of(Wat, "$load32").Instructions;
        // Locals read and then widened: each checked access widens its address slot once (for the
        // compare) and builds the pointer from the widened value, not by widening the slot again.
        var widened = il.Zip(il.Skip(1))
            .Where(p => PersistedIL.IsLoadLocal(p.First.OpCode) && (p.Second.OpCode == OpCodes.Conv_U8 || p.Second.OpCode == OpCodes.Conv_U))
            .GroupBy(p => p.First.Local)
            .Select(g => g.Count())
            .ToList();
        Assert.Equal(2, widened.Count);
        Assert.All(widened, count => Assert.Equal(1, count));
    }

    private static IEnumerable<Instance> Instances()
    {
        var engine = new Engine();
        var fresh = IronWasm.Module.FromText(engine, "test", Wat);
        yield return new Linker(engine).Instantiate(new Store(engine), fresh);
        yield return new Linker(engine).Instantiate(new Store(engine), IronWasm.Module.Deserialize(engine, fresh.Serialize()));
    }

    private static string Record(Func<object> action)
    {
        try { return action().ToString()!; }
        catch (TrapException trap) { return trap.Code.ToString(); }
    }
}
