using IronWasm.Components.CanonicalAbi;
using IronWasm.Components.Resources;
using V = IronWasm.Components.CanonicalAbi.ComponentValue;

namespace IronWasm.Components.Tests.CanonicalAbi;

/// <summary>A guest that exports test:abi/api and imports test:abi/host, written in WAT the way
/// bindings generators name things, with a host that records what it saw.</summary>
internal sealed class ApiGuest
{
    private const string Api = "test:abi/api@1.0.0#";

    public const string Wat = $$"""
        (import "test:abi/host@1.0.0" "[method]sensor.read" (func $read (param i32) (result i32)))
        (import "test:abi/host@1.0.0" "[resource-drop]sensor" (func $drop (param i32)))
        (import "test:abi/host@1.0.0" "add17" (func $add17 (param i32) (result i32)))
        (import "test:abi/host@1.0.0" "describe" (func $describe (param i32 i32 i32)))
        (import "test:abi/host@1.0.0" "take-char" (func $take_char (param i32)))
        (global $posts (export "posts") (mut i32) (i32.const 0))
        (data (i32.const 32) "\02")
        (data (i32.const 40) "\fa\ff\01\00\64\00\00\00")
        (data (i32.const 48) "\c8\00\00\00\02\00\00\00")
        (data (i32.const 200) "\ff\fe")
        (data (i32.const 56) "\c9\00\00\00\01\00\00\00")
        (data (i32.const 64) "\fc\ff\01\00\02\00\00\00")
        (data (i32.const 72) "\00\00\00\00\00\00\00\10")
        (func (export "{{Api}}sum17") (param $p i32) (result i32)
          (local $i i32) (local $s i32)
          (block $done (loop $l
            (br_if $done (i32.eq (local.get $i) (i32.const 17)))
            (local.set $s (i32.add (local.get $s) (i32.load (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 2))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (local.get $s))
        (func (export "{{Api}}echo") (param i32 i32) (result i32)
          (i32.store (i32.const 16) (local.get 0))
          (i32.store (i32.const 20) (local.get 1))
          (i32.const 16))
        (func (export "cabi_post_{{Api}}echo") (param i32)
          (global.set $posts (i32.add (global.get $posts) (i32.const 1))))
        (func (export "{{Api}}bad-char") (result i32) (i32.const 0xD800))
        (func (export "{{Api}}bad-option") (result i32) (i32.const 32))
        (func (export "{{Api}}bad-string-bounds") (result i32) (i32.const 40))
        (func (export "{{Api}}bad-utf8") (result i32) (i32.const 48))
        (func (export "{{Api}}misaligned-list") (result i32) (i32.const 56))
        (func (export "{{Api}}list-bounds") (result i32) (i32.const 64))
        (func (export "{{Api}}too-long") (result i32) (i32.const 72))
        (func (export "{{Api}}misaligned-return") (result i32) (i32.const 18))
        (func (export "{{Api}}consume") (param $h i32) (result i32)
          (local $r i32)
          (local.set $r (call $read (local.get $h)))
          (call $drop (local.get $h))
          (local.get $r))
        (func (export "{{Api}}peek") (param $h i32) (result i32)
          (local $r i32)
          (local.set $r (call $read (local.get $h)))
          (call $drop (local.get $h))
          (local.get $r))
        (func (export "{{Api}}keep") (param $h i32) (result i32)
          (call $read (local.get $h)))
        (func (export "{{Api}}use-after-drop") (param $h i32) (result i32)
          (call $drop (local.get $h))
          (call $read (local.get $h)))
        (func (export "{{Api}}forged") (result i32)
          (call $read (i32.const 42)))
        (func (export "{{Api}}call-add17") (result i32)
          (local $i i32)
          (block $done (loop $l
            (br_if $done (i32.eq (local.get $i) (i32.const 17)))
            (i32.store (i32.add (i32.const 512) (i32.shl (local.get $i) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $l)))
          (call $add17 (i32.const 512)))
        (func (export "{{Api}}call-describe") (result i32)
          (call $describe (i32.const 3) (i32.const -4) (i32.const 600))
          (i32.load (i32.const 604)))
        (func (export "{{Api}}pass-bad-char")
          (call $take_char (i32.const 0x110000)))
        """;

    public ApiGuest(StringEncoding encoding = StringEncoding.Utf8)
    {
        Sensor = new ResourceType("sensor", rep => Destroyed.Add(rep));
        Guest = AbiGuest.Instantiate(Wat, (linker, canonical) =>
        {
            canonical.UseResource(AbiGuest.Sensor, Sensor);
            linker.DefineInterface(canonical, AbiGuest.Host, function => function.CanonicalName switch
            {
                "[method]sensor.read" => (arguments, results) =>
                {
                    Borrowed.Add(arguments[0]);
                    results[0] = V.U32((uint)arguments[0].Representation * 10);
                },
                "add17" => (arguments, results) => results[0] = V.U32((uint)arguments.ToArray().Sum(a => a.AsU32())),
                "describe" => (arguments, results) =>
                    results[0] = V.String($"({arguments[0].Elements[0].AsS32()}, {arguments[0].Elements[1].AsS32()})"),
                "take-char" => (arguments, results) => HostCalls++,
                _ => null,
            });
        }, encoding);
    }

    public AbiGuest.Guest Guest { get; }
    public ResourceType Sensor { get; }
    public List<int> Destroyed { get; } = new();
    public List<V> Borrowed { get; } = new();
    public int HostCalls { get; private set; }

    public HandleTable Handles => Guest.Canonical.Handles;

    public int PostReturns => Guest.Instance.GetGlobal("posts")!.GetValue().AsInt32();

    public GuestFunction Export(string name) =>
        GuestFunction.FromExport(Guest.Canonical, Guest.Instance, AbiGuest.Api, AbiGuest.ApiFunction(name));

    public V? Call(string name, params V[] arguments) => Export(name).Invoke(arguments);
}
