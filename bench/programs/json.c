/* A JSON tokenizer: generates a few megabytes of JSON-like telemetry (nested objects and
 * arrays, strings with escapes, integers, decimals with exponents, true/false/null), then
 * tokenizes it repeatedly: strings are unescaped (including \uXXXX to UTF-8) and hashed,
 * numbers converted to 64-bit integers or to a fixed-point value, structure depth tracked. */
#include "bench.h"
#include <stdlib.h>

#define TEXT_CAPACITY (6 << 20)
#define ROUNDS 22

static char text[TEXT_CAPACITY];
static size_t text_length;

static void put(const char *s) { while (*s && text_length < TEXT_CAPACITY - 1) text[text_length++] = *s++; }
static void put_char(char c) { if (text_length < TEXT_CAPACITY - 1) text[text_length++] = c; }
static void put_uint(uint64_t v) {
  char digits[24];
  int n = 0;
  do { digits[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) put_char(digits[--n]);
}

static const char *const keys[] = {"id", "name", "temperature", "humidity", "status", "readings", "location",
                                   "firmware", "battery", "tags", "timestamp", "error", "meta", "ok"};

static void put_string(void) {
  put_char('"');
  int length = 3 + (int)rng_below(20);
  for (int k = 0; k < length; k++) {
    uint32_t r = rng_below(40);
    if (r == 0) put("\\n");
    else if (r == 1) put("\\\"");
    else if (r == 2) put("\\u00e9");
    else if (r == 3) put("\\\\");
    else put_char((char)('a' + rng_below(26)));
  }
  put_char('"');
}

static void put_number(void) {
  uint32_t kind = rng_below(3);
  if (rng_below(4) == 0) put_char('-');
  put_uint(rng_below(kind == 0 ? 100000 : 1000));
  if (kind >= 1) { put_char('.'); put_uint(rng_below(10000)); }
  if (kind == 2) { put_char('e'); put_char(rng_below(2) ? '-' : '+'); put_uint(rng_below(12)); }
}

static void put_value(int depth) {
  uint32_t r = rng_below(depth > 4 ? 6 : 9);
  switch (r) {
    case 0: case 1: put_string(); break;
    case 2: case 3: put_number(); break;
    case 4: put(rng_below(2) ? "true" : "false"); break;
    case 5: put("null"); break;
    case 6: case 7: {
      int n = (int)rng_below(7);
      put_char('{');
      for (int k = 0; k < n; k++) {
        if (k) put(", ");
        put_char('"'); put(keys[rng_below(sizeof keys / sizeof keys[0])]); put("\": ");
        put_value(depth + 1);
      }
      put_char('}');
      break;
    }
    default: {
      int n = (int)rng_below(9);
      put_char('[');
      for (int k = 0; k < n; k++) { if (k) put_char(','); put_value(depth + 1); }
      put_char(']');
      break;
    }
  }
}

typedef struct {
  uint64_t strings, numbers, literals, open, close, max_depth, hash;
  int64_t integer_sum, fixed_sum;
} stats;

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

static int tokenize(const char *p, const char *end, stats *s) {
  uint64_t depth = 0;
  uint8_t unescaped[256];
  while (p < end) {
    char c = *p;
    switch (c) {
      case ' ': case '\n': case '\t': case '\r': case ',': case ':': p++; break;
      case '{': case '[':
        s->open++;
        if (++depth > s->max_depth) s->max_depth = depth;
        p++;
        break;
      case '}': case ']':
        s->close++;
        if (depth == 0) return -1;
        depth--;
        p++;
        break;
      case '"': {
        size_t n = 0;
        p++;
        while (p < end && *p != '"') {
          uint32_t ch = (uint8_t)*p++;
          if (ch == '\\') {
            if (p >= end) return -1;
            char e = *p++;
            switch (e) {
              case 'n': ch = '\n'; break;
              case 't': ch = '\t'; break;
              case 'r': ch = '\r'; break;
              case 'b': ch = '\b'; break;
              case 'f': ch = '\f'; break;
              case '/': case '\\': case '"': ch = (uint8_t)e; break;
              case 'u': {
                if (end - p < 4) return -1;
                ch = 0;
                for (int k = 0; k < 4; k++) {
                  int v = hex_value(p[k]);
                  if (v < 0) return -1;
                  ch = ch << 4 | (uint32_t)v;
                }
                p += 4;
                break;
              }
              default: return -1;
            }
          }
          if (n + 3 >= sizeof unescaped) n = 0;
          if (ch < 0x80) unescaped[n++] = (uint8_t)ch;
          else if (ch < 0x800) { unescaped[n++] = (uint8_t)(0xC0 | ch >> 6); unescaped[n++] = (uint8_t)(0x80 | (ch & 0x3F)); }
          else {
            unescaped[n++] = (uint8_t)(0xE0 | ch >> 12);
            unescaped[n++] = (uint8_t)(0x80 | ((ch >> 6) & 0x3F));
            unescaped[n++] = (uint8_t)(0x80 | (ch & 0x3F));
          }
        }
        if (p >= end) return -1;
        p++;
        uint64_t hash = 1469598103934665603ull;
        for (size_t k = 0; k < n; k++) hash = (hash ^ unescaped[k]) * 1099511628211ull;
        s->hash = mix64(s->hash, hash);
        s->strings++;
        break;
      }
      case '-': case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': case '8': case '9': {
        int negative = c == '-';
        if (negative) p++;
        int64_t integer = 0;
        while (p < end && *p >= '0' && *p <= '9') integer = integer * 10 + (*p++ - '0');
        int64_t fraction = 0, scale = 1;
        int is_integer = 1;
        if (p < end && *p == '.') {
          is_integer = 0;
          p++;
          while (p < end && *p >= '0' && *p <= '9') {
            if (scale < 1000000) { fraction = fraction * 10 + (*p - '0'); scale *= 10; }
            p++;
          }
        }
        int exponent = 0;
        if (p < end && (*p == 'e' || *p == 'E')) {
          is_integer = 0;
          p++;
          int exponent_negative = 0;
          if (p < end && (*p == '+' || *p == '-')) exponent_negative = *p++ == '-';
          while (p < end && *p >= '0' && *p <= '9') exponent = exponent * 10 + (*p++ - '0');
          if (exponent_negative) exponent = -exponent;
        }
        /* Fixed point with 6 decimals; exponents shift it, saturating. */
        int64_t fixed = integer * 1000000 + fraction * (1000000 / scale);
        for (; exponent > 0 && fixed < (INT64_MAX / 10); exponent--) fixed *= 10;
        for (; exponent < 0; exponent++) fixed /= 10;
        if (negative) { integer = -integer; fixed = -fixed; }
        if (is_integer) s->integer_sum += integer;
        s->fixed_sum += fixed;
        s->numbers++;
        break;
      }
      case 't': if (end - p >= 4 && memcmp(p, "true", 4) == 0) { s->literals++; p += 4; break; } return -1;
      case 'f': if (end - p >= 5 && memcmp(p, "false", 5) == 0) { s->literals += 2; p += 5; break; } return -1;
      case 'n': if (end - p >= 4 && memcmp(p, "null", 4) == 0) { s->literals += 3; p += 4; break; } return -1;
      default: return -1;
    }
  }
  return depth == 0 ? 0 : -1;
}

int main(void) {
  rng_seed(9);
  put_char('[');
  int first = 1;
  while (text_length < TEXT_CAPACITY - 4096) {
    if (!first) put(",\n");
    first = 0;
    put_value(0);
  }
  put_char(']');
  uint64_t h = mix64(0, text_length);
  for (int round = 0; round < ROUNDS; round++) {
    stats s = {0};
    /* Inside the outer brackets: the document is a sequence of values. */
    if (tokenize(text + 1, text + text_length - 1, &s) != 0) { puts("json: tokenizer error"); return 1; }
    h = mix64(h, s.strings); h = mix64(h, s.numbers); h = mix64(h, s.literals);
    h = mix64(h, s.open ^ s.close << 20); h = mix64(h, s.max_depth); h = mix64(h, s.hash);
    h = mix64(h, (uint64_t)s.integer_sum); h = mix64(h, (uint64_t)s.fixed_sum);
  }
  report("json", h);
  return 0;
}
