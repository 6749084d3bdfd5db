using System.Text;
using IronWasm.Text;

namespace IronWasm.Benchmarks.Workloads;

/// <summary>Generates modules shaped like compiler output: many functions whose bodies mix integer
/// and float arithmetic, loops, loads and stores, direct, indirect and host calls, if/else, select and
/// br_table, with a memory, a table filled by an element segment, a mutable global and data.
/// Deterministic for a given seed, so every run measures the same bytes.</summary>
/// <remarks>Every function has type (i32, i32) -> i32 and is safe to call with (0, 0): loops run
/// argument-many times, addresses are masked into the first 64 KiB of a two-page memory, divisors are
/// forced odd, and calls sit behind a guard that (0, 0) does not pass. That lets the compile
/// benchmark force the JIT by calling each function once, cheaply and without traps.</remarks>
internal static class SyntheticModule
{
    /// <summary>The import every synthetic module has: <c>env.host : (i32) -> i32</c>.</summary>
    public const string HostModule = "env", HostName = "host";

    public static byte[] Build(int functionCount, int seed) => WatParser.ParseModule(GenerateText(functionCount, seed));

    public static string GenerateText(int functionCount, int seed)
    {
        var random = new Random(seed);
        int tableSize = Math.Min(functionCount, 1024);
        var text = new StringBuilder(functionCount * 2048);
        text.AppendLine("(module");
        text.AppendLine("  (type $binary (func (param i32 i32) (result i32)))");
        text.AppendLine($"  (import \"{HostModule}\" \"{HostName}\" (func $host (param i32) (result i32)))");
        text.AppendLine("  (memory 2)");
        text.AppendLine($"  (table {tableSize} funcref)");
        text.AppendLine("  (global $counter (mut i32) (i32.const 0))");
        text.Append("  (elem (i32.const 0)");
        for (int i = 0; i < tableSize; i++) text.Append(" $f").Append(i);
        text.AppendLine(")");
        text.AppendLine("  (data (i32.const 1024) \"synthetic benchmark data: \\00\\01\\02\\03\\04\\05\\06\\07\")");
        for (int i = 0; i < functionCount; i++)
        {
            if (i % 16 == 0) text.AppendLine($"  (export \"f{i}\" (func $f{i}))");
            AppendFunction(text, random, i, tableSize);
        }
        text.AppendLine(")");
        return text.ToString();
    }

    // Locals: 0, 1 = params; 2 = i32 loop counter / address; 3 = i32 accumulator (the result);
    // 4 = i64; 5 = f32; 6 = f64.
    private static void AppendFunction(StringBuilder text, Random random, int index, int tableSize)
    {
        text.AppendLine($"  (func $f{index} (type $binary) (local i32 i32 i64 f32 f64)");
        int fragments = random.Next(3, 10);
        for (int i = 0; i < fragments; i++)
        {
            switch (random.Next(9))
            {
                case 0: IntegerArithmetic(text, random); break;
                case 1: WideArithmetic(text, random); break;
                case 2: FloatArithmetic(text, random); break;
                case 3: MemoryAccess(text, random); break;
                case 4: Loop(text, random); break;
                case 5: BranchTable(text, random); break;
                case 6: Conditional(text, random); break;
                case 7: Calls(text, random, index, tableSize); break;
                default: BulkMemory(text, random); break;
            }
        }
        text.AppendLine("    local.get 3)");
    }

