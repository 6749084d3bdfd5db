using System.Text;
using IronWasm.Text;

namespace IronWasm.Benchmarks.Workloads;

/// <summary>Modules with many small functions of a few signatures, for instantiation: what matters
/// there is the count of functions, not their bodies.</summary>
internal static class ManyFunctionsModule
{
    /// <summary>Just <paramref name="functionCount"/> functions (four signatures), one exported.</summary>
    public static byte[] FunctionsOnly(int functionCount) => Build(functionCount, typical: false);

    /// <summary>As a toolchain emits it: the functions, plus a one-page memory with a data segment,
    /// a 1,000-entry table filled by an element segment, two globals and 100 exports.</summary>
    public static byte[] Typical(int functionCount) => Build(functionCount, typical: true);

    private static byte[] Build(int functionCount, bool typical)
    {
        var text = new StringBuilder(functionCount * 64);
        text.AppendLine("(module");
        text.AppendLine("  (type $t0 (func (param i32) (result i32)))");
        text.AppendLine("  (type $t1 (func (param i32 i32) (result i32)))");
        text.AppendLine("  (type $t2 (func (param i64) (result i64)))");
        text.AppendLine("  (type $t3 (func (param f64 f64) (result f64)))");
        for (int i = 0; i < functionCount; i++)
        {
            text.AppendLine((i % 4) switch
            {
                0 => $"  (func $f{i} (type $t0) local.get 0 i32.const {i} i32.add)",
                1 => $"  (func $f{i} (type $t1) local.get 0 local.get 1 i32.mul i32.const {i} i32.xor)",
                2 => $"  (func $f{i} (type $t2) local.get 0 i64.const {i} i64.sub)",
                _ => $"  (func $f{i} (type $t3) local.get 0 local.get 1 f64.add)",
            });
        }
        if (typical)
        {
            int tableSize = Math.Min(1000, functionCount);
            text.AppendLine("  (memory 1)");
            text.AppendLine("  (data (i32.const 16) \"initial data of the typical module\")");
            text.AppendLine($"  (table {tableSize} funcref)");
            text.Append("  (elem (i32.const 0)");
            for (int i = 0; i < tableSize; i++) text.Append(" $f").Append(i);
            text.AppendLine(")");
            text.AppendLine("  (global $stack (mut i32) (i32.const 65536))");
            text.AppendLine("  (global $base i32 (i32.const 1024))");
            for (int i = 0; i < Math.Min(100, functionCount); i++) text.AppendLine($"  (export \"f{i}\" (func $f{i}))");
            text.AppendLine("  (export \"memory\" (memory 0))");
        }
        else if (functionCount > 0)
        {
            text.AppendLine("  (export \"f0\" (func $f0))");
        }
        text.AppendLine(")");
        return WatParser.ParseModule(text.ToString());
    }
}
