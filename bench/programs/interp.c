/* A bytecode interpreter whose dispatch loop is one large switch: a stack machine of 64-bit
 * values with frames of local variables, integer and double arithmetic, comparisons, relative
 * jumps, calls and a byte/word heap. The guest programs (assembled in C below) are recursive
 * Fibonacci, a prime sieve, hash mixing over an array, a Mandelbrot set in doubles and an
 * insertion sort. This is the shape of scripting engines and VMs embedded in device firmware. */
#include "bench.h"
#include <math.h>
#include <stdlib.h>

enum {
  OP_HALT, OP_NOP,
  OP_PUSH8, OP_PUSH32, OP_PUSH0, OP_PUSH1, OP_POP, OP_DUP, OP_SWAP, OP_OVER, OP_ROT,
  OP_LOAD0, OP_LOAD1, OP_LOAD2, OP_LOAD3, OP_LOAD4, OP_LOAD5, OP_LOAD6, OP_LOAD7,
  OP_STORE0, OP_STORE1, OP_STORE2, OP_STORE3, OP_STORE4, OP_STORE5, OP_STORE6, OP_STORE7,
  OP_LOAD, OP_STORE, OP_TEE, OP_INC,
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM, OP_DIVU, OP_REMU,
  OP_AND, OP_OR, OP_XOR, OP_SHL, OP_SHR, OP_SAR, OP_ROTL, OP_ROTR,
  OP_NEG, OP_NOT, OP_ADDI, OP_MULI, OP_POPCNT, OP_CLZ, OP_MIN, OP_MAX, OP_ABS, OP_MIX,
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_LTU, OP_EQZ, OP_SELECT,
  OP_JMP, OP_JZ, OP_JNZ, OP_JLT, OP_JGE, OP_JEQ, OP_JNE, OP_JLOCAL_LT,
  OP_CALL, OP_RET,
  OP_ALOAD, OP_ASTORE, OP_BLOAD, OP_BSTORE,
  OP_FADD, OP_FSUB, OP_FMUL, OP_FDIV, OP_FSQRT, OP_FNEG, OP_FABS, OP_FLT, OP_FGT, OP_I2F, OP_F2I,
  OP_COUNT
};

#define STACK_SIZE 4096
#define FRAME_LOCALS 16
#define MAX_FRAMES 512
#define HEAP_WORDS (1 << 16)
#define HEAP_BYTES (1 << 20)

static uint8_t code[1 << 16];
static int code_length;
static int64_t heap_words[HEAP_WORDS];
static uint8_t heap_bytes[HEAP_BYTES];

static inline double as_double(int64_t v) { double d; memcpy(&d, &v, 8); return d; }
static inline int64_t from_double(double d) { int64_t v; memcpy(&v, &d, 8); return v; }
static inline int16_t read16(const uint8_t *p) { return (int16_t)(p[0] | p[1] << 8); }
static inline int32_t read32s(const uint8_t *p) { return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24); }

typedef struct { int return_pc; int stack_base; } frame_info;

