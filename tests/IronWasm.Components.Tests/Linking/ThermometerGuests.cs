using System.Runtime.CompilerServices;
using IronWasm.Components.Linking;
using IronWasm.Components.Wit;

namespace IronWasm.Components.Tests.Linking;

/// <summary>Drivers and apps of the example thermometer interface (wit/example/thermometer.wit),
/// written in WAT with the core names bindings generators use, so the linking tests do not depend
/// on the C guests.</summary>
internal static class ThermometerGuests
{
    public const string Interface = "ironwasm:example/thermometer@0.1.0";

    public static readonly string RepositoryRoot = FindRoot();

    public static string ExampleWitPath => Path.Combine(RepositoryRoot, "wit", "example", "thermometer.wit");

    public static string ExampleWitText => File.ReadAllText(ExampleWitPath);

    /// <summary>A test world that imports the thermometer and exports more than `app` does, so the
    /// tests can drive the app step by step.</summary>
    public const string ProbeAppWit = """
        package test:linking;
        world probe-app {
          use ironwasm:example/thermometer@0.1.0.{reading};
          import ironwasm:example/thermometer@0.1.0;
          export open: func(channel: u8) -> u32;
          export sample: func(handle: u32) -> result<reading, string>;
          export close: func(handle: u32);
          export name: func() -> string;
          export run: func(samples: u32) -> string;
        }
        """;

    public static WitResolvedPackage Example => LoadExample(ExampleWitText);

    public static WitResolvedPackage LoadExample(string text) => WitPackageLoader.LoadText(text, "thermometer.wit");

    public static WitWorld ProbeAppWorld(string thermometerWit) =>
        WitPackageLoader.LoadText(ProbeAppWit, "probe-app.wit", ("thermometer.wit", thermometerWit)).SelectWorld("probe-app");

    private const string Runtime = """
          (memory (export "memory") 1)
          (global $bump (mut i32) (i32.const 4096))
          (func $alloc (param $align i32) (param $size i32) (result i32)
            (local $p i32)
            (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get $align) (i32.const 1)))
                                   (i32.sub (i32.const 0) (local.get $align))))
            (global.set $bump (i32.add (local.get $p) (local.get $size)))
            (local.get $p))
          (func (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32) (param $size i32) (result i32)
            (local $p i32)
            (local.set $p (call $alloc (local.get $align) (local.get $size)))
            (if (local.get $old) (then (memory.copy (local.get $p) (local.get $old) (local.get $old_size))))
            (local.get $p))
        """;

    /// <summary>A simulated driver: named <paramref name="name"/>, its probes read
    /// <paramref name="baseValue"/> + the number of reads so far, in <paramref name="unit"/>
    /// (0 celsius, 1 fahrenheit), named <paramref name="probe"/>; channel 7 has no probe (an error), and reading channel 9 traps.
    /// Globals count post-return calls (`posts`) and destructor calls (`dtors`, `last-dtor` = the
    /// channel of the last destroyed probe).</summary>
    public static string Driver(string name = "sim-v1", int unit = 0, int baseValue = 20, string probe = "v1-probe",
        bool withDriverName = true, string extra = "") => $$"""
        (module
          (import "[export]{{Interface}}" "[resource-new]probe" (func $new (param i32) (result i32)))
          {{Runtime}}
          (global $posts (export "posts") (mut i32) (i32.const 0))
          (global $dtors (export "dtors") (mut i32) (i32.const 0))
          (global $last_dtor (export "last-dtor") (mut i32) (i32.const -1))
          (data (i32.const 16) "{{name}}")
          (data (i32.const 64) "no probe on channel 7")
          (data (i32.const 128) "{{probe}}")
          {{(withDriverName ? $$"""
          (func (export "{{Interface}}#driver-name") (result i32)
            (i32.store (i32.const 256) (i32.const 16))
            (i32.store (i32.const 260) (i32.const {{name.Length}}))
            (i32.const 256))
          (func (export "cabi_post_{{Interface}}#driver-name") (param i32)
            (global.set $posts (i32.add (global.get $posts) (i32.const 1))))
          """ : "")}}
          (func (export "{{Interface}}#[constructor]probe") (param $channel i32) (result i32)
            (local $p i32)
            (local.set $p (call $alloc (i32.const 4) (i32.const 8)))
            (i32.store (local.get $p) (local.get $channel))
            (i32.store offset=4 (local.get $p) (i32.const 0))
            (call $new (local.get $p)))
          (func (export "{{Interface}}#[method]probe.read") (param $self i32) (result i32)
            (local $count i32)
            (local.set $count (i32.add (i32.load offset=4 (local.get $self)) (i32.const 1)))
            (i32.store offset=4 (local.get $self) (local.get $count))
            (if (i32.eq (i32.load (local.get $self)) (i32.const 9)) (then unreachable))
            (if (i32.eq (i32.load (local.get $self)) (i32.const 7))
              (then
                (i32.store8 (i32.const 512) (i32.const 1))
                (i32.store (i32.const 516) (i32.const 64))
                (i32.store (i32.const 520) (i32.const 21))
                (return (i32.const 512))))
            (i32.store8 (i32.const 512) (i32.const 0))
            (f32.store (i32.const 516) (f32.convert_i32_u (i32.add (i32.const {{baseValue}}) (local.get $count))))
            (i32.store8 (i32.const 520) (i32.const {{unit}}))
            (i32.store (i32.const 524) (i32.const 128))
            (i32.store (i32.const 528) (i32.const {{probe.Length}}))
            (i32.const 512))
          (func (export "cabi_post_{{Interface}}#[method]probe.read") (param i32)
            (global.set $posts (i32.add (global.get $posts) (i32.const 1))))
          (func (export "{{Interface}}#[dtor]probe") (param $rep i32)
            (global.set $dtors (i32.add (global.get $dtors) (i32.const 1)))
            (global.set $last_dtor (i32.load (local.get $rep))))
          {{extra}}
        )
        """;

