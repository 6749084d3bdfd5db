using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using IronWasm.Compilation;

namespace IronWasm.Tests.Compilation;

/// <summary>In a compiled module (the cache's code), small functions with loops are marked to be
/// compiled fully optimised on their first call instead of starting as tier-0 code; the rest stay
/// tiered. The marked code must compute and trap exactly like the tiered and the lazily compiled code.</summary>
public class PersistedTieringTests
{
    private const string Wat = """
        (module (memory (export "m") 1)
          (func $sum (export "sum") (param $p i32) (param $n i32) (result i32)
            (local $s i32)
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get $n)))
                (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                (br $next)))
            (local.get $s))
          (func $fill (export "fill") (param $p i32) (param $n i32)
            (loop $next
              (i32.store8 (local.get $p) (local.get $n))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $next (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
          (func $straight (export "straight") (param i32) (result i32)
            (i32.mul (local.get 0) (i32.const 3)))
          (func $big (export "big") (param $n i32) (result i32)
            (loop $next
              (local.set $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $next (i32.gt_s (local.get $n) (i32.const 0))))
            PADDING
            (local.get $n)))
        """;

    private static string ModuleText()
    {
        // Enough dropped constants that $big's body is larger than the limit.
        var padding = string.Concat(Enumerable.Repeat("(drop (i32.const 1000000))", ModuleAssemblyBuilder.FullyOptimizedBodySize / 4));
        return Wat.Replace("PADDING", padding);
    }

