#!/usr/bin/env bash
# Start-up benchmark: median wall time of `ironwasm run guests/hello.wasm` (the published CLI, Release,
# ReadyToRun) against node running the same module under its built-in WASI. The CLI is published three
# ways: self-contained with one composite ReadyToRun image of app and framework (the fastest start),
# framework-dependent ReadyToRun, and framework-dependent without ReadyToRun. Also times `ironwasm
# --version` (runtime start-up with no guest), to show where the time goes. Runs alternate between
# contenders so drift affects all alike.
#
#   bench/startup/run.sh [RUNS]      (default 30 runs of each)
#   bench/startup/run.sh --cache [RUNS]
#
# Prints a Markdown table for bench/README.md. Needs dotnet and node; builds into artifacts/startup/.
#
# --cache measures the compilation cache instead (docs/PERFORMANCE.md, "Compiled-module cache"): the
# time from process start to the guest's first instruction for the largest module in bench/programs,
# cold (`run --no-cache`) against cached (a cache hit), median of RUNS alternating runs (default 21),
# for the self-contained composite ReadyToRun publish and the JIT-only one (first_instruction.py).
set -euo pipefail
cd "$(dirname "$0")/../.."

cache=false
if [ "${1:-}" = "--cache" ]; then
  cache=true
  shift
fi
runs=${1:-30}
out=artifacts/startup
rid=$(dotnet --info | sed -n 's/^ *RID: *//p' | head -n 1)

if $cache; then
  runs=${1:-21}
  largest=$(ls -S bench/programs/*.wasm | head -n 1)
  echo "publishing the CLI for $rid (self-contained composite ReadyToRun, JIT only) ..." >&2
  dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained true -o "$out/composite" \
    --artifacts-path "$out/build-composite" -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=true >&2
  dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained false -o "$out/jit" \
    --artifacts-path "$out/build-jit" -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=false >&2
  echo "| $largest, time to the guest's first instruction | median (ms) | fastest (ms) |"
  echo "| --- | ---: | ---: |"
  python3 bench/startup/first_instruction.py "$out/composite/ironwasm" "$largest" --runs "$runs" --label "composite ReadyToRun:"
  python3 bench/startup/first_instruction.py "$out/jit/ironwasm" "$largest" --runs "$runs" --label "JIT only:"
  echo
  echo "$runs runs each, alternating; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); .NET SDK $(dotnet --version); $largest ($(wc -c < "$largest") bytes)"
  exit 0
fi
module=guests/hello.wasm
expected="Hello from WebAssembly!"

echo "publishing the CLI for $rid (Release; self-contained composite, ReadyToRun, JIT only) ..." >&2
dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained true -o "$out/composite" \
  --artifacts-path "$out/build-composite" -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=true >&2
dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained false -o "$out/r2r" \
  --artifacts-path "$out/build-r2r" -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=true >&2
dotnet publish src/IronWasm.Cli -c Release -r "$rid" --self-contained false -o "$out/jit" \
  --artifacts-path "$out/build-jit" -v quiet -clp:ErrorsOnly -p:PublishReadyToRun=false >&2

names=("ironwasm run (self-contained, composite ReadyToRun)" "ironwasm run (ReadyToRun)" "ironwasm run (JIT only)"
  "node --no-warnings (node:wasi)" "ironwasm --version (composite, no guest)")
commands=(
  "$out/composite/ironwasm run $module"
  "$out/r2r/ironwasm run $module"
  "$out/jit/ironwasm run $module"
  "node --no-warnings bench/startup/node-wasi.mjs $module"
  "$out/composite/ironwasm --version"
)

# Each contender must work before it is timed.
for i in 0 1 2 3; do
  actual=$(${commands[$i]})
  if [ "$actual" != "$expected" ]; then
    echo "${names[$i]} printed '$actual', not '$expected'" >&2
    exit 1
  fi
done

declare -A times
for ((run = 0; run < runs; run++)); do
  for i in "${!commands[@]}"; do
    start=$(date +%s%N)
    ${commands[$i]} >/dev/null
    end=$(date +%s%N)
    times[$i]+="$(( (end - start) / 1000 )) "
  done
done

median_ms() {
  # the middle value (mean of the two middle ones for an even count), microseconds in, milliseconds out
  tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}
min_ms() { tr ' ' '\n' | grep -v '^$' | sort -n | head -n 1 | awk '{ printf "%.1f", $1 / 1000 }'; }

echo "| command | median (ms) | fastest (ms) |"
echo "| --- | ---: | ---: |"
for i in "${!commands[@]}"; do
  echo "| ${names[$i]} | $(echo "${times[$i]}" | median_ms) | $(echo "${times[$i]}" | min_ms) |"
done
echo
echo "$runs runs each, alternating; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg); .NET SDK $(dotnet --version); node $(node --version); $module ($(wc -c < $module) bytes)"
