using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>Test guests: a WAT module with a memory and a bump-allocating cabi_realloc, and WIT types.</summary>
internal static class AbiGuest
{
    /// <summary>Memory (2 pages), a bump allocator from 4096, and a global counting realloc calls.</summary>
    public const string Runtime = """
        (memory (export "memory") 2)
        (global $bump (mut i32) (i32.const 4096))
        (global $reallocs (export "reallocs") (mut i32) (i32.const 0))
        (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
          (local $p i32)
          (global.set $reallocs (i32.add (global.get $reallocs) (i32.const 1)))
          (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                                 (i32.sub (i32.const 0) (local.get $align))))
          (global.set $bump (i32.add (local.get $p) (local.get $size)))
          (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
          (local.get $p))
        """;

    public const string Prelude = """
        package test:abi@1.0.0;
        interface host {
          resource sensor { read: func() -> u32; }
          record point { x: s32, y: s32 }
          add17: func(a1: u32, a2: u32, a3: u32, a4: u32, a5: u32, a6: u32, a7: u32, a8: u32, a9: u32,
                      a10: u32, a11: u32, a12: u32, a13: u32, a14: u32, a15: u32, a16: u32, a17: u32) -> u32;
          describe: func(p: point) -> string;
          take-char: func(c: char);
        }
        interface api {
          use host.{sensor, point};
          record mixed { a: u8, b: u64, c: u16 }
          variant shape { circle(f32), rect(point), empty, big(u64) }
          enum color { red, green, blue }
          flags perms { read, write, exec }
          sum17: func(a1: u32, a2: u32, a3: u32, a4: u32, a5: u32, a6: u32, a7: u32, a8: u32, a9: u32,
                      a10: u32, a11: u32, a12: u32, a13: u32, a14: u32, a15: u32, a16: u32, a17: u32) -> u32;
          echo: func(s: string) -> string;
          bad-char: func() -> char;
          bad-option: func() -> option<u8>;
          bad-string-bounds: func() -> string;
          bad-utf8: func() -> string;
          misaligned-list: func() -> list<u32>;
          list-bounds: func() -> list<u32>;
          too-long: func() -> list<u32>;
          misaligned-return: func() -> string;
          consume: func(s: sensor) -> u32;
          peek: func(s: borrow<sensor>) -> u32;
          keep: func(s: borrow<sensor>) -> u32;
          use-after-drop: func(s: sensor) -> u32;
          forged: func() -> u32;
          call-add17: func() -> u32;
          call-describe: func() -> u32;
          pass-bad-char: func();
        }
        """;

    private static readonly Lazy<WitPackage> Package = new(() => WitPackageLoader.LoadText(Prelude + TypeInterface("bool")).Package);

    public static WitInterface Host => Package.Value.FindInterface("host")!;
    public static WitInterface Api => Package.Value.FindInterface("api")!;
    public static WitFunction ApiFunction(string name) => Api.FindFunction(name)!;
    public static WitFunction HostFunction(string name) => Host.FindFunction(name)!;
    public static WitNamedType Sensor => Host.FindType("sensor")!;

    private static string TypeInterface(string type) => $"interface types {{ use api.{{mixed, shape, color, perms, sensor, point}}; type x = {type}; }}";

    /// <summary>The WIT type written as <paramref name="text"/>, which may name point, mixed, shape,
    /// color, perms and sensor.</summary>
    public static WitType Type(string text) =>
        WitPackageLoader.LoadText(Prelude + TypeInterface(text)).Package.FindInterface("types")!.FindType("x")!.Definition;

    public static CanonicalLayout Layout(string text) => CanonicalLayout.Of(Type(text));

    public sealed record Guest(Store Store, Instance Instance, CanonicalInstance Canonical)
    {
        public int ReallocCount => Instance.GetGlobal("reallocs")!.GetValue().AsInt32();
        public Memory Memory => Instance.GetMemory("memory")!;
    }

    /// <summary>Instantiates a guest of <see cref="Runtime"/> plus <paramref name="body"/>.</summary>
    public static Guest Instantiate(string body, Action<Linker, CanonicalInstance>? imports = null,
        StringEncoding encoding = StringEncoding.Utf8, bool withRuntime = true)
    {
        var engine = new Engine();
        var store = new Store(engine);
        var linker = new Linker(engine);
        var canonical = new CanonicalInstance(encoding);
        imports?.Invoke(linker, canonical);
        var module = Module.FromText(engine, "guest", $"(module\n{body}\n{(withRuntime ? Runtime : "")})");
        var instance = linker.Instantiate(store, module);
        canonical.Bind(instance);
        return new Guest(store, instance, canonical);
    }

    public static Guest Empty(StringEncoding encoding = StringEncoding.Utf8) => Instantiate("", null, encoding);
}
