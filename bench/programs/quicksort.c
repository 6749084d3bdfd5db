/* Quicksort of pseudo-random 32-bit integers: median-of-three pivot, Hoare-style partition,
 * insertion sort below a cut-off, recursion on the smaller half. The result is checked sorted,
 * and a permutation-independent sum is compared with the input's. */
#include "bench.h"
#include <stddef.h>

#define COUNT (2 << 20)
#define ROUNDS 3

static uint32_t values[COUNT];

static inline void swap(uint32_t *a, uint32_t *b) { uint32_t t = *a; *a = *b; *b = t; }

static void insertion_sort(uint32_t *v, ptrdiff_t n) {
  for (ptrdiff_t i = 1; i < n; i++) {
    uint32_t x = v[i];
    ptrdiff_t j = i - 1;
    while (j >= 0 && v[j] > x) { v[j + 1] = v[j]; j--; }
    v[j + 1] = x;
  }
}

static void quicksort(uint32_t *v, ptrdiff_t n) {
  while (n > 24) {
    ptrdiff_t mid = n / 2;
    if (v[mid] < v[0]) swap(&v[mid], &v[0]);
    if (v[n - 1] < v[0]) swap(&v[n - 1], &v[0]);
    if (v[n - 1] < v[mid]) swap(&v[n - 1], &v[mid]);
    uint32_t pivot = v[mid];
    ptrdiff_t i = 0, j = n - 1;
    for (;;) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i >= j) break;
      swap(&v[i], &v[j]);
      i++;
      j--;
    }
    ptrdiff_t left = j + 1;
    if (left < n - left) { quicksort(v, left); v += left; n -= left; }
    else { quicksort(v + left, n - left); n = left; }
  }
  insertion_sort(v, n);
}

int main(void) {
  rng_seed(7);
  uint64_t h = 0;
  for (int round = 0; round < ROUNDS; round++) {
    uint64_t sum_before = 0, sum_after = 0;
    /* Round 1 has many duplicates, round 2 is partly presorted. */
    for (size_t i = 0; i < COUNT; i++) {
      uint32_t v = rng_u32();
      if (round == 1) v &= 0xFFFF;
      if (round == 2 && (i & 7) != 0) v = (uint32_t)i * 1024u;
      values[i] = v;
      sum_before += (uint64_t)v * (v | 1);
    }
    quicksort(values, COUNT);
    for (size_t i = 0; i < COUNT; i++) {
      if (i > 0 && values[i - 1] > values[i]) { puts("quicksort: not sorted"); return 1; }
      sum_after += (uint64_t)values[i] * (values[i] | 1);
    }
    if (sum_before != sum_after) { puts("quicksort: not a permutation"); return 1; }
    for (size_t i = 0; i < COUNT; i += 4093) h = mix64(h, values[i]);
  }
  report("quicksort", h);
  return 0;
}
