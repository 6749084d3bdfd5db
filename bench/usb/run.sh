#!/usr/bin/env bash
# The paper's USB evaluation on the simulated bus (issue 7): the C guests guests/usb/ping.wasm and
# guests/usb/msc.wasm run in process beside the same benchmarks written in C#, alternating, with the
# USB 2.0 timing model and at zero latency, then the USB host's footprint. About 3 to 5 minutes.
#
#   bench/usb/run.sh [OPTIONS]     e.g. --only ping, --timing zero, --ping-rounds 9; --help lists them
#
# Builds bench/IronWasm.Benchmarks in Release into artifacts/usb-bench/build (ARTIFACTS to change it),
# prints the tables and writes them to artifacts/usb-bench/usb-DATE.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
artifacts=${ARTIFACTS:-$root/artifacts/usb-bench/build}
if [ "${1:-}" = "--help" ] || [ "${1:-}" = "-h" ]; then
  set -- --usage
fi
dotnet build bench/IronWasm.Benchmarks -c Release --artifacts-path "$artifacts" -v quiet -clp:ErrorsOnly -nologo >&2
exec dotnet "$artifacts/bin/IronWasm.Benchmarks/release/IronWasm.Benchmarks.dll" usb "$@"