static int64_t run(int entry, int64_t argument) {
  static int64_t stack[STACK_SIZE];
  static int64_t locals_pool[FRAME_LOCALS * MAX_FRAMES];
  static frame_info frames[MAX_FRAMES];
  int depth = 0, sp = 0, pc = entry;
  int64_t *locals = locals_pool;
  memset(locals, 0, sizeof(int64_t) * FRAME_LOCALS);
  locals[0] = argument;
  for (;;) {
    uint8_t op = code[pc++];
    int64_t a, b;
    switch (op) {
      case OP_HALT: return sp > 0 ? stack[sp - 1] : 0;
      case OP_NOP: break;
      case OP_PUSH8: stack[sp++] = (int8_t)code[pc++]; break;
      case OP_PUSH32: stack[sp++] = read32s(code + pc); pc += 4; break;
      case OP_PUSH0: stack[sp++] = 0; break;
      case OP_PUSH1: stack[sp++] = 1; break;
      case OP_POP: sp--; break;
      case OP_DUP: stack[sp] = stack[sp - 1]; sp++; break;
      case OP_SWAP: a = stack[sp - 1]; stack[sp - 1] = stack[sp - 2]; stack[sp - 2] = a; break;
      case OP_OVER: stack[sp] = stack[sp - 2]; sp++; break;
      case OP_ROT: a = stack[sp - 3]; stack[sp - 3] = stack[sp - 2]; stack[sp - 2] = stack[sp - 1]; stack[sp - 1] = a; break;
      case OP_LOAD0: stack[sp++] = locals[0]; break;
      case OP_LOAD1: stack[sp++] = locals[1]; break;
      case OP_LOAD2: stack[sp++] = locals[2]; break;
      case OP_LOAD3: stack[sp++] = locals[3]; break;
      case OP_LOAD4: stack[sp++] = locals[4]; break;
      case OP_LOAD5: stack[sp++] = locals[5]; break;
      case OP_LOAD6: stack[sp++] = locals[6]; break;
      case OP_LOAD7: stack[sp++] = locals[7]; break;
      case OP_STORE0: locals[0] = stack[--sp]; break;
      case OP_STORE1: locals[1] = stack[--sp]; break;
      case OP_STORE2: locals[2] = stack[--sp]; break;
      case OP_STORE3: locals[3] = stack[--sp]; break;
      case OP_STORE4: locals[4] = stack[--sp]; break;
      case OP_STORE5: locals[5] = stack[--sp]; break;
      case OP_STORE6: locals[6] = stack[--sp]; break;
      case OP_STORE7: locals[7] = stack[--sp]; break;
      case OP_LOAD: stack[sp++] = locals[code[pc++] & (FRAME_LOCALS - 1)]; break;
      case OP_STORE: locals[code[pc++] & (FRAME_LOCALS - 1)] = stack[--sp]; break;
      case OP_TEE: locals[code[pc++] & (FRAME_LOCALS - 1)] = stack[sp - 1]; break;
      case OP_INC: locals[code[pc] & (FRAME_LOCALS - 1)] += (int8_t)code[pc + 1]; pc += 2; break;
      case OP_ADD: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] + (uint64_t)stack[sp]); break;
      case OP_SUB: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] - (uint64_t)stack[sp]); break;
      case OP_MUL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)stack[sp]); break;
      case OP_DIV:
        b = stack[--sp]; a = stack[sp - 1];
        stack[sp - 1] = b == 0 ? 0 : (b == -1 ? (int64_t)(0 - (uint64_t)a) : a / b);
        break;
      case OP_REM:
        b = stack[--sp]; a = stack[sp - 1];
        stack[sp - 1] = (b == 0 || b == -1) ? 0 : a % b;
        break;
      case OP_DIVU: b = stack[--sp]; stack[sp - 1] = b == 0 ? 0 : (int64_t)((uint64_t)stack[sp - 1] / (uint64_t)b); break;
      case OP_REMU: b = stack[--sp]; stack[sp - 1] = b == 0 ? 0 : (int64_t)((uint64_t)stack[sp - 1] % (uint64_t)b); break;
      case OP_AND: sp--; stack[sp - 1] &= stack[sp]; break;
      case OP_OR: sp--; stack[sp - 1] |= stack[sp]; break;
      case OP_XOR: sp--; stack[sp - 1] ^= stack[sp]; break;
      case OP_SHL: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] << (stack[sp] & 63)); break;
      case OP_SHR: sp--; stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] >> (stack[sp] & 63)); break;
      case OP_SAR: sp--; stack[sp - 1] = stack[sp - 1] >> (stack[sp] & 63); break;
      case OP_ROTL: {
        sp--;
        uint64_t x = (uint64_t)stack[sp - 1];
        int n = (int)(stack[sp] & 63);
        stack[sp - 1] = (int64_t)(n ? (x << n) | (x >> (64 - n)) : x);
        break;
      }
      case OP_ROTR: {
        sp--;
        uint64_t x = (uint64_t)stack[sp - 1];
        int n = (int)(stack[sp] & 63);
        stack[sp - 1] = (int64_t)(n ? (x >> n) | (x << (64 - n)) : x);
        break;
      }
      case OP_NEG: stack[sp - 1] = (int64_t)(0 - (uint64_t)stack[sp - 1]); break;
      case OP_NOT: stack[sp - 1] = ~stack[sp - 1]; break;
      case OP_ADDI: stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] + (uint64_t)(int64_t)(int8_t)code[pc++]); break;
      case OP_MULI: stack[sp - 1] = (int64_t)((uint64_t)stack[sp - 1] * (uint64_t)(int64_t)(int8_t)code[pc++]); break;
      case OP_POPCNT: stack[sp - 1] = __builtin_popcountll((uint64_t)stack[sp - 1]); break;
      case OP_CLZ: stack[sp - 1] = stack[sp - 1] ? __builtin_clzll((uint64_t)stack[sp - 1]) : 64; break;
      case OP_MIN: sp--; if (stack[sp] < stack[sp - 1]) stack[sp - 1] = stack[sp]; break;
      case OP_MAX: sp--; if (stack[sp] > stack[sp - 1]) stack[sp - 1] = stack[sp]; break;
      case OP_ABS: if (stack[sp - 1] < 0) stack[sp - 1] = (int64_t)(0 - (uint64_t)stack[sp - 1]); break;
      case OP_MIX: sp--; stack[sp - 1] = (int64_t)mix64((uint64_t)stack[sp - 1], (uint64_t)stack[sp]); break;
      case OP_EQ: sp--; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case OP_NE: sp--; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
      case OP_LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case OP_LE: sp--; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
      case OP_GT: sp--; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
      case OP_GE: sp--; stack[sp - 1] = stack[sp - 1] >= stack[sp]; break;
      case OP_LTU: sp--; stack[sp - 1] = (uint64_t)stack[sp - 1] < (uint64_t)stack[sp]; break;
      case OP_EQZ: stack[sp - 1] = stack[sp - 1] == 0; break;
      case OP_SELECT: sp -= 2; stack[sp - 1] = stack[sp + 1] ? stack[sp - 1] : stack[sp]; break;
      case OP_JMP: pc += 2 + read16(code + pc); break;
      case OP_JZ: pc += stack[--sp] == 0 ? 2 + read16(code + pc) : 2; break;
      case OP_JNZ: pc += stack[--sp] != 0 ? 2 + read16(code + pc) : 2; break;
      case OP_JLT: sp -= 2; pc += stack[sp] < stack[sp + 1] ? 2 + read16(code + pc) : 2; break;
      case OP_JGE: sp -= 2; pc += stack[sp] >= stack[sp + 1] ? 2 + read16(code + pc) : 2; break;
      case OP_JEQ: sp -= 2; pc += stack[sp] == stack[sp + 1] ? 2 + read16(code + pc) : 2; break;
      case OP_JNE: sp -= 2; pc += stack[sp] != stack[sp + 1] ? 2 + read16(code + pc) : 2; break;
      case OP_JLOCAL_LT:
        pc += locals[code[pc] & 15] < locals[code[pc + 1] & 15] ? 4 + read16(code + pc + 2) : 4;
        break;
      case OP_CALL: {
        int target = (uint16_t)read16(code + pc);
        int arguments = code[pc + 2];
        if (depth + 1 >= MAX_FRAMES) { puts("interp: call stack overflow"); exit(1); }
        frames[depth].return_pc = pc + 3;
        frames[depth].stack_base = sp - arguments;
        depth++;
        locals = locals_pool + depth * FRAME_LOCALS;
        memset(locals, 0, sizeof(int64_t) * FRAME_LOCALS);
        for (int k = arguments - 1; k >= 0; k--) locals[k] = stack[--sp];
        pc = target;
        break;
      }
      case OP_RET: {
        int64_t result = stack[sp - 1];
        if (depth == 0) return result;
        depth--;
        sp = frames[depth].stack_base;
        pc = frames[depth].return_pc;
        locals = locals_pool + depth * FRAME_LOCALS;
        stack[sp++] = result;
        break;
      }
      case OP_ALOAD: stack[sp - 1] = heap_words[stack[sp - 1] & (HEAP_WORDS - 1)]; break;
      case OP_ASTORE: sp -= 2; heap_words[stack[sp] & (HEAP_WORDS - 1)] = stack[sp + 1]; break;
      case OP_BLOAD: stack[sp - 1] = heap_bytes[stack[sp - 1] & (HEAP_BYTES - 1)]; break;
      case OP_BSTORE: sp -= 2; heap_bytes[stack[sp] & (HEAP_BYTES - 1)] = (uint8_t)stack[sp + 1]; break;
      case OP_FADD: sp--; stack[sp - 1] = from_double(as_double(stack[sp - 1]) + as_double(stack[sp])); break;
      case OP_FSUB: sp--; stack[sp - 1] = from_double(as_double(stack[sp - 1]) - as_double(stack[sp])); break;
      case OP_FMUL: sp--; stack[sp - 1] = from_double(as_double(stack[sp - 1]) * as_double(stack[sp])); break;
      case OP_FDIV: sp--; stack[sp - 1] = from_double(as_double(stack[sp - 1]) / as_double(stack[sp])); break;
      case OP_FSQRT: stack[sp - 1] = from_double(sqrt(as_double(stack[sp - 1]))); break;
      case OP_FNEG: stack[sp - 1] = from_double(-as_double(stack[sp - 1])); break;
      case OP_FABS: stack[sp - 1] = from_double(fabs(as_double(stack[sp - 1]))); break;
      case OP_FLT: sp--; stack[sp - 1] = as_double(stack[sp - 1]) < as_double(stack[sp]); break;
      case OP_FGT: sp--; stack[sp - 1] = as_double(stack[sp - 1]) > as_double(stack[sp]); break;
      case OP_I2F: stack[sp - 1] = from_double((double)stack[sp - 1]); break;
      case OP_F2I: {
        double d = as_double(stack[sp - 1]);
        stack[sp - 1] = d != d ? 0 : d >= 9.2e18 ? INT64_MAX : d <= -9.2e18 ? INT64_MIN : (int64_t)d;
        break;
      }
      default: printf("interp: bad opcode %d at %d\n", op, pc - 1); exit(1);
    }
  }
}

