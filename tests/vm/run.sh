#!/usr/bin/env bash
# Runs a command inside a throwaway qemu VM that boots Debian's own kernel, sees this machine's
# root filesystem read-only over 9p (with a tmpfs overlay on top, so everything looks writable
# and nothing reaches the host), and has the kernel modules we ask for loaded. It exists because
# the machines we develop on are themselves VMs whose kernel loads no modules, while the Linux
# hardware backends must be tested against the kernel's own simulated devices (i2c-stub, and
# later dummy_hcd with configfs USB gadgets). See README.md beside this file.

# qemu option values are comma-separated lists, not mistakes for array separators.
# shellcheck disable=SC2054
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${IRONWASM_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ironwasm-vm}

usage() {
  cat <<'EOF'
usage: tests/vm/run.sh [options] -- COMMAND [ARG...]
       tests/vm/run.sh --self-test

Boots Debian's kernel in qemu with this machine's root filesystem mounted read-only (plus a
throwaway tmpfs overlay), loads the requested modules and runs COMMAND as root in the current
directory. Exits with COMMAND's exit status.

options:
  --modules SPEC   modules to load before COMMAND, as modprobe takes them: "NAME [PARAM=VALUE...]";
                   several specs are separated by ';' and the option may be repeated, e.g.
                   --modules "i2c-dev; i2c-stub chip_addr=0x50,0x51"
  --env NAME=VALUE environment variable for COMMAND (repeatable)
  --timeout SECS   kill the VM after SECS seconds (default 600); exit status 124
  --memory MIB     guest memory (default 2048)
  --cpus N         guest CPUs (default 2)
  --qemu-arg ARG   extra qemu argument, e.g. a device for the test (repeatable)
  --spi-parport    give the VM a parallel port and load parport_pc + spi-butterfly: the kernel's
                   bit-banged SPI controller on it declares spi42.1, which with-spidev.sh binds to
                   spidev (MISO reads as 0: there is no device behind the port, see README.md)
  --log FILE       copy of the serial console (default: the cache folder's runs/, named at the end)
  --self-test      load i2c-dev and i2c-stub, check a byte written through /dev/i2c-N reads back,
                   and that .NET runs inside the VM
  -h, --help       this text

exit status: COMMAND's; 124 when the timeout killed the VM; 125 when the VM could not be
prepared, booted, or a module failed to load (the message says which).
Cache: ${IRONWASM_VM_CACHE:-${XDG_CACHE_HOME:-~/.cache}/ironwasm-vm} (Debian kernel package and its
extracted tree, keyed by package version; serial logs of recent runs).
EOF
}

die() { echo "run.sh: $*" >&2; exit 125; }
say() { echo "run.sh: $*" >&2; }

modules=()
envs=()
qemu_extra=()
timeout_s=600
memory=2048
cpus=2
log=
self_test=0
while (($#)); do
  case $1 in
    --modules) (($# >= 2)) || die "--modules needs a value"
      IFS=';' read -ra specs <<<"$2"
      for s in "${specs[@]}"; do
        s=$(echo "$s" | xargs)  # trim
        [[ -n $s ]] && modules+=("$s")
      done
      shift 2 ;;
    --env) (($# >= 2)) || die "--env needs NAME=VALUE"
      [[ $2 =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || die "--env wants NAME=VALUE, got '$2'"
      envs+=("$2"); shift 2 ;;
    --timeout) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--timeout wants a positive number of seconds"
      timeout_s=$2; shift 2 ;;
    --memory) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--memory wants MiB"
      memory=$2; shift 2 ;;
    --cpus) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || die "--cpus wants a number"
      cpus=$2; shift 2 ;;
    --qemu-arg) (($# >= 2)) || die "--qemu-arg needs a value"
      qemu_extra+=("$2"); shift 2 ;;
    --log) (($# >= 2)) || die "--log needs a file"
      log=$2; shift 2 ;;
    --spi-parport) modules+=("parport_pc" "spi-butterfly")
      qemu_extra+=(-chardev null,id=parport -device isa-parallel,chardev=parport); shift ;;
    --self-test) self_test=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    *) usage >&2; exit 125 ;;
  esac
done
command=("$@")
if ((self_test)); then
  ((${#command[@]} == 0)) || die "--self-test takes no command"
  modules+=("i2c-dev" "i2c-stub chip_addr=0x50")
  command=(bash "$here/self-test.sh")
fi
((${#command[@]})) || { usage >&2; exit 125; }

# --- what the host needs ------------------------------------------------------------------
is_installed() { [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) == "install ok installed" ]]; }
apt_updated=0
apt_update() { ((apt_updated)) || { say "apt-get update"; apt_updated=1; apt-get update -qq >&2; }; }
ensure_packages() {
  local missing=() p
  for p in "$@"; do is_installed "$p" || missing+=("$p"); done
  ((${#missing[@]})) || return 0
  ((EUID == 0)) || die "needs Debian packages ${missing[*]}: run as root once, or apt-get install them"
  say "installing ${missing[*]}"
  local out=/tmp/ironwasm-vm-apt.$$.log
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$out" 2>&1; then
    apt_update
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >"$out" 2>&1 \
      || { cat "$out" >&2; rm -f "$out"; die "could not install ${missing[*]}"; }
  fi
  rm -f "$out"
}
# qemu runs the VM; busybox-static is the initramfs's only program; kmod resolves module
# dependencies (depmod on the extracted kernel, modprobe inside the VM); cpio packs the initramfs.
needed=(qemu-system-x86 busybox-static kmod cpio)
((self_test)) && needed+=(i2c-tools)
ensure_packages "${needed[@]}"

# --- Debian's kernel, cached by package version -------------------------------------------
# linux-image-amd64 is a metapackage; the kernel itself is its linux-image-6.x-amd64 dependency.
kernel_package() {
  apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'
}
pkg=$(kernel_package || true)
if [[ -z $pkg && $EUID -eq 0 ]]; then apt_update || true; pkg=$(kernel_package || true); fi
version=
[[ -n $pkg ]] && version=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ { print $2; exit }' || true)
mkdir -p "$cache/kernels" "$cache/runs"
if [[ -n $pkg && -n $version && $version != "(none)" ]]; then
  kdir=$cache/kernels/${pkg}_${version}
  exec 9>"$cache/kernels/.lock"
  flock 9  # two runs at once must not both fetch and extract
  if [[ ! -e $kdir/ready ]]; then
    say "fetching $pkg $version"
    rm -rf "$kdir" "$kdir.partial"
    mkdir -p "$kdir.partial"
    # The cache usually lives in a home folder apt's sandbox user cannot write to.
    (cd "$kdir.partial" && apt-get download -qq -o APT::Sandbox::User=root "$pkg=$version" >&2) \
      || { apt_update; (cd "$kdir.partial" && apt-get download -qq -o APT::Sandbox::User=root "$pkg=$version" >&2); } \
      || die "could not download $pkg $version"
    say "extracting $pkg"
    dpkg-deb -x "$kdir.partial"/*.deb "$kdir.partial/root"
    release=$(ls "$kdir.partial/root/lib/modules")
    # Debian's postinst would run depmod; the package itself ships no modules.dep.
    depmod -b "$kdir.partial/root" "$release"
    echo "$release" >"$kdir.partial/release"
    touch "$kdir.partial/ready"
    mv "$kdir.partial" "$kdir"
  fi
  exec 9>&-
else
  # No package lists (offline, or not root): fall back to the newest kernel already cached.
  kdir=$(find "$cache/kernels" -mindepth 2 -maxdepth 2 -name ready -printf '%h\n' | sort -V | tail -n1)
  [[ -n $kdir ]] || die "cannot find Debian's linux-image-amd64 (apt-cache knows nothing) and no kernel is cached in $cache/kernels"
  say "apt-cache knows no kernel package; using cached $(basename "$kdir")"
fi
release=$(cat "$kdir/release")
kroot=$kdir/root
vmlinuz=$kroot/boot/vmlinuz-$release
[[ -f $vmlinuz ]] || die "$vmlinuz missing; delete $kdir and retry"

# Requested modules must exist in this kernel before we spend a boot on them. gpio-mockup is
# built from Debian's source of this kernel the first time it is asked for (Debian leaves it out).
for spec in "${modules[@]}"; do
  name=${spec%% *}
  if [[ $name == gpio-mockup || $name == gpio_mockup ]] \
     && ! modprobe -d "$kroot" -S "$release" --show-depends "$name" >/dev/null 2>&1; then
    exec 9>"$cache/kernels/.lock"
    flock 9
    "$here/build-gpio-mockup.sh" "$kdir" || die "could not build gpio-mockup for $release"
    exec 9>&-
  fi
  modprobe -d "$kroot" -S "$release" --show-depends "$name" >/dev/null 2>&1 \
    || die "kernel $release has no module '$name' (built in modules are fine, see $kroot/lib/modules/$release/modules.builtin)"
done

# --- the job: what the VM runs, and where it reports back ---------------------------------
job=$(mktemp -d "$cache/runs/job.XXXXXX")
[[ $job != *[[:space:]]* ]] || die "the cache path must not contain white space: $job"
trap 'rm -rf "$job"' EXIT
{
  printf 'cd %q || exit 125\n' "$PWD"
  printf 'exec'; printf ' %q' "${command[@]}"; printf '\n'
} >"$job/command.sh"
printf '%s\n' "${modules[@]}" >"$job/modules"
{
  printf 'export PATH=%q\n' "$PATH"
  printf 'export HOME=%q\n' "$HOME"
  # .NET: no telemetry, banners or first-run work; diagnostics IPC sockets are not needed.
  printf 'export %s\n' DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
    DOTNET_GENERATE_ASPNET_CERTIFICATE=0 DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 \
    NO_COLOR=1 TERM=dumb
  for e in "${envs[@]}"; do printf 'export %s=%q\n' "${e%%=*}" "${e#*=}"; done
  printf 'export IRONWASM_VM=1\n'
} >"$job/env.sh"
echo "$kroot" >"$job/kernel-root"
cp "$here/guest-init.sh" "$job/guest-init.sh"

# --- initramfs: busybox, the modules that mount the host root, and /init -------------------
initrd=$job/initramfs
mkdir -p "$initrd"/{bin,dev,proc,sys,lower,rw,newroot,modules}
cp /bin/busybox "$initrd/bin/busybox"
for applet in sh mount umount mkdir insmod switch_root poweroff sleep cat sed echo; do
  ln -s busybox "$initrd/bin/$applet"
done
declare -A seen=()
n=0
: >"$initrd/modules/order"
while read -r kind path _; do
  [[ $kind == insmod && -z ${seen[$path]:-} ]] || continue
  seen[$path]=1
  n=$((n + 1))
  file=$(printf %02d-%s $n "$(basename "$path")")
  cp "$path" "$initrd/modules/$file"
  echo "$file" >>"$initrd/modules/order"
done < <(for m in virtio_pci 9pnet_virtio 9p overlay; do  # modprobe takes one name at a time
  modprobe -d "$kroot" -S "$release" --show-depends "$m"
done)
cp "$here/initramfs-init.sh" "$initrd/init"
chmod +x "$initrd/init"
(cd "$initrd" && find . | cpio -o -H newc --quiet | gzip -1) >"$job/initramfs.cpio.gz"

# --- qemu --------------------------------------------------------------------------------
# KVM boots a stock kernel only with hardware virtualisation (vmx/svm) behind it. A /dev/kvm
# without it exists too: these machines offer kvm_pvm, whose guests must be PVM-built kernels;
# Debian's kernel hangs there right after the boot loader. IRONWASM_VM_ACCEL=kvm|tcg overrides.
accel_choice=${IRONWASM_VM_ACCEL:-auto}
why_not_kvm=
if [[ $accel_choice == auto ]]; then
  if [[ ! -r /dev/kvm || ! -w /dev/kvm ]]; then
    why_not_kvm="/dev/kvm is missing or not accessible"
  elif ! grep -qwE 'vmx|svm' /proc/cpuinfo; then
    kvm_modules=$(cd /sys/module && echo kvm_*)
    why_not_kvm="/dev/kvm exists but the CPU offers no vmx/svm (modules: $kvm_modules), so KVM cannot run a stock kernel"
  elif ! echo quit | qemu-system-x86_64 -accel kvm -machine none -nodefaults -display none -monitor stdio >/dev/null 2>&1; then
    why_not_kvm="qemu cannot initialise KVM"
  fi
  if [[ -z $why_not_kvm ]]; then accel_choice=kvm; else accel_choice=tcg; fi
fi
case $accel_choice in
  # IA32_ARCH_CAPABILITIES is left out: under nested KVM qemu 7.2 can abort with
  # "failed to set MSR 0x10a" when it passes the host's value on.
  kvm) accel=(-accel kvm -cpu host,-arch-capabilities) ;;
  tcg) accel=(-accel tcg,thread=multi -cpu max)
       [[ -n $why_not_kvm ]] && say "WARNING: $why_not_kvm; using TCG emulation, which is several times slower" ;;
  *) die "IRONWASM_VM_ACCEL must be kvm or tcg, not '$accel_choice'" ;;
esac
if [[ -z $log ]]; then
  log=$cache/runs/console-$(date +%Y%m%d-%H%M%S)-$$.log
  # Keep the 20 newest console logs.
  find "$cache/runs" -maxdepth 1 -name 'console-*.log' -printf '%T@ %p\n' | sort -rn | tail -n +20 \
    | cut -d' ' -f2- | xargs -r rm -f
fi
: >"$log"

say "booting $release ($(basename "$kdir")), modules: ${modules[*]:-none}"
start=$SECONDS
set +e
timeout -k 10 "$timeout_s" qemu-system-x86_64 \
  -machine q35 "${accel[@]}" -m "$memory" -smp "$cpus" \
  -nodefaults -no-user-config -display none -monitor none -no-reboot \
  -chardev stdio,id=con,signal=on,logfile="$log" -serial chardev:con \
  -kernel "$vmlinuz" -initrd "$job/initramfs.cpio.gz" \
  -append "console=ttyS0 quiet loglevel=4 panic=-1 no_timer_check ironwasm.job=$job" \
  -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=job,path="$job",security_model=none,multidevs=remap \
  -device virtio-9p-pci,fsdev=job,mount_tag=job \
  "${qemu_extra[@]}" </dev/null
qemu_rc=$?
set -e
echo >&2  # the console's last line has no newline
elapsed=$((SECONDS - start))

if [[ -f $job/status && $(cat "$job/status") =~ ^[0-9]+$ ]]; then
  rc=$(cat "$job/status")
elif marker=$(tr -d '\r' <"$log" | grep -oE 'IRONWASM-VM-EXIT [0-9]+' | tail -n1) && [[ -n $marker ]]; then
  rc=${marker##* }
elif ((qemu_rc == 124 || qemu_rc == 137)); then
  say "timed out after ${timeout_s}s; console log: $log"
  exit 124
else
  say "the VM stopped without reporting a status (qemu exit $qemu_rc); console log: $log"
  exit 125
fi
say "VM finished in ${elapsed}s, command exit status $rc; console log: $log"
exit "$rc"
