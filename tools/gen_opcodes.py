#!/usr/bin/env python3
"""Generates src/IronWasm/Binary/Opcode.g.cs: the single table of WebAssembly 2.0 instructions.

Each row: encoding, text mnemonic, immediate kind, and for instructions whose typing is a plain
operand -> result signature, that signature (letters: i=i32 l=i64 f=f32 d=f64 v=v128).
Run: python3 tools/gen_opcodes.py
"""
import os, re

rows = []
def op(code, name, imm="None", sig=None):
    rows.append((code, name, imm, sig))

def fc(sub): return 0xFC00 | sub
def fd(sub): return 0xFD0000 | sub   # 0xFD prefix keeps room for sub-opcodes above 0xFF

op(0x00, "unreachable"); op(0x01, "nop")
op(0x02, "block", "BlockType"); op(0x03, "loop", "BlockType"); op(0x04, "if", "BlockType")
op(0x05, "else"); op(0x0B, "end")
op(0x0C, "br", "LabelIndex"); op(0x0D, "br_if", "LabelIndex"); op(0x0E, "br_table", "BrTable")
op(0x0F, "return"); op(0x10, "call", "FunctionIndex"); op(0x11, "call_indirect", "CallIndirect")
op(0x1A, "drop"); op(0x1B, "select"); op(0x1C, "select_typed", "SelectTypes")
op(0x20, "local.get", "LocalIndex"); op(0x21, "local.set", "LocalIndex"); op(0x22, "local.tee", "LocalIndex")
op(0x23, "global.get", "GlobalIndex"); op(0x24, "global.set", "GlobalIndex")
op(0x25, "table.get", "TableIndex"); op(0x26, "table.set", "TableIndex")
loads = [(0x28,"i32.load","i>i"),(0x29,"i64.load","i>l"),(0x2A,"f32.load","i>f"),(0x2B,"f64.load","i>d"),
 (0x2C,"i32.load8_s","i>i"),(0x2D,"i32.load8_u","i>i"),(0x2E,"i32.load16_s","i>i"),(0x2F,"i32.load16_u","i>i"),
 (0x30,"i64.load8_s","i>l"),(0x31,"i64.load8_u","i>l"),(0x32,"i64.load16_s","i>l"),(0x33,"i64.load16_u","i>l"),
 (0x34,"i64.load32_s","i>l"),(0x35,"i64.load32_u","i>l"),
 (0x36,"i32.store","ii>"),(0x37,"i64.store","il>"),(0x38,"f32.store","if>"),(0x39,"f64.store","id>"),
 (0x3A,"i32.store8","ii>"),(0x3B,"i32.store16","ii>"),(0x3C,"i64.store8","il>"),(0x3D,"i64.store16","il>"),(0x3E,"i64.store32","il>")]
for c,n,s in loads: op(c,n,"MemArg",s)
op(0x3F, "memory.size", "MemoryIndex"); op(0x40, "memory.grow", "MemoryIndex")
op(0x41, "i32.const", "I32"); op(0x42, "i64.const", "I64"); op(0x43, "f32.const", "F32"); op(0x44, "f64.const", "F64")

def series(start, prefix, names, sig):
    for i, n in enumerate(names): op(start + i, prefix + n, "None", sig)
