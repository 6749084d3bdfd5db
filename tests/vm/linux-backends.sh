#!/usr/bin/env bash
# Builds tests/IronWasm.Hardware.LinuxTests on this machine and runs it inside the VM of run.sh
# with the kernel's SMBus stub (i2c-stub) behind i2c-dev, the kernel's GPIO simulator
# (gpio-mockup), a spidev node and USB gadgets on dummy_hcd (usb-gadgets.sh), so the Linux
# backends talk to real kernel drivers. It also builds the CLI (src/IronWasm.Cli, Release), whose
# `ironwasm run` the program uses to run the Wasm USB programs of guests/usb against the gadgets
# under usb-guests.policy.yaml (UsbGuestChecks.cs).
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
# USB: dummy_hcd's three emulated controllers carry the configfs gadgets of usb-gadgets.sh
# (source/sink + loopback, mass storage, HID echo); usb-storage binds the mass storage.
modules=${IRONWASM_VM_MODULES:-"i2c-dev; i2c-stub chip_addr=0x50,0x51; gpio-mockup gpio_mockup_ranges=-1,8 gpio_mockup_named_lines=1; dummy_hcd num=3; libcomposite; usb_f_ss_lb; usb_f_mass_storage; usb_f_hid; usb-storage"}

[[ -d $project ]] || { echo "linux-backends: no project at $project" >&2; exit 2; }
# usb-gadgets.sh makes the mass-storage image in the VM with the host's mkfs.fat and mcopy.
missing=()
for tool in mkfs.fat:dosfstools mcopy:mtools; do
  command -v "${tool%%:*}" >/dev/null || missing+=("${tool#*:}")
done
if ((${#missing[@]})); then
  if ((EUID == 0)); then
    echo "linux-backends: installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null; } \
      || echo "linux-backends: could not install ${missing[*]}: the mass-storage gadget will be missing" >&2
  else
    echo "linux-backends: ${missing[*]} missing (not root): the mass-storage gadget will be missing" >&2
  fi
fi
cli_project=${IRONWASM_CLI_PROJECT:-$repo/src/IronWasm.Cli}
build_log=$(mktemp)
# Both in Release: the VM runs under TCG, where JIT time dominates a CLI start. Built one after the
# other into the same artifacts folder, so the shared projects are built once.
for p in "$project" "$cli_project"; do
  echo "linux-backends: building $p"
  if ! dotnet build "$p" -c Release --artifacts-path "$artifacts" -v quiet -nologo >"$build_log" 2>&1; then
    cat "$build_log" >&2
    rm -f "$build_log"
    echo "linux-backends: the build failed"
    exit 2
  fi
done
rm -f "$build_log"
newest() {
  find "$artifacts/bin" -path '*/release*' -name "$1" -printf '%T@ %p\n' | sort -n | tail -n1 | cut -d' ' -f2-
}
dll=$(newest IronWasm.Hardware.LinuxTests.dll)
[[ -n $dll ]] || { echo "linux-backends: build produced no IronWasm.Hardware.LinuxTests.dll under $artifacts" >&2; exit 2; }
cli=$(newest IronWasm.Cli.dll)
[[ -n $cli ]] || { echo "linux-backends: build produced no IronWasm.Cli.dll under $artifacts" >&2; exit 2; }

console=$(mktemp)
trap 'rm -f "$console"' EXIT
set +e
# The build output lives on this machine's disk, which the VM sees at the same path. No kernel
# module simulates an SPI device; --spi-parport gives the program a real spidev node on the
# kernel's bit-banged parallel-port controller (transfers complete, MISO reads 0).
# IRONWASM_VM_CLI and IRONWASM_VM_REPO: the CLI and the checkout (guests/usb, the policy) for
# the program's Wasm USB checks.
"$here/run.sh" --modules "$modules" --spi-parport --env "IRONWASM_VM_CLI=$cli" --env "IRONWASM_VM_REPO=$repo" -- "$here/with-spidev.sh" "$here/usb-gadgets.sh" dotnet "$dll" "$@" 2>&1 | tee "$console"
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
