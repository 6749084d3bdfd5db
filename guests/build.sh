#!/usr/bin/env bash
# Builds every guests/*.c and guests/tests/*.c to a .wasm beside it (WASI preview 1 commands), and
# every guests/examples/*.c, guests/drivers/*.c and guests/apps/*.c (component-model guests written
# with the C SDK and bindings in guests/include) to a reactor: a library without main whose exports
# the host calls after `_initialize`. guests/usb/NAME.c are WASI commands that also import
# component:usb (with the SDK headers); a folder guests/usb/NAME/ beside one holds more of its
# sources (every NAME/*.c is compiled into NAME.wasm) and its headers. All with
# Debian's clang-19, lld-19 and wasi-libc:
#   apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
#
#   guests/build.sh           rebuild the committed .wasm files
#   guests/build.sh --check   rebuild into a temporary directory; exit 1 listing every .wasm that
#                             differs from the committed one (or is missing)
#
# The output is deterministic: no debug information (so no source paths), sources compiled from
# inside guests/ with relative names and -ffile-prefix-map (so __FILE__ never holds the checkout
# path), and only the wasi-libc headers and libraries (never the host's /usr/include). The name
# section is kept so traps print function names in their backtraces.
set -euo pipefail

guests_dir=$(cd "$(dirname "$0")" && pwd)
cd "$guests_dir"

check=0
case "${1:-}" in
  "") ;;
  --check) check=1 ;;
  *) echo "usage: guests/build.sh [--check]" >&2; exit 2 ;;
esac

clang=${CLANG:-clang-19}
if ! command -v "$clang" >/dev/null 2>&1; then
  echo "guests/build.sh: $clang not found; install it with:" >&2
  echo "  apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2
  exit 2
fi

# Debian's wasi-libc is multiarch: headers in /usr/include/wasm32-wasi, libraries in /usr/lib/wasm32-wasi.
wasi_include=${WASI_INCLUDE:-/usr/include/wasm32-wasi}
wasi_lib=${WASI_LIB:-/usr/lib/wasm32-wasi}
for required in "$wasi_include/stdio.h" "$wasi_lib/libc.a" "$wasi_lib/crt1-command.o"; do
  if [ ! -e "$required" ]; then
    echo "guests/build.sh: $required is missing; install wasi-libc (apt-get install -y wasi-libc)" >&2
    exit 2
  fi
done

cflags=(
  --target=wasm32-wasi
  -O2
  -std=gnu17 -Wall -Wextra -Werror
  -nostdlibinc -isystem "$wasi_include"   # keep clang's own builtin headers, drop the host's
  -L"$wasi_lib"
  "-ffile-prefix-map=$guests_dir/="
  -fno-ident
  -Wl,--strip-debug                       # wasi-libc.a carries DWARF; keep only the name section
)

out_root=$guests_dir
if [ "$check" -eq 1 ]; then
  out_root=$(mktemp -d)
  trap 'rm -rf "$out_root"' EXIT
  mkdir -p "$out_root/tests" "$out_root/examples" "$out_root/drivers" "$out_root/apps" "$out_root/usb"
fi

shopt -s nullglob
sources=(*.c tests/*.c examples/*.c drivers/*.c apps/*.c usb/*.c)
if [ "${#sources[@]}" -eq 0 ]; then
  echo "guests/build.sh: no C sources found" >&2
  exit 2
fi

for source in "${sources[@]}"; do
  output="$out_root/${source%.c}.wasm"
  # Headers shared by the programs of a folder live in it (tests/guest_test.h, examples/thermometer.h,
  # drivers/driver.h); relative -I keeps their names relative.
  extra=()
  case "$source" in
    # Reactors (crt1-reactor.o: `_initialize` runs constructors, exports are not wrapped), with the SDK headers.
    examples/* | drivers/* | apps/*) extra=(-mexec-model=reactor -Iinclude) ;;
    # Commands with the SDK headers; usb/NAME/*.c are more of NAME's sources, in name order.
    usb/*)
      extra=(-Iinclude)
      if [ -d "${source%.c}" ]; then
        extra+=(-I"${source%.c}")
        for part in "${source%.c}"/*.c; do extra+=("$part"); done
      fi
      ;;
  esac
  "$clang" "${cflags[@]}" "${extra[@]}" -I"$(dirname "$source")" "$source" -o "$output"
done

if [ "$check" -eq 0 ]; then
  echo "built ${#sources[@]} guests"
  exit 0
fi

differs=()
for source in "${sources[@]}"; do
  wasm="${source%.c}.wasm"
  if [ ! -f "$wasm" ]; then
    differs+=("$wasm (not committed)")
  elif ! cmp -s "$wasm" "$out_root/$wasm"; then
    differs+=("$wasm")
  fi
done
for wasm in *.wasm tests/*.wasm examples/*.wasm drivers/*.wasm apps/*.wasm usb/*.wasm; do
  [ -f "${wasm%.wasm}.c" ] || differs+=("$wasm (no source)")
done

if [ "${#differs[@]}" -gt 0 ]; then
  echo "guests/build.sh --check: these .wasm files differ from a fresh build (run guests/build.sh and commit):" >&2
  printf '  guests/%s\n' "${differs[@]}" >&2
  echo "(built with: $("$clang" --version | head -n 1))" >&2
  exit 1
fi
echo "guests/build.sh --check: all ${#sources[@]} guests match their sources"
