#!/bin/bash
# PID 1 of the VM once the host root is mounted (see initramfs-init.sh): finishes the system
# mounts, makes the extracted Debian modules visible as /lib/modules, loads the requested
# modules, runs the command and reports its exit status twice: in the job folder, which the host
# shares writable, and as a marker line on the serial console.
job=$1
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

report() {
  echo "$1" >"$job/status"
  sync
  printf '\nIRONWASM-VM-EXIT %s\n' "$1"
  echo o >/proc/sysrq-trigger
  sleep 10
}
fail() {
  echo "IRONWASM-VM: $*"
  report 125
}

mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=1777 shm /dev/shm
mount -t tmpfs -o mode=0755 run /run
[ -d /sys/kernel/debug ] && mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
ln -sf /proc/self/fd /dev/fd 2>/dev/null
hostname ironwasm-vm 2>/dev/null

# The host has no /lib/modules of its own: the overlay lets us put the extracted tree there,
# so modprobe, modinfo and anything the command runs find the modules as on a normal system.
release=$(uname -r)
kroot=$(cat "$job/kernel-root")
mkdir -p /lib/modules
# A host with this kernel's headers installed has a /lib/modules/RELEASE holding only "build";
# removing it here only hides it in the overlay.
[ -L "/lib/modules/$release" ] || rm -rf "/lib/modules/$release"
ln -sfn "$kroot/lib/modules/$release" "/lib/modules/$release"

while read -r spec; do
  [ -n "$spec" ] || continue
  # shellcheck disable=SC2086 # the spec is "name param=value ...", split on purpose
  modprobe $spec || fail "modprobe $spec failed"
  echo "IRONWASM-VM: loaded $spec"
done <"$job/modules"

# configfs appears only once a module that needs it is loaded (USB gadgets, for instance).
if [ -d /sys/kernel/config ] && ! grep -q ' /sys/kernel/config ' /proc/mounts; then
  mount -t configfs configfs /sys/kernel/config
fi

# shellcheck disable=SC1091
. "$job/env.sh"
echo "IRONWASM-VM: running the command $(cut -d' ' -f1 /proc/uptime) s after boot"
bash "$job/command.sh" </dev/null
rc=$?
echo "IRONWASM-VM: the command ended $(cut -d' ' -f1 /proc/uptime) s after boot"
report $rc
