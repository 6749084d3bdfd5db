using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using IronWasm.Compilation;

namespace IronWasm.Tests.Compilation;

/// <summary>Counted loops get their bounds checks of induction-variable and invariant addresses
/// done once before the loop, with a checked copy of the loop for when that pre-check fails.
/// Each loop here exists twice: as written, and "plain", with an empty nested loop that keeps
/// the compiler from versioning it. Both must compute the same result, trap with the same code
/// and leave the same memory (the stores before a trapping access done, none after), in freshly
/// compiled and in persisted code, for loops that stay in bounds and that run off the end of
/// memory at the first, a middle and the last iteration, from "negative" addresses, downwards,
/// with non-unit steps, wrapping induction variables and memory.grow in the loop.</summary>
public class LoopVersioningTests
{
    private const string Functions = """
          ;; p + i (two locals) stored then loaded; i counts up to n by 1 (exit test i != n).
          (func $up (export "up") (param $p i32) (param $i i32) (param $n i32) (result i32)
            (local $s i32)
            (loop $l
              TWIN
              local.get $p local.get $i i32.add local.get $i i32.store8
              local.get $s local.get $p local.get $i i32.add i32.load8_u i32.add local.set $s
              local.get $s local.get $i i32.const 16 i32.add i32.load8_u i32.add local.set $s
              local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.ne br_if $l)
            local.get $s)
          ;; A pointer moving up by 8 while a count falls by 8 (exit test n > 7), as in crc32.
          (func $down (export "down") (param $p i32) (param $n i32) (param $unused i32) (result i32)
            (local $s i32)
            (loop $l
              TWIN
              local.get $p local.get $n i32.store8 offset=4
              local.get $s local.get $p i32.load i32.add local.set $s
              local.get $p i32.const 8 i32.add local.set $p
              local.get $n i32.const -8 i32.add local.tee $n i32.const 7 i32.gt_u br_if $l)
            local.get $s)
          ;; A "negative" index counting up to 0 by 1, addresses i + 65500 (wrapping), as in nbody.
          (func $negative (export "negative") (param $i i32) (param $unused i32) (param $unused2 i32) (result i32)
            (local $s i32)
            (loop $l
              TWIN
              local.get $i i32.const 65500 i32.add local.get $i i32.store8
              local.get $s local.get $i i32.const 65500 i32.add i32.load8_u i32.add local.set $s
              local.get $i i32.const 1 i32.add local.tee $i br_if $l)
            local.get $s)
          ;; Step 3 (exit test i < n with a local limit): a 2-byte load and a store at offset 2.
          (func $stride (export "stride") (param $i i32) (param $n i32) (param $unused i32) (result i32)
            (local $s i32)
            (loop $l
              TWIN
              local.get $i local.get $i i32.store8 offset=2
              local.get $s local.get $i i32.load16_u i32.add local.set $s
              local.get $i i32.const 3 i32.add local.tee $i local.get $n i32.lt_u br_if $l)
            local.get $s)
          ;; Step -5 with i != n: runs until i hits n exactly (or wraps all the way round).
          (func $downstride (export "downstride") (param $i i32) (param $n i32) (param $unused i32) (result i32)
            (local $s i32)
            (loop $l
              TWIN
              local.get $i i32.const -4 i32.add local.get $i i32.store
              local.get $s local.get $i i32.load8_u i32.add local.set $s
              local.get $i i32.const 5 i32.sub local.tee $i local.get $n i32.ne br_if $l)
            local.get $s)
          ;; d = dst + i and q = src + i kept in locals, accesses at d + k and q + k, as in memcpy.
          (func $copy (export "copy") (param $dst i32) (param $src i32) (param $n i32) (result i32)
            (local $i i32) (local $d i32) (local $q i32)
            (loop $l
              TWIN
              local.get $dst local.get $i i32.add local.tee $d
              local.get $src local.get $i i32.add local.tee $q i32.load i32.const 1 i32.add
              i32.store
              local.get $d i32.const 4 i32.add local.get $q i32.const 4 i32.add i32.load i32.const 2 i32.add i32.store
              local.get $i i32.const 8 i32.add local.tee $i local.get $n i32.ne br_if $l)
            local.get $i)
          ;; Leaves early: the pre-check may fail for iterations that never run.
          (func $early (export "early") (param $p i32) (param $stop i32) (param $n i32) (result i32)
            (local $i i32) (local $s i32)
            (block $out
              (loop $l
                TWIN
                (br_if $out (i32.eq (local.get $i) (local.get $stop)))
                local.get $p local.get $i i32.add i32.const 1 i32.store8
                local.get $s local.get $p local.get $i i32.add i32.load8_u i32.add local.set $s
                local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.ne br_if $l))
            local.get $s)
          ;; memory.grow inside the loop: grows by one page when i reaches g; p + i stored.
          (func $grow (export "grow") (param $p i32) (param $g i32) (param $n i32) (result i32)
            (local $i i32)
            (loop $l
              TWIN
              (drop (memory.grow (i32.eq (local.get $i) (local.get $g))))
              local.get $p local.get $i i32.add local.get $i i32.store8
              local.get $i i32.const 1 i32.add local.tee $i local.get $n i32.ne br_if $l)
            memory.size)
        """;

