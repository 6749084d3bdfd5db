/* CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum of zip, PNG and Ethernet,
 * with the slicing-by-8 table method over a pseudo-random buffer, checked against the
 * byte-at-a-time form and the standard check value first. */
#include "bench.h"

#define BUFFER_SIZE (4 << 20)
#define ROUNDS 200

static uint32_t table[8][256];
static uint8_t buffer[BUFFER_SIZE];

static void make_tables(void) {
  for (uint32_t i = 0; i < 256; i++) {
    uint32_t c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[0][i] = c;
  }
  for (uint32_t i = 0; i < 256; i++)
    for (int t = 1; t < 8; t++) table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xFF];
}

static uint32_t crc32_bytewise(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  while (n--) crc = table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

static uint32_t crc32_sliced(uint32_t crc, const uint8_t *p, size_t n) {
  crc = ~crc;
  while (n >= 8) {
    uint32_t lo, hi;
    memcpy(&lo, p, 4);
    memcpy(&hi, p + 4, 4);
    lo ^= crc;
    crc = table[7][lo & 0xFF] ^ table[6][(lo >> 8) & 0xFF] ^ table[5][(lo >> 16) & 0xFF] ^ table[4][lo >> 24]
        ^ table[3][hi & 0xFF] ^ table[2][(hi >> 8) & 0xFF] ^ table[1][(hi >> 16) & 0xFF] ^ table[0][hi >> 24];
    p += 8;
    n -= 8;
  }
  while (n--) crc = table[0][(crc ^ *p++) & 0xFF] ^ (crc >> 8);
  return ~crc;
}

int main(void) {
  make_tables();
  if (crc32_sliced(0, (const uint8_t *)"123456789", 9) != 0xCBF43926u) { puts("crc32 self-test failed"); return 1; }
  rng_seed(5);
  for (size_t i = 0; i < BUFFER_SIZE; i += 8) {
    uint64_t v = rng_next();
    memcpy(buffer + i, &v, 8);
  }
  if (crc32_sliced(0, buffer, 100003) != crc32_bytewise(0, buffer, 100003)) { puts("crc32 slicing mismatch"); return 1; }
  uint64_t h = 0;
  uint32_t crc = 0;
  for (int round = 0; round < ROUNDS; round++) {
    size_t start = (size_t)round * 7;
    crc = crc32_sliced(crc, buffer + start, BUFFER_SIZE - start);
    buffer[crc % BUFFER_SIZE] ^= (uint8_t)crc;
    h = mix64(h, crc);
  }
  /* A slice of byte-at-a-time work too: the loop-carried dependency is the common case. */
  for (int round = 0; round < 4; round++) h = mix64(h, crc32_bytewise((uint32_t)h, buffer, BUFFER_SIZE / 4));
  report("crc32", h);
  return 0;
}
