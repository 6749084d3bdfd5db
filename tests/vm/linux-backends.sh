#!/usr/bin/env bash
# Builds tests/IronWasm.Hardware.LinuxTests on this machine and runs it inside the VM of run.sh
# with the kernel's SMBus stub (i2c-stub) behind i2c-dev, the kernel's GPIO simulator
# (gpio-mockup) and a spidev node, so the Linux backends talk to real kernel drivers.
# Arguments are passed on to the program. The last line printed is the program's summary
# "linux backends: N passed, N failed"; the exit status is the program's (3: no i2c-stub bus
# found), or run.sh's 124/125 when the VM timed out or could not run it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
project=${IRONWASM_LINUX_TESTS_PROJECT:-$repo/tests/IronWasm.Hardware.LinuxTests}
artifacts=${IRONWASM_VM_ARTIFACTS:-${TMPDIR:-/tmp}/ironwasm-vm-artifacts}
# What the program expects (its Program.cs): two i2c-stub chips, and an 8-line gpio-mockup chip
# with named lines (run.sh builds gpio-mockup from Debian's kernel source the first time).
modules=${IRONWASM_VM_MODULES:-"i2c-dev; i2c-stub chip_addr=0x50,0x51; gpio-mockup gpio_mockup_ranges=-1,8 gpio_mockup_named_lines=1"}

[[ -d $project ]] || { echo "linux-backends: no project at $project" >&2; exit 2; }
echo "linux-backends: building $project"
build_log=$(mktemp)
if ! dotnet build "$project" -c Release --artifacts-path "$artifacts" -v quiet -nologo >"$build_log" 2>&1; then
  cat "$build_log" >&2
  rm -f "$build_log"
  echo "linux-backends: the build failed"
  exit 2
fi
rm -f "$build_log"
dll=$(find "$artifacts/bin" -path '*/release*' -name IronWasm.Hardware.LinuxTests.dll -printf '%T@ %p\n' \
      | sort -n | tail -n1 | cut -d' ' -f2-)
[[ -n $dll ]] || { echo "linux-backends: build produced no IronWasm.Hardware.LinuxTests.dll under $artifacts" >&2; exit 2; }

console=$(mktemp)
trap 'rm -f "$console"' EXIT
set +e
# The build output lives on this machine's disk, which the VM sees at the same path. No kernel
# module simulates an SPI device; --spi-parport gives the program a real spidev node on the
# kernel's bit-banged parallel-port controller (transfers complete, MISO reads 0).
"$here/run.sh" --modules "$modules" --spi-parport -- "$here/with-spidev.sh" dotnet "$dll" "$@" 2>&1 | tee "$console"
rc=${PIPESTATUS[0]}
set -e
summary=$(tr -d '\r' <"$console" | grep -E '^linux backends: [0-9]+ passed, [0-9]+ failed' | tail -n1 || true)
if [[ -n $summary ]]; then
  echo "$summary"
else
  echo "linux-backends: the program printed no summary line (exit status $rc)"
  ((rc != 0)) || rc=1
fi
exit "$rc"