    private static string ModuleText(bool plain) =>
        "(module (memory (export \"m\") 1)\n" + Functions.Replace("TWIN", plain ? "(loop)" : "") + ")";

    /// <summary>Runs <paramref name="export"/> on a fresh instance: the result or trap, the memory
    /// size and a digest of the memory's contents.</summary>
    private static string Run(Engine engine, Module module, string export, int a, int b, int c)
    {
        var instance = new Linker(engine).Instantiate(new Store(engine), module);
        var f = instance.GetFunction<int, int, int, int>(export)!;
        string result;
        try { result = f(a, b, c).ToString(); }
        catch (TrapException trap) { result = trap.Code.ToString(); }
        var memory = instance.GetMemory("m")!.GetSpan();
        long digest = 0, written = 0;
        for (int i = 0; i < memory.Length; i++)
        {
            if (memory[i] == 0) continue;
            written++;
            digest = digest * 31 + i * 257L + memory[i];
        }
        return $"{result} size={memory.Length} written={written} digest={digest}";
    }

    /// <summary>Versioned and plain, fresh and persisted: all four must agree; returns the result.</summary>
    private static string Agreed(string export, int a, int b, int c)
    {
        var engine = new Engine();
        var runs = new List<string>();
        foreach (bool plain in new[] { false, true })
        {
            var fresh = Module.FromText(engine, "test", ModuleText(plain));
            foreach (var module in new[] { fresh, Module.Deserialize(engine, fresh.Serialize()) })
                runs.Add(Run(engine, module, export, a, b, c));
        }
        Assert.All(runs, run => Assert.Equal(runs[1], run));
        return runs[0];
    }

    [Theory]
    [InlineData(0, 0, 100)]             // in bounds
    [InlineData(65536 - 100, 0, 100)]   // ends exactly at the end of memory
    [InlineData(65536 - 100, 0, 101)]   // the last iteration is out of bounds
    [InlineData(65536 - 50, 0, 100)]    // a middle one
    [InlineData(65536, 0, 10)]          // the first
    [InlineData(-3, 0, 10)]             // a "negative" pointer: p + i wraps for i < 3
    [InlineData(-3, 3, 10)]             // ... and starting at i = 3, p + i is 0, 1, ...
    [InlineData(100, 10, 10)]           // i starts at n: wraps all the way round, traps at the end
    [InlineData(100, 20, 10)]           // i starts past n
    public void UpCountingLoop(int p, int i, int n) => Agreed("up", p, i, n);

    [Theory]
    [InlineData(0, 800)]
    [InlineData(65536 - 800, 800)]      // the last load ends exactly at the end
    [InlineData(65536 - 796, 800)]      // the last iteration's load is out of bounds
    [InlineData(65536 - 400, 800)]      // a middle one
    [InlineData(65536 - 3, 800)]        // the first
    [InlineData(-8, 800)]               // "negative" pointer
    [InlineData(0, 5)]                  // n < 8: the first decrement wraps, the loop runs on
    [InlineData(65528, 7)]              // one iteration only
    public void DownCountingLoop(int p, int n) => Agreed("down", p, n, 0);

    [Theory]
    [InlineData(-36)]                   // addresses 65464 .. 65499, all in bounds
    [InlineData(-65500)]                // from address 0
    [InlineData(-65501)]                // the first address wraps to 2^32 - 1: traps at once
    [InlineData(30)]                    // counts up past 36: address 65536 traps in the middle
    [InlineData(0)]                     // starts at the limit: runs until the address leaves memory
    public void NegativeIndexCountingUpToZero(int i)
    {
        var result = Agreed("negative", i, 0, 0);
        if (i is -36 or -65500) Assert.StartsWith(Enumerable.Range(i, -i).Sum(v => (byte)v).ToString(), result);
        else Assert.StartsWith("MemoryOutOfBounds", result);
    }

