using System.Text;
using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Robustness;

/// <summary>The WIT of the randomized tests: a catalogue of types that covers every kind (every
/// primitive, strings, lists of all of them and nested, fixed-length lists, options, results with
/// and without payloads, tuples, records, variants whose payloads share and widen slots, enums and
/// flags of each discriminant size, maps, own and borrow handles, alone and inside other types).
/// Interface `fuzz` has an echo per type, <c>echo&lt;i&gt;: func(x: T) -&gt; T</c> (or <c>-&gt; u32</c>
/// when T holds a borrow, which may not be returned), and `spill`, whose parameters and results
/// are passed in memory; interface `results` has <c>get&lt;i&gt;: func() -&gt; T</c> per type without
/// a borrow.</summary>
internal static class FuzzWit
{
    public const string Package = "test:fuzz@1.0.0";

    public static readonly string[] Types =
    [
        "bool", "s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64", "f32", "f64", "char", "string",
        "list<u8>", "list<s16>", "list<u32>", "list<u64>", "list<f32>", "list<f64>", "list<bool>", "list<char>", "list<string>",
        "list<list<u8>>", "list<list<string>>", "list<option<list<u8>>>", "list<point>", "list<shape>", "list<mixed>",
        "list<u16, 3>", "list<string, 2>", "list<list<char>, 2>", "list<tuple<u8, string>>",
        "option<u8>", "option<string>", "option<option<u32>>", "option<f64>", "option<list<u8>>",
        "result", "result<u32>", "result<_, string>", "result<u32, string>", "result<f32, u64>", "result<list<u8>, error-code>", "result<char, f64>",
        "tuple<u8>", "tuple<u8, string, f64>", "tuple<char, list<char>, bool>",
        "point", "mixed", "shape", "error-code", "color", "big-enum", "perms", "many", "all32",
        "map<string, u32>", "map<u8, list<string>>",
        "own<thing>", "borrow<thing>", "option<own<thing>>", "list<own<thing>>", "result<own<thing>, string>",
        "tuple<borrow<thing>, u8>", "holder",
    ];

    /// <summary>Types that hold a borrow: parameters only.</summary>
    public static bool HasBorrow(string type) => type.Contains("borrow") || type == "holder";

    public static bool HasHandle(string type) => HasBorrow(type) || type.Contains("own<");

    public static readonly string Text = BuildText();

    public static readonly WitPackage Wit = WitPackageLoader.LoadText(Text, "fuzz.wit").Package;
    public static WitInterface Fuzz => Wit.FindInterface("fuzz")!;
    public static WitInterface Results => Wit.FindInterface("results")!;
    public static WitNamedType Thing => Wit.FindInterface("types")!.FindType("thing")!;

    /// <summary>The echo of <see cref="Types"/>[i] in `fuzz`.</summary>
    public static WitFunction Echo(int i) => Fuzz.FindFunction($"echo{i}")!;

    /// <summary>The layout of <see cref="Types"/>[i].</summary>
    public static CanonicalLayout Layout(int i) => FunctionLayout.Of(Echo(i)).Parameters[0];

    /// <summary>`use` of every named type of interface `types`.</summary>
    public const string Uses = "use types.{thing, point, mixed, shape, error-code, color, big-enum, perms, many, all32, holder};";

    /// <summary>Interface `types`: the named types of the catalogue.</summary>
    public static string TypesInterface => $$"""
        interface types {
            resource thing;
            record point { x: s32, y: s32 }
            record mixed { a: u8, b: u64, c: u16, name: string, tags: list<string>, maybe: option<s8>, at: point, ch: char, ok: bool }
            variant shape { circle(f32), rect(point), empty, big(u64), label(string), wide(f64), pair(tuple<u8, char>), bits(s16) }
            variant error-code { bus, arbitration-loss, no-acknowledge(u8), overrun, other }
            enum color { red, green, blue }
            enum big-enum { {{string.Join(", ", Enumerable.Range(0, 300).Select(i => $"e{i}"))}} }
            flags perms { read, write, exec }
            flags many { {{string.Join(", ", Enumerable.Range(0, 10).Select(i => $"f{i}"))}} }
            flags all32 { {{string.Join(", ", Enumerable.Range(0, 32).Select(i => $"g{i}"))}} }
            variant holder { owned(own<thing>), lent(borrow<thing>), nothing }
        }
        """;

    private static string BuildText()
    {
        var text = new StringBuilder();
        text.AppendLine($"package {Package};");
        text.AppendLine(TypesInterface);
        text.AppendLine($"interface fuzz {{\n    {Uses}");
        for (int i = 0; i < Types.Length; i++)
            text.AppendLine($"    echo{i}: func(x: {Types[i]}) -> {(HasBorrow(Types[i]) ? "u32" : Types[i])};");
        text.AppendLine("""
                spill: func(a: string, b: list<u8>, c: mixed, d: shape, e: option<string>, f: u64, g: char, h: f32,
                            i: own<thing>, j: borrow<thing>, k: list<u16, 3>) -> tuple<string, list<u8>, mixed>;
            }
            """);
        text.AppendLine($"interface results {{\n    {Uses}");
        for (int i = 0; i < Types.Length; i++)
        {
            if (!HasBorrow(Types[i])) text.AppendLine($"    get{i}: func() -> {Types[i]};");
        }
        text.AppendLine("""
                multi: func() -> (a: string, b: list<u8>, c: u8);
            }

            world guest {
                import fuzz;
                export results;
            }
            """);
        return text.ToString();
    }
}