cmp_i = ["eq","ne","lt_s","lt_u","gt_s","gt_u","le_s","le_u","ge_s","ge_u"]
cmp_f = ["eq","ne","lt","gt","le","ge"]
op(0x45, "i32.eqz", "None", "i>i"); series(0x46, "i32.", cmp_i, "ii>i")
op(0x50, "i64.eqz", "None", "l>i"); series(0x51, "i64.", cmp_i, "ll>i")
series(0x5B, "f32.", cmp_f, "ff>i"); series(0x61, "f64.", cmp_f, "dd>i")
series(0x67, "i32.", ["clz","ctz","popcnt"], "i>i")
binops_i = ["add","sub","mul","div_s","div_u","rem_s","rem_u","and","or","xor","shl","shr_s","shr_u","rotl","rotr"]
series(0x6A, "i32.", binops_i, "ii>i")
series(0x79, "i64.", ["clz","ctz","popcnt"], "l>l"); series(0x7C, "i64.", binops_i, "ll>l")
un_f = ["abs","neg","ceil","floor","trunc","nearest","sqrt"]; bin_f = ["add","sub","mul","div","min","max","copysign"]
series(0x8B, "f32.", un_f, "f>f"); series(0x92, "f32.", bin_f, "ff>f")
series(0x99, "f64.", un_f, "d>d"); series(0xA0, "f64.", bin_f, "dd>d")
conv = [("i32.wrap_i64","l>i"),("i32.trunc_f32_s","f>i"),("i32.trunc_f32_u","f>i"),("i32.trunc_f64_s","d>i"),("i32.trunc_f64_u","d>i"),
 ("i64.extend_i32_s","i>l"),("i64.extend_i32_u","i>l"),("i64.trunc_f32_s","f>l"),("i64.trunc_f32_u","f>l"),("i64.trunc_f64_s","d>l"),("i64.trunc_f64_u","d>l"),
 ("f32.convert_i32_s","i>f"),("f32.convert_i32_u","i>f"),("f32.convert_i64_s","l>f"),("f32.convert_i64_u","l>f"),("f32.demote_f64","d>f"),
 ("f64.convert_i32_s","i>d"),("f64.convert_i32_u","i>d"),("f64.convert_i64_s","l>d"),("f64.convert_i64_u","l>d"),("f64.promote_f32","f>d"),
 ("i32.reinterpret_f32","f>i"),("i64.reinterpret_f64","d>l"),("f32.reinterpret_i32","i>f"),("f64.reinterpret_i64","l>d"),
 ("i32.extend8_s","i>i"),("i32.extend16_s","i>i"),("i64.extend8_s","l>l"),("i64.extend16_s","l>l"),("i64.extend32_s","l>l")]
for i,(n,s) in enumerate(conv): op(0xA7+i, n, "None", s)
op(0xD0, "ref.null", "HeapType"); op(0xD1, "ref.is_null"); op(0xD2, "ref.func", "FunctionIndex")

sat = [("i32.trunc_sat_f32_s","f>i"),("i32.trunc_sat_f32_u","f>i"),("i32.trunc_sat_f64_s","d>i"),("i32.trunc_sat_f64_u","d>i"),
 ("i64.trunc_sat_f32_s","f>l"),("i64.trunc_sat_f32_u","f>l"),("i64.trunc_sat_f64_s","d>l"),("i64.trunc_sat_f64_u","d>l")]
for i,(n,s) in enumerate(sat): op(fc(i), n, "None", s)
op(fc(8), "memory.init", "MemoryInit"); op(fc(9), "data.drop", "DataIndex"); op(fc(10), "memory.copy", "MemoryCopy")
op(fc(11), "memory.fill", "MemoryIndex"); op(fc(12), "table.init", "TableInit"); op(fc(13), "elem.drop", "ElementIndex")
op(fc(14), "table.copy", "TableCopy"); op(fc(15), "table.grow", "TableIndex"); op(fc(16), "table.size", "TableIndex")
op(fc(17), "table.fill", "TableIndex")

# SIMD (0xFD prefix)
simd_mem = [(0x00,"v128.load","i>v"),(0x01,"v128.load8x8_s","i>v"),(0x02,"v128.load8x8_u","i>v"),(0x03,"v128.load16x4_s","i>v"),
 (0x04,"v128.load16x4_u","i>v"),(0x05,"v128.load32x2_s","i>v"),(0x06,"v128.load32x2_u","i>v"),(0x07,"v128.load8_splat","i>v"),
 (0x08,"v128.load16_splat","i>v"),(0x09,"v128.load32_splat","i>v"),(0x0A,"v128.load64_splat","i>v"),(0x0B,"v128.store","iv>")]
for c,n,s in simd_mem: op(fd(c), n, "MemArg", s)
op(fd(0x0C), "v128.const", "V128"); op(fd(0x0D), "i8x16.shuffle", "Shuffle", "vv>v"); op(fd(0x0E), "i8x16.swizzle", "None", "vv>v")
for c,n,s in [(0x0F,"i8x16.splat","i>v"),(0x10,"i16x8.splat","i>v"),(0x11,"i32x4.splat","i>v"),(0x12,"i64x2.splat","l>v"),(0x13,"f32x4.splat","f>v"),(0x14,"f64x2.splat","d>v")]:
    op(fd(c), n, "None", s)
