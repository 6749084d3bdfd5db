namespace IronWasm.Fuzzing;

/// <summary>Seed modules that ship with the fuzzer, so it has something meaningful to mutate where the
/// spec suite is absent. Each exports functions taking no or numeric arguments that run with default
/// (zero) arguments, and together they cover the instruction families: control flow, calls, memory,
/// tables, globals, bulk operations, references, multi-value and SIMD.</summary>
internal static class BuiltInSeeds
{
    public static IReadOnlyList<string> Texts { get; } =
    [
        """
        (module
          (func $fac (export "fac") (param i64) (result i64)
            (if (result i64) (i64.eqz (local.get 0))
              (then (i64.const 1))
              (else (i64.mul (local.get 0) (call $fac (i64.sub (local.get 0) (i64.const 1)))))))
          (func (export "fac20") (result i64) (call $fac (i64.const 20)))
          (func $loop (export "count") (param i32) (result i32) (local i32)
            (local.set 0 (i32.add (local.get 0) (i32.const 1000)))
            (block $done
              (loop $next
                (br_if $done (i32.eqz (local.get 0)))
                (local.set 1 (i32.add (local.get 1) (i32.rem_u (local.get 0) (i32.const 7))))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br $next)))
            (local.get 1))
          (func (export "recurse") (param i32) (result i32)
            (call 3 (i32.add (local.get 0) (i32.const 1))))
          (func (export "switch") (param i32) (result i32)
            (block $c (block $b (block $a
              (br_table $a $b $c (local.get 0)))
              (return (i32.const 10)))
              (return (i32.const 20)))
            (i32.const 30)))
        """,
        """
        (module
          (memory (export "mem") 1 4)
          (data (i32.const 16) "\01\02\03\04\05\06\07\08hello, fuzzer")
          (func (export "sum") (param i32) (result i64) (local i32 i64)
            (loop $l
              (local.set 2 (i64.add (local.get 2) (i64.load8_u offset=16 (local.get 1))))
              (local.set 1 (i32.add (local.get 1) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get 1) (i32.const 21))))
            (local.get 2))
          (func (export "store") (param i32 i64)
            (i64.store offset=8 align=4 (local.get 0) (local.get 1))
            (i32.store16 (i32.const 100) (i32.wrap_i64 (local.get 1)))
            (f64.store (i32.const 200) (f64.convert_i64_s (local.get 1))))
          (func (export "grow") (param i32) (result i32)
            (drop (memory.grow (i32.const 1)))
            (i32.add (memory.size) (i32.load (i32.const 65532))))
          (func (export "bulk") (param i32)
            (memory.fill (i32.const 0) (i32.const 7) (i32.const 256))
            (memory.copy (i32.const 512) (i32.const 16) (i32.const 32))
            (memory.init 0 (i32.const 1024) (i32.const 0) (i32.const 4))
            (data.drop 0))
          (func (export "floats") (param f32 f64) (result f64)
            (f64.add (f64.promote_f32 (f32.sqrt (local.get 0)))
                     (f64.nearest (f64.div (local.get 1) (f64.const 0.0)))))
          (func (export "convert") (param f64) (result i32)
            (i32.add (i32.trunc_sat_f64_s (local.get 0)) (i32.trunc_f64_u (f64.abs (local.get 0))))))
        """,
        """
        (module
          (type $ii (func (param i32) (result i32)))
          (table $t (export "table") 4 8 funcref)
          (table $r 2 externref)
          (elem (table $t) (i32.const 0) func $double $inc)
          (elem $passive func $inc $double)
          (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
          (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
          (func (export "dispatch") (param i32) (result i32)
            (call_indirect $t (type $ii) (i32.const 21) (local.get 0)))
          (func (export "tables") (param i32) (result i32)
            (table.init $t $passive (i32.const 2) (i32.const 0) (i32.const 2))
            (table.copy $t $t (i32.const 0) (i32.const 2) (i32.const 2))
            (drop (table.grow $t (ref.null func) (i32.const 2)))
            (table.fill $t (i32.const 4) (ref.func $inc) (i32.const 2))
            (table.set $r (i32.const 1) (ref.null extern))
            (elem.drop $passive)
            (i32.add (table.size $t) (ref.is_null (table.get $t (local.get 0))))))
        """,
        """
        (module
          (global $g (mut i32) (i32.const 7))
          (global $h (export "h") (mut i64) (i64.const -1))
          (global $f f64 (f64.const 1.5))
          (func $pair (param i32) (result i32 i64)
            (local.get 0) (i64.extend_i32_s (local.get 0)))
          (func (export "multi") (param i32) (result i64)
            (call $pair (global.get $g))
            (global.set $h)
            (i64.extend_i32_u)
            (global.get $h)
            (i64.add))
          (func (export "select") (param i32) (result f64)
            (select (global.get $f) (f64.const -0.0) (local.get 0)))
          (func (export "block-values") (param i32) (result i32)
            (i32.const 1) (i32.const 2)
            (block (param i32 i32) (result i32) (i32.add))
            (i32.extend8_s))
          (func $start (global.set $g (i32.const 11)))
          (start $start))
        """,
        """
        (module
          (memory 1)
          (func (export "simd") (param i32) (result i32)
            (local v128)
            (local.set 1 (v128.const i32x4 1 2 3 4))
            (local.set 1 (i32x4.add (local.get 1) (i32x4.splat (local.get 0))))
            (v128.store (i32.const 32) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get 1) (local.get 1)))
            (i32.add (i32x4.extract_lane 2 (v128.load (i32.const 32)))
                     (i8x16.bitmask (i8x16.eq (local.get 1) (local.get 1)))))
          (func (export "simd-float") (param f32) (result f32)
            (f32x4.extract_lane 0
              (f32x4.min (f32x4.splat (local.get 0)) (f32x4.sqrt (f32x4.splat (f32.const -1))))))
          (func (export "simd-narrow") (param i32) (result i64)
            (i64x2.extract_lane 1
              (i16x8.narrow_i32x4_s (i32x4.splat (local.get 0)) (v128.load32_splat (i32.const 4))))))
        """,
        """
        (module
          (import "spectest" "print_i32" (func $print (param i32)))
          (import "spectest" "memory" (memory 1))
          (import "spectest" "global_i32" (global $base i32))
          (import "spectest" "table" (table 10 funcref))
          (func (export "imported") (param i32) (result i32)
            (call $print (local.get 0))
            (i32.store (global.get $base) (local.get 0))
            (i32.add (i32.load (global.get $base)) (table.size 0))))
        """,
    ];

    /// <summary>The seeds encoded as binary modules.</summary>
    public static IReadOnlyList<byte[]> Binaries() => Texts.Select(Text.WatParser.ParseModule).ToArray();
}