/* ---- a tiny assembler with forward labels ---- */

#define MAX_LABELS 128
static int label_at[MAX_LABELS], label_count;
static struct { int position, label, absolute; } fixups[512];
static int fixup_count;

static void emit(int byte) { code[code_length++] = (uint8_t)byte; }
static void emit32(int32_t v) { for (int k = 0; k < 4; k++) emit((int)((uint32_t)v >> (8 * k)) & 0xFF); }
static int label(void) { label_at[label_count] = -1; return label_count++; }
static void bind(int l) { label_at[l] = code_length; }
static void reference(int l, int absolute) {
  fixups[fixup_count].position = code_length;
  fixups[fixup_count].label = l;
  fixups[fixup_count].absolute = absolute;
  fixup_count++;
  emit(0);
  emit(0);
}
static void jump(int op, int l) { emit(op); reference(l, 0); }
static void jump_locals_lt(int x, int y, int l) { emit(OP_JLOCAL_LT); emit(x); emit(y); reference(l, 0); }
static void call(int l, int arguments) { emit(OP_CALL); reference(l, 1); emit(arguments); }
static void push(int32_t v) {
  if (v == 0) emit(OP_PUSH0);
  else if (v == 1) emit(OP_PUSH1);
  else if (v >= -128 && v < 128) { emit(OP_PUSH8); emit(v & 0xFF); }
  else { emit(OP_PUSH32); emit32(v); }
}
static void load(int local) { if (local < 8) emit(OP_LOAD0 + local); else { emit(OP_LOAD); emit(local); } }
static void store(int local) { if (local < 8) emit(OP_STORE0 + local); else { emit(OP_STORE); emit(local); } }
static void inc(int local, int delta) { emit(OP_INC); emit(local); emit(delta & 0xFF); }
static void resolve(void) {
  for (int k = 0; k < fixup_count; k++) {
    int target = label_at[fixups[k].label];
    int value = fixups[k].absolute ? target : target - (fixups[k].position + 2);
    if (target < 0) { puts("interp: unbound label"); exit(1); }
    code[fixups[k].position] = (uint8_t)value;
    code[fixups[k].position + 1] = (uint8_t)(value >> 8);
  }
}