    private static string Float(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static void Lines(StringBuilder text, string code)
    {
        foreach (var line in code.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            text.Append("    ").AppendLine(line);
    }

    private static void IntegerArithmetic(StringBuilder text, Random r) => Lines(text, $"""
        local.get 0
        i32.const {r.Next()}
        i32.mul
        local.get 1
        i32.const {r.Next(1 << 16)}
        i32.xor
        i32.add
        local.get 3
        i32.rotl
        local.get 1
        i32.const 1
        i32.or
        i32.div_u
        local.get 3
        i32.const {r.Next(1, 31)}
        i32.shr_s
        i32.sub
        i32.clz
        local.get 3
        i32.add
        local.set 3
        """);

    private static void WideArithmetic(StringBuilder text, Random r) => Lines(text, $"""
        local.get 0
        i64.extend_i32_u
        i64.const {r.NextInt64()}
        i64.mul
        local.get 4
        i64.add
        i64.const {r.Next(1, 63)}
        i64.shr_u
        local.get 1
        i64.extend_i32_s
        i64.const 1
        i64.or
        i64.rem_u
        local.tee 4
        i64.popcnt
        i32.wrap_i64
        local.get 3
        i32.xor
        local.set 3
        """);

    private static void FloatArithmetic(StringBuilder text, Random r) => Lines(text, $"""
        local.get 0
        f64.convert_i32_s
        f64.const {Float(r.NextDouble() * 1000)}
        f64.mul
        local.get 6
        f64.add
        f64.abs
        f64.sqrt
        local.tee 6
        i32.trunc_sat_f64_s
        local.get 1
        f32.convert_i32_u
        f32.const {Float((float)r.NextDouble() * 100)}
        f32.add
        local.get 5
        f32.max
        local.tee 5
        f32.floor
        i32.trunc_sat_f32_u
        i32.add
        local.get 3
        i32.add
        local.set 3
        """);

    private static void MemoryAccess(StringBuilder text, Random r) => Lines(text, $"""
        local.get 0
        i32.const 65520
        i32.and
        local.tee 2
        i32.load offset={r.Next(256) * 4}
        local.get 2
        i32.load8_u offset={r.Next(1024)}
        i32.add
        local.get 2
        i64.load16_s offset={r.Next(512) * 2}
        i32.wrap_i64
        i32.xor
        local.get 3
        i32.add
        local.set 3
        local.get 2
        local.get 3
        i32.store offset={r.Next(256) * 4}
        local.get 2
        local.get 4
        i64.store32 offset={r.Next(256) * 4}
        local.get 2
        local.get 6
        f64.store offset={r.Next(128) * 8}
        local.get 2
        f32.load offset={r.Next(256) * 4}
        local.get 5
        f32.mul
        local.set 5
        """);

    private static void Loop(StringBuilder text, Random r) => Lines(text, $"""
        i32.const 0
        local.set 2
        block
          loop
            local.get 2
            local.get 0
            i32.ge_u
            br_if 1
            local.get 2
            i32.const 4095
            i32.and
            i32.const 4
            i32.shl
            local.get 3
            local.get 2
            i32.const {r.Next()}
            i32.mul
            i32.add
            local.tee 3
            i32.store offset={r.Next(64) * 4}
            local.get 4
            local.get 2
            i64.extend_i32_u
            i64.add
            local.set 4
            local.get 2
            i32.const 1
            i32.add
            local.set 2
            br 0
          end
        end
        """);

    private static void BranchTable(StringBuilder text, Random r) => Lines(text, $"""
        block
          block
            block
              block
                local.get 0
                local.get 1
                i32.add
                i32.const 3
                i32.and
                br_table 0 1 2 3
              end
              local.get 3
              i32.const {r.Next()}
              i32.add
              local.set 3
              br 2
            end
            local.get 3
            i32.const {r.Next()}
            i32.xor
            local.set 3
            br 1
          end
          local.get 3
          i32.const {r.Next(1, 1000)}
          i32.mul
          local.set 3
        end
        """);

    private static void Conditional(StringBuilder text, Random r) => Lines(text, $"""
        local.get 0
        local.get 1
        i32.lt_s
        if (result i32)
          local.get 0
          i32.const {r.Next(1000)}
          i32.sub
        else
          local.get 1
          i32.const {r.Next(1000)}
          i32.add
        end
        local.get 3
        i32.add
        local.get 3
        local.get 0
        i32.eqz
        select
        local.set 3
        """);

    // Behind a guard that (0, 0) does not pass; callees have lower indices, so a real run would end.
    private static void Calls(StringBuilder text, Random r, int index, int tableSize) => Lines(text, $"""
        local.get 0
        i32.const 1000000
        i32.gt_u
        if
          local.get 1
          local.get 3
          call $f{(index == 0 ? 0 : r.Next(index))}
          local.get 3
          i32.add
          local.set 3
          local.get 0
          local.get 1
          local.get 3
          i32.const {tableSize - 1}
          i32.and
          call_indirect (type $binary)
          call $host
          global.get $counter
          i32.add
          global.set $counter
        end
        """);

    private static void BulkMemory(StringBuilder text, Random r) => Lines(text, $"""
        i32.const {8192 + r.Next(1024) * 8}
        local.get 1
        i32.const 255
        i32.and
        i32.const 64
        memory.fill
        i32.const {16384 + r.Next(1024) * 8}
        i32.const 1024
        local.get 0
        i32.const 31
        i32.and
        memory.copy
        memory.size
        local.get 3
        i32.add
        local.set 3
        """);
}
