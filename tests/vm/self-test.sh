#!/bin/bash
# Runs inside the VM (run.sh --self-test loads i2c-dev and "i2c-stub chip_addr=0x50"): checks
# that the kernel's SMBus stub shows up as /dev/i2c-N and keeps what is written to it, using
# Debian's i2c-tools from the host root, and that .NET runs from the host root over 9p.
passed=0
failed=0
check() { # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then echo "ok   $what"; passed=$((passed + 1)); else echo "FAIL $what"; failed=$((failed + 1)); fi
}

echo "kernel $(uname -r), $(nproc) CPUs"
check "i2c_stub module is loaded" grep -q '^i2c_stub ' /proc/modules

bus=
for name in /sys/class/i2c-dev/i2c-*/name; do
  [ "$(cat "$name" 2>/dev/null)" = "SMBus stub driver" ] && bus=$(basename "$(dirname "$name")")
done
check "an i2c-dev adapter named 'SMBus stub driver' exists ($bus)" test -n "$bus"
if [ -n "$bus" ]; then
  n=${bus#i2c-}
  check "/dev/$bus is a character device" test -c "/dev/$bus"
  for value in 0xa5 0x5a; do
    i2cset -y "$n" 0x50 0x10 "$value" b
    check "byte $value written to register 0x10 of chip 0x50 reads back" \
      test "$(i2cget -y "$n" 0x50 0x10 b 2>&1)" = "$value"
  done
  i2cset -y "$n" 0x50 0x20 0x1234 w
  check "word 0x1234 written to register 0x20 reads back" test "$(i2cget -y "$n" 0x50 0x20 w 2>&1)" = "0x1234"
  check "address 0x51, where no stub chip was asked for, does not answer" \
    bash -c "! i2cget -y $n 0x51 0x00 b >/dev/null 2>&1"
fi

if command -v dotnet >/dev/null; then
  info=$(dotnet --info 2>&1)
  rc=$?
  check "dotnet --info runs from the host root (exit $rc)" test "$rc" -eq 0
  echo "$info" | grep -E '^ *(Version|OS Name|OS Version|RID):' | sed 's/^ */    /'
else
  echo "skip dotnet --info: no dotnet on PATH"
fi

echo "vm self-test: $passed passed, $failed failed"
((failed == 0))