    [Fact]
    public void OnlySmallFunctionsWithLoopsSkipTiering()
    {
        var module = IronWasm.Module.FromText(new Engine(), "test", ModuleText());
        var (image, _) = ModuleAssemblyBuilder.Build(module.Compiled);
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var flags = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition)
            .ToDictionary(m => metadata.GetString(m.Name), m => m.ImplAttributes);
        Assert.True(flags["$sum"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.True(flags["$fill"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.False(flags["$straight"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.False(flags["$big"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.All(flags.Where(f => f.Key.StartsWith('$')), f => Assert.True(f.Value.HasFlag(MethodImplAttributes.NoInlining)));
    }

    [Theory]
    [InlineData(65536 - 100, 100)]  // ends exactly at the end of memory
    [InlineData(65536 - 100, 101)]  // the last byte is one past the end
    [InlineData(65536 - 1, 50)]     // the second iteration is out of bounds
    [InlineData(65536, 1)]          // the first
    [InlineData(-3, 2)]             // a "negative" address
    public void FullyOptimizedLoopsComputeAndTrapLikeLazilyCompiledOnes(int start, int count)
    {
        var engine = new Engine();
        var fresh = IronWasm.Module.FromText(engine, "test", ModuleText());
        var results = new List<string>();
        foreach (var module in new[] { fresh, IronWasm.Module.Deserialize(engine, fresh.Serialize()) })
        {
            var instance = new Linker(engine).Instantiate(new Store(engine), module);
            var fill = instance.GetAction<int, int>("fill")!;
            var sum = instance.GetFunction<int, int, int>("sum")!;
            var memory = instance.GetMemory("m")!;
            var fillTrap = Record(() => { fill(start, count); return "done"; });
            // Stores before the trapping one happened: exactly the in-bounds prefix was written.
            int written = memory.GetSpan().ToArray().Count(b => b != 0);
            var sumTrap = Record(() => sum(start, count));
            results.Add($"{fillTrap} {written} {sumTrap} {instance.GetFunction<int, int>("big")!(5)}");
        }
        Assert.Equal(results[0], results[1]);
        long inBounds = Math.Clamp(65536L - (uint)start, 0, count);
        bool traps = inBounds < count;
        string expectedSum = traps ? "MemoryOutOfBounds" : (count * (count + 1) / 2).ToString();
        Assert.Equal($"{(traps ? "MemoryOutOfBounds" : "done")} {inBounds} {expectedSum} 0", results[0]);
    }

    // Directly recursive, loop-free functions: a small one, one just under the limit for
    // recursive functions (padded like $big) and one over it; $caller calls another function only.
    private const string RecursiveWat = """
        (module (memory (export "m") 1)
          (func $depth (export "depth") (param $n i32) (param $p i32) (result i32)
            (if (result i32) (i32.eqz (local.get $n))
              (then (i32.load8_u (local.get $p)))
              (else (i32.add (i32.const 1) (call $depth (i32.sub (local.get $n) (i32.const 1)) (local.get $p))))))
          (func $padded (export "padded") (param $n i32) (result i32)
            UNDER
            (if (result i32) (i32.eqz (local.get $n))
              (then (i32.const 0))
              (else (i32.add (i32.const 2) (call $padded (i32.sub (local.get $n) (i32.const 1)))))))
          (func $huge (export "huge") (param $n i32) (result i32)
            OVER
            (if (result i32) (i32.eqz (local.get $n))
              (then (i32.const 0))
              (else (i32.add (i32.const 3) (call $huge (i32.sub (local.get $n) (i32.const 1)))))))
          (func $caller (export "caller") (param $n i32) (result i32)
            (call $depth (local.get $n) (i32.const 0))))
        """;

    private static string RecursiveModuleText()
    {
        // Each (drop (i32.const 1000000)) is 5 bytes of code.
        int limit = ModuleAssemblyBuilder.RecursiveFullyOptimizedBodySize;
        return RecursiveWat
            .Replace("UNDER", string.Concat(Enumerable.Repeat("(drop (i32.const 1000000))", (limit - 64) / 5)))
            .Replace("OVER", string.Concat(Enumerable.Repeat("(drop (i32.const 1000000))", limit / 5 + 1)));
    }

    [Fact]
    public void FunctionsThatCallThemselvesSkipTieringUpToTheirLimit()
    {
        var module = IronWasm.Module.FromText(new Engine(), "test", RecursiveModuleText());
        var (image, _) = ModuleAssemblyBuilder.Build(module.Compiled);
        using var pe = new PEReader(new MemoryStream(image));
        var metadata = pe.GetMetadataReader();
        var flags = metadata.MethodDefinitions.Select(metadata.GetMethodDefinition)
            .ToDictionary(m => metadata.GetString(m.Name), m => m.ImplAttributes);
        var sizes = module.Compiled.Definition.Bodies.Select(b => b.Code.Length).ToArray();
        Assert.InRange(sizes[1], ModuleAssemblyBuilder.FullyOptimizedBodySize + 1, ModuleAssemblyBuilder.RecursiveFullyOptimizedBodySize);
        Assert.True(sizes[2] > ModuleAssemblyBuilder.RecursiveFullyOptimizedBodySize);
        Assert.True(flags["$depth"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.True(flags["$padded"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.False(flags["$huge"].HasFlag(MethodImplAttributes.AggressiveOptimization));
        Assert.False(flags["$caller"].HasFlag(MethodImplAttributes.AggressiveOptimization));
    }

    [Fact]
    public void FullyOptimizedRecursionComputesAndTrapsLikeLazilyCompiledCode()
    {
        var engine = new Engine(new Config().WithMaxCallDepth(200));
        var fresh = IronWasm.Module.FromText(engine, "test", RecursiveModuleText());
        var results = new List<string>();
        foreach (var module in new[] { fresh, IronWasm.Module.Deserialize(engine, fresh.Serialize()) })
        {
            using var store = new Store(engine);
            var instance = new Linker(engine).Instantiate(store, module);
            instance.GetMemory("m")!.GetSpan()[65535] = 40;
            var depth = instance.GetFunction<int, int, int>("depth")!;
            results.Add(string.Join(" ",
                Record(() => depth(150, 65535)),
                Record(() => depth(150, 65536)),          // the innermost frame's load traps
                Record(() => depth(250, 0)),              // deeper than the limit
                Record(() => instance.GetFunction<int, int>("padded")!(100)),
                Record(() => instance.GetFunction<int, int>("huge")!(100)),
                store.Execution.CallDepth));
        }
        Assert.Equal("190 MemoryOutOfBounds StackOverflow 200 300 0", results[0]);
        Assert.Equal(results[0], results[1]);
    }

    private static string Record(Func<object> action)
    {
        try { return action().ToString()!; }
        catch (TrapException trap) { return trap.Code.ToString(); }
    }
}
