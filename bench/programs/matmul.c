/* Single-precision matrix multiply, C = A * B, for square matrices, blocked over k and j so a
 * tile of B stays in cache while rows of A stream past: the inner loop is the multiply-add over
 * a row of B that compilers vectorise. Repeated with the result fed back into A. */
#include "bench.h"
#include <stdlib.h>

#define N 512
#define BLOCK 64
#define ROUNDS 32

static float a[N * N], b[N * N], c[N * N];

static void multiply(const float *restrict x, const float *restrict y, float *restrict out) {
  memset(out, 0, sizeof(float) * N * N);
  for (int kk = 0; kk < N; kk += BLOCK) {
    for (int jj = 0; jj < N; jj += BLOCK) {
      for (int i = 0; i < N; i++) {
        float *row = out + i * N;
        for (int k = kk; k < kk + BLOCK; k++) {
          float s = x[i * N + k];
          const float *yrow = y + k * N;
          for (int j = jj; j < jj + BLOCK; j++) row[j] += s * yrow[j];
        }
      }
    }
  }
}

int main(void) {
  rng_seed(1);
  for (int i = 0; i < N * N; i++) {
    a[i] = (float)(rng_unit() * 2.0 - 1.0);
    b[i] = (float)(rng_unit() * 2.0 - 1.0) / (float)N * 8.0f;
  }
  uint64_t h = 0;
  for (int round = 0; round < ROUNDS; round++) {
    multiply(a, b, c);
    /* Keep values bounded: scale the product back into A for the next round. */
    float max = 0.0f;
    for (int i = 0; i < N * N; i++) {
      float v = c[i] < 0 ? -c[i] : c[i];
      if (v > max) max = v;
    }
    float scale = max > 0.0f ? 1.0f / max : 1.0f;
    for (int i = 0; i < N * N; i++) a[i] = c[i] * scale;
    h = mix_float(h, max);
  }
  for (int i = 0; i < N * N; i += 7) h = mix_float(h, c[i]);
  report("matmul", h);
  return 0;
}
