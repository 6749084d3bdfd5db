// The smallest guest: what `ironwasm run guests/hello.wasm` prints on a fresh clone.
#include <stdio.h>

int main(void) {
    puts("Hello from WebAssembly!");
    return 0;
}
