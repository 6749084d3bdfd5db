/* Gravitational n-body simulation in double precision: all-pairs forces with softening,
 * symplectic Euler steps, energy computed at the end. Bodies start on a disc with random
 * masses and near-circular velocities. */
#include "bench.h"
#include <math.h>

#define BODIES 160
#define STEPS 4500
#define DT 0.001
#define SOFTENING 1e-3

static double px[BODIES], py[BODIES], pz[BODIES];
static double vx[BODIES], vy[BODIES], vz[BODIES];
static double mass[BODIES];

static void step(void) {
  for (int i = 0; i < BODIES; i++) {
    double ax = 0, ay = 0, az = 0;
    for (int j = 0; j < BODIES; j++) {
      double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      double d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
      double inv = 1.0 / sqrt(d2);
      double f = mass[j] * inv * inv * inv;
      ax += dx * f; ay += dy * f; az += dz * f;
    }
    vx[i] += ax * DT; vy[i] += ay * DT; vz[i] += az * DT;
  }
  for (int i = 0; i < BODIES; i++) { px[i] += vx[i] * DT; py[i] += vy[i] * DT; pz[i] += vz[i] * DT; }
}

static double energy(void) {
  double e = 0;
  for (int i = 0; i < BODIES; i++) {
    e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
    for (int j = i + 1; j < BODIES; j++) {
      double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
      e -= mass[i] * mass[j] / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING);
    }
  }
  return e;
}

int main(void) {
  rng_seed(8);
  for (int i = 0; i < BODIES; i++) {
    double r = 0.2 + rng_unit(), a = rng_unit() * 6.283185307179586;
    /* A polynomial stands in for cos/sin so libm differences cannot change the inputs. */
    double c = 1 - a * a / 2 + a * a * a * a / 24, s = a - a * a * a / 6;
    double norm = sqrt(c * c + s * s);
    c /= norm; s /= norm;
    px[i] = r * c; py[i] = r * s; pz[i] = (rng_unit() - 0.5) * 0.05;
    mass[i] = (0.5 + rng_unit()) / BODIES;
    double speed = sqrt(1.0 / r) * 0.9;
    vx[i] = -s * speed; vy[i] = c * speed; vz[i] = 0;
  }
  uint64_t h = mix_double(0, energy());
  for (int s = 0; s < STEPS; s++) {
    step();
    if (s % 100 == 0) h = mix_double(h, px[s % BODIES]);
  }
  h = mix_double(h, energy());
  for (int i = 0; i < BODIES; i++) { h = mix_double(h, px[i]); h = mix_double(h, vz[i]); }
  report("nbody", h);
  return 0;
}