/* fib(n) = n < 2 ? n : fib(n - 1) + fib(n - 2) */
static int assemble_fib(void) {
  int entry = label(), base = label();
  bind(entry);
  load(0); push(2); jump(OP_JLT, base);
  load(0); emit(OP_ADDI); emit(-1 & 0xFF); call(entry, 1);
  load(0); emit(OP_ADDI); emit(-2 & 0xFF); call(entry, 1);
  emit(OP_ADD); emit(OP_RET);
  bind(base);
  load(0); emit(OP_RET);
  return label_at[entry];
}

/* Count the primes below local0 with a byte sieve. locals: 0 limit, 1 i, 2 j, 3 count */
static int assemble_sieve(void) {
  int entry = label(), clear = label(), outer = label(), inner = label(), next = label(), done = label(), inner_end = label();
  bind(entry);
  push(0); store(1);
  bind(clear);
  load(1); push(0); emit(OP_BSTORE);
  inc(1, 1);
  jump_locals_lt(1, 0, clear);
  push(2); store(1); push(0); store(3);
  bind(outer);
  load(1); load(0); jump(OP_JGE, done);
  load(1); emit(OP_BLOAD); jump(OP_JNZ, next);
  inc(3, 1);
  load(1); emit(OP_DUP); emit(OP_MUL); store(2);
  bind(inner);
  load(2); load(0); jump(OP_JGE, inner_end);
  load(2); push(1); emit(OP_BSTORE);
  load(2); load(1); emit(OP_ADD); store(2);
  jump(OP_JMP, inner);
  bind(inner_end);
  bind(next);
  inc(1, 1);
  jump(OP_JMP, outer);
  bind(done);
  load(3); emit(OP_RET);
  return label_at[entry];
}