    [Theory]
    [InlineData(0, 65533)]              // last i = 65532: its store at 65534 and load of 65532..65533 fit
    [InlineData(0, 65534)]              // last i = 65535: out of bounds at the last iteration
    [InlineData(1, 65000)]
    [InlineData(70000, 5)]              // i >= n: one (out-of-bounds) iteration
    [InlineData(0, -1)]                 // a limit near 2^32: no pre-check, the checked copy traps
    [InlineData(-2, 10)]                // a "negative" i: the first access traps
    public void StepOfThreeWithALocalLimit(int i, int n) => Agreed("stride", i, n, 0);

    [Theory]
    [InlineData(1000, 0)]               // 1000, 995, ..., 5
    [InlineData(1000, 3)]               // never equal: wraps below 0 and traps there
    [InlineData(65535, 65530)]          // one iteration: the store at 65531..65534 fits
    [InlineData(4, -1)]                 // the store at i - 4 = 0
    [InlineData(3, -2)]                 // the store at i - 4 wraps: traps at once
    public void DownwardStepOfFive(int i, int n) => Agreed("downstride", i, n, 0);

    [Theory]
    [InlineData(0, 4096, 4096)]
    [InlineData(65536 - 4096, 0, 4096)] // the last store ends exactly at the end
    [InlineData(65536 - 4092, 0, 4096)] // the last iteration's second store is out of bounds
    [InlineData(65536 - 4088, 0, 4096)] // its first
    [InlineData(0, 65536 - 2048, 4096)] // a load in the middle is out of bounds
    [InlineData(0, -8, 4096)]           // src + i is "negative" at first: traps at once
    [InlineData(8, 0, 4)]               // n is not a multiple of the step: runs until it traps
    public void CopyThroughPointersKeptInLocals(int dst, int src, int n) => Agreed("copy", dst, src, n);

    [Theory]
    [InlineData(65536 - 5, 5, 100)]     // leaves before the first out-of-bounds iteration
    [InlineData(65536 - 5, 6, 100)]     // traps in the sixth
    [InlineData(0, 50, 100)]
    public void LoopLeavingEarly(int p, int stop, int n)
    {
        var result = Agreed("early", p, stop, n);
        Assert.StartsWith(stop == 5 && p != 0 ? "5" : stop == 6 ? "MemoryOutOfBounds" : "50", result);
    }

    [Theory]
    [InlineData(65536 - 5, 2, 10)]      // grows before reaching the old end: no trap
    [InlineData(65536 - 5, 7, 10)]      // grows too late: traps at the old end
    [InlineData(0, 3, 200)]             // in bounds throughout; the memory moves when it grows
    [InlineData(65536 - 5, 100, 10)]    // never grows
    public void MemoryGrowInsideTheLoop(int p, int growAt, int n)
    {
        var result = Agreed("grow", p, growAt, n);
        Assert.StartsWith(growAt == 2 || p == 0 ? "2 " : "MemoryOutOfBounds", result);
    }

    [Fact]
    public void FuelRunsOutBeforeTheOutOfBoundsIterationIsReached()
    {
        foreach (bool plain in new[] { false, true })
        {
            var store = new Store(new Engine(new Config().WithFuelConsumption(true))) { Fuel = 2_000 };
            var instance = Wasm.Instantiate(ModuleText(plain), store);
            var up = instance.GetFunction<int, int, int, int>("up")!;
            // 10,000 iterations would run off the end at iteration 9,001; 2,000 units of fuel end it first.
            Assert.Equal(TrapCode.OutOfFuel, Wasm.Traps(() => up(65536 - 9000, 0, 10_000)));
            store.Fuel = 10_000_000;
            Assert.Equal(TrapCode.MemoryOutOfBounds, Wasm.Traps(() => up(65536 - 9000, 0, 10_000)));
        }
    }

    [Fact]
    public void RecognisedLoopsAreCompiledTwice()
    {
        // The versioned function's IL holds the loop twice (fast and checked) plus the pre-check.
        var versioned = MethodSizes(ModuleText(plain: false));
        var plain = MethodSizes(ModuleText(plain: true));
        foreach (var name in new[] { "$up", "$down", "$negative", "$stride", "$downstride", "$copy", "$early", "$grow" })
            Assert.True(versioned[name] > plain[name] * 3 / 2, $"{name}: {versioned[name]} bytes of IL against {plain[name]}");
    }

    private static Dictionary<string, int> MethodSizes(string wat)
    {
        var module = Module.FromText(new Engine(), "test", wat);
        var (image, _) = ModuleAssemblyBuilder.Build(module.Compiled);
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        return metadata.MethodDefinitions.Select(metadata.GetMethodDefinition)
            .Where(m => m.RelativeVirtualAddress != 0)
            .ToDictionary(m => metadata.GetString(m.Name), m => pe.GetMethodBody(m.RelativeVirtualAddress).Size);
    }
}
