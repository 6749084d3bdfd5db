/* 8-bit greyscale image processing: a 3x3 Gaussian blur (integer kernel 1-2-1, divided by 16)
 * followed by a Sobel edge magnitude (|Gx| + |Gy|, saturated at 255), on a synthetic image of
 * gradients, discs and noise. Each pass's edges are blended into the next pass's input. */
#include "bench.h"

#define W 1920
#define H 1080
#define PASSES 120

static uint8_t image[H][W], blurred[H][W], edges[H][W];

static void generate(void) {
  rng_seed(2);
  for (int y = 0; y < H; y++)
    for (int x = 0; x < W; x++) image[y][x] = (uint8_t)((x * 3 + y * 5) >> 4);
  for (int d = 0; d < 300; d++) {
    int cx = (int)rng_below(W), cy = (int)rng_below(H), r = 4 + (int)rng_below(60);
    uint8_t shade = (uint8_t)rng_u32();
    for (int y = cy - r; y <= cy + r; y++)
      for (int x = cx - r; x <= cx + r; x++)
        if (y >= 0 && y < H && x >= 0 && x < W && (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
          image[y][x] = shade;
  }
  for (int i = 0; i < W * H / 16; i++) image[rng_below(H)][rng_below(W)] ^= (uint8_t)(rng_u32() & 0x1F);
}

static void blur(void) {
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = image[y - 1], *mid = image[y], *down = image[y + 1];
    uint8_t *out = blurred[y];
    for (int x = 1; x < W - 1; x++) {
      unsigned sum = up[x - 1] + 2u * up[x] + up[x + 1]
                   + 2u * mid[x - 1] + 4u * mid[x] + 2u * mid[x + 1]
                   + down[x - 1] + 2u * down[x] + down[x + 1];
      out[x] = (uint8_t)((sum + 8) >> 4);
    }
    out[0] = mid[0];
    out[W - 1] = mid[W - 1];
  }
  memcpy(blurred[0], image[0], W);
  memcpy(blurred[H - 1], image[H - 1], W);
}

static void sobel(void) {
  for (int y = 1; y < H - 1; y++) {
    const uint8_t *up = blurred[y - 1], *mid = blurred[y], *down = blurred[y + 1];
    uint8_t *out = edges[y];
    for (int x = 1; x < W - 1; x++) {
      int gx = (up[x + 1] + 2 * mid[x + 1] + down[x + 1]) - (up[x - 1] + 2 * mid[x - 1] + down[x - 1]);
      int gy = (down[x - 1] + 2 * down[x] + down[x + 1]) - (up[x - 1] + 2 * up[x] + up[x + 1]);
      int magnitude = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
      out[x] = (uint8_t)(magnitude > 255 ? 255 : magnitude);
    }
    out[0] = out[W - 1] = 0;
  }
  memset(edges[0], 0, W);
  memset(edges[H - 1], 0, W);
}

int main(void) {
  generate();
  uint64_t h = 0;
  for (int pass = 0; pass < PASSES; pass++) {
    blur();
    sobel();
    uint32_t total = 0;
    for (int y = 0; y < H; y++)
      for (int x = 0; x < W; x++) {
        total += edges[y][x];
        image[y][x] = (uint8_t)((blurred[y][x] * 3u + edges[y][x]) >> 2);
      }
    h = mix64(h, total);
  }
  for (int y = 0; y < H; y += 3)
    for (int x = 0; x < W; x += 8) h = mix64(h, (uint64_t)edges[y][x] << 8 | image[y][x]);
  report("image", h);
  return 0;
}
