/* An LZ77-style compressor in the LZ4 manner (hash table of 4-byte sequences, greedy matching,
 * literal runs and matches encoded as token + varint lengths + 16-bit offset) and its
 * decompressor, over synthetic text-like data built from a vocabulary of random words. Every
 * round round-trips and compares. */
#include "bench.h"

#define INPUT_SIZE (6 << 20)
#define ROUNDS 12
#define HASH_BITS 14
#define MIN_MATCH 4
#define MAX_OFFSET 65535

static uint8_t input[INPUT_SIZE];
static uint8_t compressed[INPUT_SIZE + INPUT_SIZE / 64 + 64];
static uint8_t output[INPUT_SIZE];
static uint32_t hash_table[1 << HASH_BITS];

static inline uint32_t read32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline uint32_t hash4(uint32_t v) { return (v * 2654435761u) >> (32 - HASH_BITS); }

static uint8_t *put_length(uint8_t *out, size_t length) {
  while (length >= 255) { *out++ = 255; length -= 255; }
  *out++ = (uint8_t)length;
  return out;
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out_start) {
  uint8_t *out = out_start;
  memset(hash_table, 0, sizeof hash_table);
  size_t anchor = 0, i = 1;
  while (i + MIN_MATCH + 8 <= n) {
    uint32_t seq = read32(in + i);
    uint32_t slot = hash4(seq);
    size_t candidate = hash_table[slot];
    hash_table[slot] = (uint32_t)i;
    if (candidate == 0 || i - candidate > MAX_OFFSET || read32(in + candidate) != seq) { i++; continue; }
    size_t length = MIN_MATCH;
    while (i + length < n && in[candidate + length] == in[i + length]) length++;
    size_t literals = i - anchor;
    uint8_t *token = out++;
    *token = (uint8_t)((literals < 15 ? literals : 15) << 4 | (length - MIN_MATCH < 15 ? length - MIN_MATCH : 15));
    if (literals >= 15) out = put_length(out, literals - 15);
    memcpy(out, in + anchor, literals);
    out += literals;
    size_t offset = i - candidate;
    *out++ = (uint8_t)offset;
    *out++ = (uint8_t)(offset >> 8);
    if (length - MIN_MATCH >= 15) out = put_length(out, length - MIN_MATCH - 15);
    for (size_t k = i + 1; k < i + length && k + 4 <= n; k += 3) hash_table[hash4(read32(in + k))] = (uint32_t)k;
    i += length;
    anchor = i;
  }
  size_t literals = n - anchor;
  *out++ = (uint8_t)((literals < 15 ? literals : 15) << 4);
  if (literals >= 15) out = put_length(out, literals - 15);
  memcpy(out, in + anchor, literals);
  out += literals;
  return (size_t)(out - out_start);
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out_start) {
  const uint8_t *end = in + n;
  uint8_t *out = out_start;
  while (in < end) {
    uint8_t token = *in++;
    size_t literals = token >> 4;
    if (literals == 15) { uint8_t b; do { b = *in++; literals += b; } while (b == 255); }
    memcpy(out, in, literals);
    out += literals;
    in += literals;
    if (in >= end) break;
    size_t offset = (size_t)in[0] | (size_t)in[1] << 8;
    in += 2;
    size_t length = token & 15;
    if (length == 15) { uint8_t b; do { b = *in++; length += b; } while (b == 255); }
    length += MIN_MATCH;
    const uint8_t *match = out - offset;
    /* Overlapping copies are the run-length case; copy forwards byte by byte. */
    for (size_t k = 0; k < length; k++) out[k] = match[k];
    out += length;
  }
  return (size_t)(out - out_start);
}

static void generate(void) {
  enum { WORDS = 2048 };
  static char vocabulary[WORDS][12];
  static uint8_t lengths[WORDS];
  rng_seed(6);
  for (int w = 0; w < WORDS; w++) {
    lengths[w] = (uint8_t)(2 + rng_below(9));
    for (int k = 0; k < lengths[w]; k++) vocabulary[w][k] = (char)('a' + rng_below(26));
  }
  size_t pos = 0;
  while (pos < INPUT_SIZE) {
    /* Zipf-like: small word indices much more often. */
    uint32_t r = rng_below(WORDS);
    uint32_t w = (r * r) / WORDS;
    w = (w * r) / WORDS;
    for (int k = 0; k < lengths[w] && pos < INPUT_SIZE; k++) input[pos++] = (uint8_t)vocabulary[w][k];
    if (pos < INPUT_SIZE) input[pos++] = rng_below(12) == 0 ? '\n' : (rng_below(9) == 0 ? ',' : ' ');
    if (rng_below(500) == 0)
      for (int k = 0; k < 40 && pos < INPUT_SIZE; k++) input[pos++] = (uint8_t)rng_u32();
  }
}

int main(void) {
  generate();
  uint64_t h = 0;
  for (int round = 0; round < ROUNDS; round++) {
    size_t n = INPUT_SIZE - (size_t)round * 1021;
    size_t packed = compress(input + round, n - round, compressed);
    size_t unpacked = decompress(compressed, packed, output);
    if (unpacked != n - round || memcmp(output, input + round, unpacked) != 0) { puts("lz round trip failed"); return 1; }
    h = mix64(h, packed);
    for (size_t k = 0; k < packed; k += 4096) h = mix64(h, compressed[k]);
    input[(round * 7919) % INPUT_SIZE] ^= 0x20;
  }
  report("lz", h);
  return 0;
}