lanes = [(0x15,"i8x16.extract_lane_s","v>i"),(0x16,"i8x16.extract_lane_u","v>i"),(0x17,"i8x16.replace_lane","vi>v"),
 (0x18,"i16x8.extract_lane_s","v>i"),(0x19,"i16x8.extract_lane_u","v>i"),(0x1A,"i16x8.replace_lane","vi>v"),
 (0x1B,"i32x4.extract_lane","v>i"),(0x1C,"i32x4.replace_lane","vi>v"),(0x1D,"i64x2.extract_lane","v>l"),(0x1E,"i64x2.replace_lane","vl>v"),
 (0x1F,"f32x4.extract_lane","v>f"),(0x20,"f32x4.replace_lane","vf>v"),(0x21,"f64x2.extract_lane","v>d"),(0x22,"f64x2.replace_lane","vd>v")]
for c,n,s in lanes: op(fd(c), n, "Lane", s)
def sseries(start, prefix, names, sig):
    for i, n in enumerate(names): op(fd(start + i), prefix + n, "None", sig)
sseries(0x23, "i8x16.", cmp_i, "vv>v"); sseries(0x2D, "i16x8.", cmp_i, "vv>v"); sseries(0x37, "i32x4.", cmp_i, "vv>v")
sseries(0x41, "f32x4.", cmp_f, "vv>v"); sseries(0x47, "f64x2.", cmp_f, "vv>v")
op(fd(0x4D), "v128.not", "None", "v>v")
sseries(0x4E, "v128.", ["and","andnot","or","xor"], "vv>v")
op(fd(0x52), "v128.bitselect", "None", "vvv>v"); op(fd(0x53), "v128.any_true", "None", "v>i")
for c,n,s in [(0x54,"v128.load8_lane","iv>v"),(0x55,"v128.load16_lane","iv>v"),(0x56,"v128.load32_lane","iv>v"),(0x57,"v128.load64_lane","iv>v"),
              (0x58,"v128.store8_lane","iv>"),(0x59,"v128.store16_lane","iv>"),(0x5A,"v128.store32_lane","iv>"),(0x5B,"v128.store64_lane","iv>")]:
    op(fd(c), n, "MemArgLane", s)
