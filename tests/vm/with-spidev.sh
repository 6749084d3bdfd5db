#!/bin/bash
# Runs inside the VM: hands every SPI device that no driver has claimed to spidev (through
# driver_override, the kernel's way to bind a device to a driver it was not declared for),
# exports IRONWASM_VM_SPIDEV with the resulting /dev/spidevB.C nodes, then runs the command.
# With --spi-parport, run.sh's VM has a parallel port whose spi-butterfly bit-banged controller
# declares one device, spi42.1; see README.md for what that can and cannot show.
nodes=()
for dev in /sys/bus/spi/devices/spi*; do
  [ -e "$dev" ] || continue
  name=$(basename "$dev")
  if [ ! -e "$dev/driver" ]; then
    if ! { echo spidev >"$dev/driver_override" && echo "$name" >/sys/bus/spi/drivers/spidev/bind; }; then
      echo "with-spidev: cannot bind $name to spidev" >&2
      exit 125
    fi
  fi
  [ "$(basename "$(readlink "$dev/driver")")" = spidev ] && nodes+=("/dev/spidev${name#spi}")
done
for node in "${nodes[@]}"; do
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -c "$node" ] && break; sleep 0.1; done
  [ -c "$node" ] || { echo "with-spidev: $node did not appear" >&2; exit 125; }
done
export IRONWASM_VM_SPIDEV="${nodes[*]}"
echo "with-spidev: ${IRONWASM_VM_SPIDEV:-no SPI device}"
exec "$@"
