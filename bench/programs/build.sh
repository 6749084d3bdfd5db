#!/usr/bin/env bash
# Builds the benchmark programs bench/programs/*.c twice with clang-19 -O2: to wasm32-wasi with
# -msimd128 (the .wasm files beside the sources, committed, so running needs no toolchain) and
# natively for the host (bench/programs/bin/, ignored by git), the baseline bench/compare uses.
#   apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32
#
#   bench/programs/build.sh               rebuild the committed .wasm files and the native binaries
#   bench/programs/build.sh --native DIR  build only the native binaries, into DIR
#   bench/programs/build.sh --check       rebuild the .wasm files into a temporary directory; exit 1
#                                         listing every .wasm that differs from the committed one
#
# The .wasm output is deterministic, as in guests/build.sh: no debug information, relative source
# names with -ffile-prefix-map, only the wasi-libc headers and libraries. The name section is
# kept so that profiles and traps show function names.
set -euo pipefail

programs_dir=$(cd "$(dirname "$0")" && pwd)
cd "$programs_dir"

mode=all
native_dir=$programs_dir/bin
case "${1:-}" in
  "") ;;
  --check) mode=check ;;
  --native)
    mode=native
    [ -n "${2:-}" ] || { echo "usage: bench/programs/build.sh [--check | --native DIR]" >&2; exit 2; }
    mkdir -p "$2"
    native_dir=$(cd "$2" && pwd) ;;
  *) echo "usage: bench/programs/build.sh [--check | --native DIR]" >&2; exit 2 ;;
esac

clang=${CLANG:-clang-19}
if ! command -v "$clang" >/dev/null 2>&1; then
  echo "bench/programs/build.sh: $clang not found; install it with:" >&2
  echo "  apt-get install -y clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32" >&2
  exit 2
fi

wasi_include=${WASI_INCLUDE:-/usr/include/wasm32-wasi}
wasi_lib=${WASI_LIB:-/usr/lib/wasm32-wasi}
if [ "$mode" != native ]; then
  for required in "$wasi_include/stdio.h" "$wasi_lib/libc.a" "$wasi_lib/crt1-command.o"; do
    if [ ! -e "$required" ]; then
      echo "bench/programs/build.sh: $required is missing; install wasi-libc (apt-get install -y wasi-libc)" >&2
      exit 2
    fi
  done
fi

common=(-O2 -std=gnu17 -Wall -Wextra -Werror -fno-ident "-ffile-prefix-map=$programs_dir/=")
wasm_flags=(
  --target=wasm32-wasi -msimd128
  # The Wasm 2.0 features clang 20 and later enable by default (its "generic" CPU); clang 19 needs
  # them named. bulk-memory makes the programs' memcpy/memset calls `memory.copy`/`memory.fill`
  # instead of calls of wasi-libc's scalar loops; nontrapping-fptoint makes float-to-int one
  # `trunc_sat` instead of a range check around `trunc`. node runs the same files.
  -mbulk-memory -mnontrapping-fptoint -msign-ext
  -nostdlibinc -isystem "$wasi_include"   # keep clang's own builtin headers, drop the host's
  -L"$wasi_lib"
  -Wl,--strip-debug                       # wasi-libc.a carries DWARF; keep only the name section
)

shopt -s nullglob
sources=(*.c)
if [ "${#sources[@]}" -eq 0 ]; then
  echo "bench/programs/build.sh: no C sources found" >&2
  exit 2
fi

wasm_root=$programs_dir
if [ "$mode" = check ]; then
  wasm_root=$(mktemp -d)
  trap 'rm -rf "$wasm_root"' EXIT
fi

for source in "${sources[@]}"; do
  name=${source%.c}
  if [ "$mode" != native ]; then
    "$clang" "${common[@]}" "${wasm_flags[@]}" "$source" -o "$wasm_root/$name.wasm"
  fi
  if [ "$mode" != check ]; then
    mkdir -p "$native_dir"
    "$clang" "${common[@]}" "$source" -o "$native_dir/$name" -lm
  fi
done

case "$mode" in
  all) echo "built ${#sources[@]} programs (wasm beside the sources, native in ${native_dir#$programs_dir/})"; exit 0 ;;
  native) echo "built ${#sources[@]} native programs in $native_dir"; exit 0 ;;
esac

differs=()
for source in "${sources[@]}"; do
  wasm="${source%.c}.wasm"
  if [ ! -f "$wasm" ]; then
    differs+=("$wasm (not committed)")
  elif ! cmp -s "$wasm" "$wasm_root/$wasm"; then
    differs+=("$wasm")
  fi
done
for wasm in *.wasm; do
  [ -f "${wasm%.wasm}.c" ] || differs+=("$wasm (no source)")
done

if [ "${#differs[@]}" -gt 0 ]; then
  echo "bench/programs/build.sh --check: these .wasm files differ from a fresh build (run bench/programs/build.sh and commit):" >&2
  printf '  %s\n' "${differs[@]}" >&2
  exit 1
fi
echo "bench/programs/build.sh --check: all ${#sources[@]} programs match their sources"
