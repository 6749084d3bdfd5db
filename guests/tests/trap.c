// A guest that traps (argv[1] chooses how), from inside named functions, so the host's trap report
// and backtrace can be checked: "unreachable" (__builtin_trap), "divide" (integer division by zero),
// "memory" (a load far out of bounds), "stack" (unbounded recursion, exhausting the Wasm call stack).
#include <stdint.h>
#include <stdio.h>
#include <string.h>

volatile int zero = 0;
volatile uint32_t far_away = 0xFFFFFFF0u;

__attribute__((noinline)) void crash_in_guest(void) {
    __builtin_trap();
}

__attribute__((noinline)) int divide_in_guest(int x) {
    return x / zero;
}

__attribute__((noinline)) int load_out_of_bounds(void) {
    return *(volatile int *)(uintptr_t)far_away;
}

// No frame in linear memory, so it is the Wasm call stack that runs out, not the C stack.
__attribute__((noinline)) int recurse_forever(int depth) {
    if (zero != 0) return depth;  // never true; the compiler cannot know
    // Multiplying by a volatile keeps the call from becoming a loop (no accumulator rewrite).
    return recurse_forever(depth + 1) * (zero + 1) + depth;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "unreachable";
    printf("about to trap: %s\n", mode);
    fflush(stdout);
    if (strcmp(mode, "divide") == 0) return divide_in_guest(1);
    if (strcmp(mode, "memory") == 0) return load_out_of_bounds();
    if (strcmp(mode, "stack") == 0) return recurse_forever(0);
    crash_in_guest();
    return 0;
}
