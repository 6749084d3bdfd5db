/* Shared by the benchmark programs: a deterministic PRNG (splitmix64) for generating inputs in
 * the program itself, and a checksum that every program prints as its one line of output, so
 * that bench/compare can tell that native code, IronWasm and node computed the same thing. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t bench_rng_state = 0x2545F4914F6CDD1Dull;

static inline void rng_seed(uint64_t seed) { bench_rng_state = seed; }

static inline uint64_t rng_next(void) {
  uint64_t z = (bench_rng_state += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static inline uint32_t rng_u32(void) { return (uint32_t)(rng_next() >> 32); }

/* Uniform in [0, bound) for small bounds; the tiny bias does not matter for test inputs. */
static inline uint32_t rng_below(uint32_t bound) { return (uint32_t)(((uint64_t)rng_u32() * bound) >> 32); }

/* Uniform double in [0, 1) with 53 random bits. */
static inline double rng_unit(void) { return (double)(rng_next() >> 11) * 0x1.0p-53; }

/* Order-sensitive 64-bit mixing of values into a running checksum. */
static inline uint64_t mix64(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 32);
}

static inline uint64_t mix_double(uint64_t h, double d) {
  uint64_t bits;
  memcpy(&bits, &d, sizeof bits);
  return mix64(h, bits);
}

static inline uint64_t mix_float(uint64_t h, float f) {
  uint32_t bits;
  memcpy(&bits, &f, sizeof bits);
  return mix64(h, bits);
}

static inline void report(const char *name, uint64_t checksum) {
  printf("%s checksum %016llx\n", name, (unsigned long long)checksum);
}

#endif