op(fd(0x5C), "v128.load32_zero", "MemArg", "i>v"); op(fd(0x5D), "v128.load64_zero", "MemArg", "i>v")
S = {}  # remaining simple SIMD ops: code -> (name, sig)
def s(c, n, sig): op(fd(c), n, "None", sig)
s(0x5E,"f32x4.demote_f64x2_zero","v>v"); s(0x5F,"f64x2.promote_low_f32x4","v>v")
s(0x60,"i8x16.abs","v>v"); s(0x61,"i8x16.neg","v>v"); s(0x62,"i8x16.popcnt","v>v"); s(0x63,"i8x16.all_true","v>i"); s(0x64,"i8x16.bitmask","v>i")
s(0x65,"i8x16.narrow_i16x8_s","vv>v"); s(0x66,"i8x16.narrow_i16x8_u","vv>v")
s(0x67,"f32x4.ceil","v>v"); s(0x68,"f32x4.floor","v>v"); s(0x69,"f32x4.trunc","v>v"); s(0x6A,"f32x4.nearest","v>v")
s(0x6B,"i8x16.shl","vi>v"); s(0x6C,"i8x16.shr_s","vi>v"); s(0x6D,"i8x16.shr_u","vi>v")
s(0x6E,"i8x16.add","vv>v"); s(0x6F,"i8x16.add_sat_s","vv>v"); s(0x70,"i8x16.add_sat_u","vv>v")
s(0x71,"i8x16.sub","vv>v"); s(0x72,"i8x16.sub_sat_s","vv>v"); s(0x73,"i8x16.sub_sat_u","vv>v")
s(0x74,"f64x2.ceil","v>v"); s(0x75,"f64x2.floor","v>v")
s(0x76,"i8x16.min_s","vv>v"); s(0x77,"i8x16.min_u","vv>v"); s(0x78,"i8x16.max_s","vv>v"); s(0x79,"i8x16.max_u","vv>v")
s(0x7A,"f64x2.trunc","v>v"); s(0x7B,"i8x16.avgr_u","vv>v")
s(0x7C,"i16x8.extadd_pairwise_i8x16_s","v>v"); s(0x7D,"i16x8.extadd_pairwise_i8x16_u","v>v")
s(0x7E,"i32x4.extadd_pairwise_i16x8_s","v>v"); s(0x7F,"i32x4.extadd_pairwise_i16x8_u","v>v")
s(0x80,"i16x8.abs","v>v"); s(0x81,"i16x8.neg","v>v"); s(0x82,"i16x8.q15mulr_sat_s","vv>v"); s(0x83,"i16x8.all_true","v>i"); s(0x84,"i16x8.bitmask","v>i")
s(0x85,"i16x8.narrow_i32x4_s","vv>v"); s(0x86,"i16x8.narrow_i32x4_u","vv>v")
s(0x87,"i16x8.extend_low_i8x16_s","v>v"); s(0x88,"i16x8.extend_high_i8x16_s","v>v"); s(0x89,"i16x8.extend_low_i8x16_u","v>v"); s(0x8A,"i16x8.extend_high_i8x16_u","v>v")
s(0x8B,"i16x8.shl","vi>v"); s(0x8C,"i16x8.shr_s","vi>v"); s(0x8D,"i16x8.shr_u","vi>v")
s(0x8E,"i16x8.add","vv>v"); s(0x8F,"i16x8.add_sat_s","vv>v"); s(0x90,"i16x8.add_sat_u","vv>v")
s(0x91,"i16x8.sub","vv>v"); s(0x92,"i16x8.sub_sat_s","vv>v"); s(0x93,"i16x8.sub_sat_u","vv>v")
s(0x94,"f64x2.nearest","v>v"); s(0x95,"i16x8.mul","vv>v")
s(0x96,"i16x8.min_s","vv>v"); s(0x97,"i16x8.min_u","vv>v"); s(0x98,"i16x8.max_s","vv>v"); s(0x99,"i16x8.max_u","vv>v")
s(0x9B,"i16x8.avgr_u","vv>v")
s(0x9C,"i16x8.extmul_low_i8x16_s","vv>v"); s(0x9D,"i16x8.extmul_high_i8x16_s","vv>v"); s(0x9E,"i16x8.extmul_low_i8x16_u","vv>v"); s(0x9F,"i16x8.extmul_high_i8x16_u","vv>v")
s(0xA0,"i32x4.abs","v>v"); s(0xA1,"i32x4.neg","v>v"); s(0xA3,"i32x4.all_true","v>i"); s(0xA4,"i32x4.bitmask","v>i")
s(0xA7,"i32x4.extend_low_i16x8_s","v>v"); s(0xA8,"i32x4.extend_high_i16x8_s","v>v"); s(0xA9,"i32x4.extend_low_i16x8_u","v>v"); s(0xAA,"i32x4.extend_high_i16x8_u","v>v")
s(0xAB,"i32x4.shl","vi>v"); s(0xAC,"i32x4.shr_s","vi>v"); s(0xAD,"i32x4.shr_u","vi>v")
s(0xAE,"i32x4.add","vv>v"); s(0xB1,"i32x4.sub","vv>v"); s(0xB5,"i32x4.mul","vv>v")
s(0xB6,"i32x4.min_s","vv>v"); s(0xB7,"i32x4.min_u","vv>v"); s(0xB8,"i32x4.max_s","vv>v"); s(0xB9,"i32x4.max_u","vv>v")
s(0xBA,"i32x4.dot_i16x8_s","vv>v")
s(0xBC,"i32x4.extmul_low_i16x8_s","vv>v"); s(0xBD,"i32x4.extmul_high_i16x8_s","vv>v"); s(0xBE,"i32x4.extmul_low_i16x8_u","vv>v"); s(0xBF,"i32x4.extmul_high_i16x8_u","vv>v")
s(0xC0,"i64x2.abs","v>v"); s(0xC1,"i64x2.neg","v>v"); s(0xC3,"i64x2.all_true","v>i"); s(0xC4,"i64x2.bitmask","v>i")
s(0xC7,"i64x2.extend_low_i32x4_s","v>v"); s(0xC8,"i64x2.extend_high_i32x4_s","v>v"); s(0xC9,"i64x2.extend_low_i32x4_u","v>v"); s(0xCA,"i64x2.extend_high_i32x4_u","v>v")
s(0xCB,"i64x2.shl","vi>v"); s(0xCC,"i64x2.shr_s","vi>v"); s(0xCD,"i64x2.shr_u","vi>v")
s(0xCE,"i64x2.add","vv>v"); s(0xD1,"i64x2.sub","vv>v"); s(0xD5,"i64x2.mul","vv>v")
s(0xD6,"i64x2.eq","vv>v"); s(0xD7,"i64x2.ne","vv>v"); s(0xD8,"i64x2.lt_s","vv>v"); s(0xD9,"i64x2.gt_s","vv>v"); s(0xDA,"i64x2.le_s","vv>v"); s(0xDB,"i64x2.ge_s","vv>v")
s(0xDC,"i64x2.extmul_low_i32x4_s","vv>v"); s(0xDD,"i64x2.extmul_high_i32x4_s","vv>v"); s(0xDE,"i64x2.extmul_low_i32x4_u","vv>v"); s(0xDF,"i64x2.extmul_high_i32x4_u","vv>v")
s(0xE0,"f32x4.abs","v>v"); s(0xE1,"f32x4.neg","v>v"); s(0xE3,"f32x4.sqrt","v>v")
for i,n in enumerate(["add","sub","mul","div","min","max","pmin","pmax"]): s(0xE4+i, "f32x4."+n, "vv>v")
s(0xEC,"f64x2.abs","v>v"); s(0xED,"f64x2.neg","v>v"); s(0xEF,"f64x2.sqrt","v>v")
for i,n in enumerate(["add","sub","mul","div","min","max","pmin","pmax"]): s(0xF0+i, "f64x2."+n, "vv>v")
s(0xF8,"i32x4.trunc_sat_f32x4_s","v>v"); s(0xF9,"i32x4.trunc_sat_f32x4_u","v>v"); s(0xFA,"f32x4.convert_i32x4_s","v>v"); s(0xFB,"f32x4.convert_i32x4_u","v>v")
s(0xFC,"i32x4.trunc_sat_f64x2_s_zero","v>v"); s(0xFD,"i32x4.trunc_sat_f64x2_u_zero","v>v"); s(0xFE,"f64x2.convert_low_i32x4_s","v>v"); s(0xFF,"f64x2.convert_low_i32x4_u","v>v")