/* Fill words with an LCG, then mix them in several passes. locals: 0 n, 1 i, 2 x, 3 h, 4 pass */
static int assemble_hash(void) {
  int entry = label(), fill = label(), pass = label(), loop = label(), pass_end = label();
  bind(entry);
  push(0); store(1); push(12345); store(2);
  bind(fill);
  load(2); push(1103515245); emit(OP_MUL); push(12345); emit(OP_ADD); emit(OP_DUP); store(2);
  load(1); emit(OP_SWAP); emit(OP_ASTORE);
  inc(1, 1);
  jump_locals_lt(1, 0, fill);
  push(0); store(4); push(0); store(3);
  bind(pass);
  load(4); push(8); jump(OP_JGE, pass_end);
  push(0); store(1);
  bind(loop);
  load(1); emit(OP_ALOAD);
  load(3); push(13); emit(OP_ROTL); emit(OP_XOR);
  load(1); emit(OP_MULI); emit(7); emit(OP_ADD);
  emit(OP_DUP); push(29); emit(OP_SHR); emit(OP_XOR);
  emit(OP_DUP); emit(OP_POPCNT); emit(OP_ADD);
  emit(OP_DUP); load(1); emit(OP_SWAP); emit(OP_ASTORE);
  load(3); emit(OP_MIX); store(3);
  inc(1, 1);
  jump_locals_lt(1, 0, loop);
  inc(4, 1);
  jump(OP_JMP, pass);
  bind(pass_end);
  load(3); emit(OP_RET);
  return label_at[entry];
}

/* Mandelbrot: count iterations over a local0 x local0 grid, at most 64 per point.
 * locals: 0 size, 1 row, 2 col, 3 zr, 4 zi, 5 cr, 6 ci, 7 iteration, 8 total, 9 scale, 10 t */
