#!/bin/sh
# /init of the VM's initramfs (busybox only). Mounts the host's root filesystem, shared read-only
# over 9p, under a tmpfs overlay and hands over to guest-init.sh from the job folder, which the
# host shares writable so the exit status gets back even if the console is garbled.
export PATH=/bin

fail() {
  echo "IRONWASM-VM: initramfs: $*"
  echo "IRONWASM-VM-EXIT 125"
  poweroff -f
  sleep 5
}

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev

while read -r m; do
  insmod "/modules/$m" || fail "insmod $m failed"
done </modules/order

job=$(sed -n 's/.*ironwasm\.job=\([^ ]*\).*/\1/p' /proc/cmdline)
[ -n "$job" ] || fail "no ironwasm.job= on the kernel command line"

# 9p2000.L with a large message size and page cache: the host tree does not change under a
# test run in ways that matter, and .NET start-up reads many files.
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose hostroot /lower \
  || fail "cannot mount the host root (9p tag hostroot)"
mount -t tmpfs -o mode=0755 rw /rw || fail "cannot mount tmpfs"
mkdir -p /rw/upper /rw/work
mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay /newroot \
  || fail "cannot mount the overlay over the host root"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none job "/newroot$job" \
  || fail "cannot mount the job folder (9p tag job) at $job"

mount --move /proc /newroot/proc || fail "cannot move /proc"
mount --move /sys /newroot/sys || fail "cannot move /sys"
mount --move /dev /newroot/dev || fail "cannot move /dev"

# switch_root must be PID 1; should it fail the kernel panics, qemu exits (panic=-1,
# -no-reboot) and run.sh reports that no status came back.
exec switch_root /newroot /bin/bash "$job/guest-init.sh" "$job"