def pascal(name):
    parts = re.split(r"[._]", name)
    return "".join(p[:1].upper() + p[1:] for p in parts)

seen = set()
for r in rows:
    assert r[0] not in seen, hex(r[0]); seen.add(r[0])
letter = {"i":"ValueKind.I32","l":"ValueKind.I64","f":"ValueKind.F32","d":"ValueKind.F64","v":"ValueKind.V128"}
out = []
out.append("// <auto-generated> by tools/gen_opcodes.py; edit the script, not this file. </auto-generated>")
out.append("namespace IronWasm.Binary;\n")
out.append("/// <summary>Every WebAssembly 2.0 instruction. Single-byte opcodes are their byte; 0xFC-prefixed ones are")
out.append("/// 0xFC00 | sub-opcode; 0xFD-prefixed (SIMD) ones are 0xFD0000 | sub-opcode.</summary>")
out.append("internal enum Opcode\n{")
for code, name, imm, sig in rows:
    out.append(f"    {pascal(name)} = 0x{code:X},")
out.append("}\n")
out.append("internal static partial class OpcodeTable\n{")
out.append("    static partial void AddAll()\n    {")
for code, name, imm, sig in rows:
    if sig:
        a, b = sig.split(">")
        ps = ", ".join(letter[c] for c in a); rs = ", ".join(letter[c] for c in b)
        sigs = f"[{ps}], [{rs}]"
    else:
        sigs = "null, null"
    out.append(f"        Add(Opcode.{pascal(name)}, \"{name}\", ImmediateKind.{imm}, {sigs});")
out.append("    }\n}")
path = os.path.join(os.path.dirname(__file__), "..", "src", "IronWasm", "Binary", "Opcode.g.cs")
os.makedirs(os.path.dirname(path), exist_ok=True)
open(path, "w").write("\n".join(out) + "\n")
print(len(rows), "opcodes")