static int assemble_mandelbrot(void) {
  int entry = label(), rows = label(), cols = label(), iterate = label(), escaped = label(), cols_end = label(), rows_end = label();
  bind(entry);
  push(3); emit(OP_I2F); load(0); emit(OP_I2F); emit(OP_FDIV); store(9);
  push(0); store(1); push(0); store(8);
  bind(rows);
  load(1); load(0); jump(OP_JGE, rows_end);
  push(0); store(2);
  bind(cols);
  load(2); load(0); jump(OP_JGE, cols_end);
  load(2); emit(OP_I2F); load(9); emit(OP_FMUL); push(2); emit(OP_I2F); emit(OP_FSUB); store(5);
  load(1); emit(OP_I2F); load(9); emit(OP_FMUL); push(3); emit(OP_I2F); push(2); emit(OP_I2F); emit(OP_FDIV); emit(OP_FSUB); store(6);
  push(0); emit(OP_I2F); emit(OP_DUP); store(3); store(4);
  push(0); store(7);
  bind(iterate);
  load(7); push(64); jump(OP_JGE, escaped);
  load(3); load(3); emit(OP_FMUL); load(4); load(4); emit(OP_FMUL); emit(OP_FADD);
  push(4); emit(OP_I2F); emit(OP_FGT); jump(OP_JNZ, escaped);
  load(3); load(3); emit(OP_FMUL); load(4); load(4); emit(OP_FMUL); emit(OP_FSUB); load(5); emit(OP_FADD); store(10);
  push(2); emit(OP_I2F); load(3); emit(OP_FMUL); load(4); emit(OP_FMUL); load(6); emit(OP_FADD); store(4);
  load(10); store(3);
  inc(7, 1);
  jump(OP_JMP, iterate);
  bind(escaped);
  load(8); load(7); emit(OP_ADD); load(3); emit(OP_FABS); push(1000); emit(OP_I2F); emit(OP_FMUL); emit(OP_F2I); emit(OP_XOR); store(8);
  inc(2, 1);
  jump(OP_JMP, cols);
  bind(cols_end);
  inc(1, 1);
  jump(OP_JMP, rows);
  bind(rows_end);
  load(8); emit(OP_RET);
  return label_at[entry];
}

/* Insertion sort of local0 pseudo-random words, then a checksum of the sorted order.
 * locals: 0 n, 1 i, 2 j, 3 x, 4 seed, 5 h */
static int assemble_sort(void) {
  int entry = label(), fill = label(), outer = label(), shift = label(), place = label(), outer_end = label(), sum = label();
  bind(entry);
  push(0); store(1); push(99); store(4);
  bind(fill);
  load(4); push(29); emit(OP_SHL); load(4); emit(OP_XOR); emit(OP_DUP); push(7); emit(OP_SHR); emit(OP_XOR);
  emit(OP_DUP); push(17); emit(OP_SHL); emit(OP_XOR); emit(OP_DUP); store(4);
  push(0xFFFFF); emit(OP_AND); load(1); emit(OP_SWAP); emit(OP_ASTORE);
  inc(1, 1);
  jump_locals_lt(1, 0, fill);
  push(1); store(1);
  bind(outer);
  load(1); load(0); jump(OP_JGE, outer_end);
  load(1); emit(OP_ALOAD); store(3);
  load(1); emit(OP_ADDI); emit(-1 & 0xFF); store(2);
  bind(shift);
  load(2); push(0); jump(OP_JLT, place);
  load(2); emit(OP_ALOAD); load(3); emit(OP_LE); jump(OP_JNZ, place);
  load(2); emit(OP_ADDI); emit(1); load(2); emit(OP_ALOAD); emit(OP_ASTORE);
  inc(2, -1);
  jump(OP_JMP, shift);
  bind(place);
  load(2); emit(OP_ADDI); emit(1); load(3); emit(OP_ASTORE);
  inc(1, 1);
  jump(OP_JMP, outer);
  bind(outer_end);
  push(0); store(1); push(0); store(5);
  bind(sum);
  load(5); load(1); emit(OP_ALOAD); emit(OP_MIX); store(5);
  inc(1, 1);
  jump_locals_lt(1, 0, sum);
  load(5); emit(OP_RET);
  return label_at[entry];
}

int main(void) {
  int fib = assemble_fib();
  int sieve = assemble_sieve();
  int hash = assemble_hash();
  int mandelbrot = assemble_mandelbrot();
  int sort = assemble_sort();
  resolve();
  uint64_t h = 0;
  h = mix64(h, (uint64_t)run(fib, 30));
  for (int round = 0; round < 10; round++) h = mix64(h, (uint64_t)run(sieve, 600000 + round));
  h = mix64(h, (uint64_t)run(hash, 65536));
  h = mix64(h, (uint64_t)run(mandelbrot, 400));
  h = mix64(h, (uint64_t)run(sort, 6000));
  report("interp", h);
  return 0;
}
