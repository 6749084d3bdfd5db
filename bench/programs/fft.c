/* Complex double-precision FFT: iterative radix-2 Cooley-Tukey with a bit-reversal permutation,
 * run forward then inverse over random signals. The twiddle factors come from our own sine and
 * cosine (range reduction plus a Taylor series), so every platform computes identical bits. */
#include "bench.h"

#define LOG_N 16
#define N (1 << LOG_N)
#define ROUNDS 100

static double re[N], im[N], twiddle_re[N / 2], twiddle_im[N / 2];

static const double PI = 3.14159265358979323846;

/* sin(x) for x in [-pi/4, pi/4] by its Taylor series, evaluated in a fixed order. */
static double sin_small(double x) {
  double x2 = x * x, term = x, sum = x;
  for (int n = 1; n < 12; n++) {
    term *= -x2 / (double)((2 * n) * (2 * n + 1));
    sum += term;
  }
  return sum;
}

static double cos_small(double x) {
  double x2 = x * x, term = 1.0, sum = 1.0;
  for (int n = 1; n < 12; n++) {
    term *= -x2 / (double)((2 * n - 1) * (2 * n));
    sum += term;
  }
  return sum;
}

/* The twiddle for k/N of a turn: reduce to an octant and use the symmetries. */
static void unit_root(int k, double *c, double *s) {
  int octant = (int)(((int64_t)k * 8) / N);
  double angle = 2.0 * PI * (double)k / (double)N;
  double r = angle - (double)((octant + 1) / 2) * (PI / 2.0);
  double sr = sin_small(r), cr = cos_small(r);
  switch ((octant + 1) / 2 % 4) {
    case 0: *c = cr; *s = sr; break;
    case 1: *c = -sr; *s = cr; break;
    case 2: *c = -cr; *s = -sr; break;
    default: *c = sr; *s = -cr; break;
  }
}

static void fft(int inverse) {
  for (unsigned i = 0, j = 0; i < N; i++) {
    if (i < j) {
      double t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
    unsigned bit = N >> 1;
    while (j & bit) { j ^= bit; bit >>= 1; }
    j |= bit;
  }
  for (int size = 2; size <= N; size <<= 1) {
    int half = size >> 1, step = N / size;
    for (int start = 0; start < N; start += size) {
      for (int k = 0; k < half; k++) {
        double wr = twiddle_re[k * step], wi = inverse ? -twiddle_im[k * step] : twiddle_im[k * step];
        int a = start + k, b = a + half;
        double tr = re[b] * wr - im[b] * wi;
        double ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr; im[b] = im[a] - ti;
        re[a] += tr; im[a] += ti;
      }
    }
  }
  if (inverse) {
    double scale = 1.0 / N;
    for (int i = 0; i < N; i++) { re[i] *= scale; im[i] *= scale; }
  }
}

int main(void) {
  for (int k = 0; k < N / 2; k++) {
    double c, s;
    unit_root(k, &c, &s);
    twiddle_re[k] = c;
    twiddle_im[k] = -s;
  }
  rng_seed(3);
  uint64_t h = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < N; i++) {
      re[i] = rng_unit() - 0.5 + 0.25 * (double)((i * (round + 3)) % 17) / 17.0;
      im[i] = rng_unit() - 0.5;
    }
    fft(0);
    for (int i = 0; i < N; i += 97) { h = mix_double(h, re[i]); h = mix_double(h, im[i]); }
    fft(1);
    for (int i = 0; i < N; i += 89) { h = mix_double(h, re[i]); h = mix_double(h, im[i]); }
  }
  report("fft", h);
  return 0;
}