    /// <summary>An app of the probe-app world: `open`, `sample`, `close` and `name` forward to the
    /// thermometer; `run` opens probe 0, takes the readings and formats a report:
    /// "&lt;driver-name&gt;\n" then "&lt;probe&gt; &lt;value&gt; C|F\n" or "error: &lt;message&gt;\n" per reading.</summary>
    public const string App = $$"""
        (module
          (import "{{Interface}}" "[constructor]probe" (func $ctor (param i32) (result i32)))
          (import "{{Interface}}" "[method]probe.read" (func $read (param i32 i32)))
          (import "{{Interface}}" "driver-name" (func $name (param i32)))
          (import "{{Interface}}" "[resource-drop]probe" (func $drop (param i32)))
          {{Runtime}}
          (global $out (mut i32) (i32.const 0))
          (data (i32.const 16) "error: ")
          (func (export "open") (param $channel i32) (result i32)
            (call $ctor (local.get $channel)))
          (func (export "sample") (param $handle i32) (result i32)
            (call $read (local.get $handle) (i32.const 768))
            (i32.const 768))
          (func (export "close") (param $handle i32)
            (call $drop (local.get $handle)))
          (func (export "name") (result i32)
            (call $name (i32.const 800))
            (i32.const 800))
          (func $emit (param $ptr i32) (param $len i32)
            (memory.copy (global.get $out) (local.get $ptr) (local.get $len))
            (global.set $out (i32.add (global.get $out) (local.get $len))))
          (func $char (param $c i32)
            (i32.store8 (global.get $out) (local.get $c))
            (global.set $out (i32.add (global.get $out) (i32.const 1))))
          (func $number (param $n i32)
            (if (i32.ge_u (local.get $n) (i32.const 10)) (then (call $number (i32.div_u (local.get $n) (i32.const 10)))))
            (call $char (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10)))))
          (func (export "run") (param $samples i32) (result i32)
            (local $h i32) (local $i i32) (local $start i32)
            (local.set $start (call $alloc (i32.const 1) (i32.const 4096)))
            (global.set $out (local.get $start))
            (call $name (i32.const 800))
            (call $emit (i32.load (i32.const 800)) (i32.load (i32.const 804)))
            (call $char (i32.const 10))
            (local.set $h (call $ctor (i32.const 0)))
            (block $done (loop $next
              (br_if $done (i32.ge_u (local.get $i) (local.get $samples)))
              (call $read (local.get $h) (i32.const 768))
              (if (i32.load8_u (i32.const 768))
                (then
                  (call $emit (i32.const 16) (i32.const 7))
                  (call $emit (i32.load (i32.const 772)) (i32.load (i32.const 776))))
                (else
                  (call $emit (i32.load (i32.const 780)) (i32.load (i32.const 784)))
                  (call $char (i32.const 32))
                  (call $number (i32.trunc_f32_u (f32.load (i32.const 772))))
                  (call $char (i32.const 32))
                  (call $char (select (i32.const 70) (i32.const 67) (i32.load8_u (i32.const 776))))))
              (call $char (i32.const 10))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $next)))
            (call $drop (local.get $h))
            (i32.store (i32.const 832) (local.get $start))
            (i32.store (i32.const 836) (i32.sub (global.get $out) (local.get $start)))
            (i32.const 832))
        )
        """;

    /// <summary>A host with a driver `sensor` and the probe app `app`, linked and instantiated.</summary>
    public static ComponentHost Host(Engine engine, string? driver = null, string? driverWit = null, string? appWit = null)
    {
        var host = new ComponentHost(engine);
        host.AddComponent("sensor", Module.FromText(engine, "sim-v1", driver ?? Driver()), LoadExample(driverWit ?? ExampleWitText).SelectWorld("driver"));
        host.AddComponent("app", Module.FromText(engine, "probe-app", App), ProbeAppWorld(appWit ?? ExampleWitText));
        host.Link("app", Interface, "sensor");
        return host;
    }

    private static string FindRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile) ?? "", AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = start.Length > 0 ? new DirectoryInfo(start) : null; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "wit", "example", "thermometer.wit"))) return dir.FullName;
            }
        }
        throw new InvalidOperationException("wit/example/thermometer.wit not found above the test sources");
    }
}
