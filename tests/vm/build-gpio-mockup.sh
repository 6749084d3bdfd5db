#!/usr/bin/env bash
# usage: build-gpio-mockup.sh KERNEL_DIR
# Debian builds neither gpio-mockup nor gpio-sim (CONFIG_GPIO_MOCKUP, CONFIG_GPIO_SIM and the
# CONFIG_IRQ_SIM they select are all unset), so run.sh asks for this when a test wants
# gpio-mockup: the kernel's own gpio-mockup driver, taken from Debian's linux-source package of
# the very kernel version in KERNEL_DIR (a run.sh cache entry), built out of tree against that
# version's linux-headers, and put into the extracted module tree as extra/gpio-mockup.ko.
#
# One change to the kernel's source is needed: irq_sim.c (the interrupt simulator that gives
# gpio-mockup its edge events) is compiled into the module because the kernel lacks it, and it
# calls irq_to_desc(), which modules may not use since Linux 5.11; it calls generic_handle_irq()
# instead, which reaches the same handler (handle_simple_irq, set by irq_sim's own map callback).
# Loading the module taints the kernel (out of tree, unsigned); the kernel does not refuse it.
set -euo pipefail

kdir=${1:?usage: build-gpio-mockup.sh KERNEL_DIR}
kroot=$kdir/root
release=$(cat "$kdir/release")
version=${kdir##*_}                 # the cache folder is named PACKAGE_VERSION
series=${release%%-*}               # 6.1.0
series=${series%.*}                 # 6.1
abi=${release%-*}                   # 6.1.0-56
out=$kroot/lib/modules/$release/extra/gpio-mockup.ko
say() { echo "build-gpio-mockup: $*" >&2; }
die() { echo "build-gpio-mockup: $*" >&2; exit 125; }

[[ -f $out ]] && exit 0

for p in gcc-12 make xz-utils; do
  if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
    ((EUID == 0)) || die "needs the Debian package $p"
    say "installing $p"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null \
      || die "could not install $p"
  fi
done

work=$(mktemp -d "$kdir/gpio-mockup-build.XXXXXX")
trap 'rm -rf "$work"' EXIT
cd "$work"
say "fetching linux-source-$series, linux-headers-$release and linux-kbuild-$series $version"
apt-get download -qq -o APT::Sandbox::User=root "linux-source-$series=$version" "linux-headers-$release=$version" \
  "linux-headers-$abi-common=$version" "linux-kbuild-$series=$version" >&2 \
  || die "could not download the source and headers of $release ($version)"

mkdir headers src
for deb in linux-headers-*.deb linux-kbuild-*.deb; do dpkg-deb -x "$deb" headers; done
hdr=$work/headers/usr/src/linux-headers-$release
# The flavour's Makefile includes the common one by absolute path; point it at our copy.
sed -i "s|/usr/src/|$work/headers/usr/src/|" "$hdr/Makefile"

say "extracting gpio-mockup.c, gpiolib.h and irq_sim.c from linux-source-$series"
dpkg-deb --fsys-tarfile "linux-source-$series"_*.deb | tar -xO "./usr/src/linux-source-$series.tar.xz" | xz -dc \
  | tar -x -C src "linux-source-$series/drivers/gpio/gpio-mockup.c" "linux-source-$series/drivers/gpio/gpiolib.h" \
      "linux-source-$series/kernel/irq/irq_sim.c"
mkdir module
cp "src/linux-source-$series/drivers/gpio/gpio-mockup.c" module/mockup.c
cp "src/linux-source-$series/drivers/gpio/gpiolib.h" module/
cp "src/linux-source-$series/kernel/irq/irq_sim.c" module/
sed -i 's/handle_simple_irq(irq_to_desc(irqnum));/generic_handle_irq(irqnum);/' module/irq_sim.c
grep -q 'generic_handle_irq(irqnum);' module/irq_sim.c \
  || die "irq_sim.c of $version no longer has the irq_to_desc call this script replaces; look at it again"
printf 'obj-m := gpio-mockup.o\ngpio-mockup-y := mockup.o irq_sim.o\n' >module/Kbuild

say "building gpio-mockup.ko for $release"
make -s -C "$hdr" M="$work/module" CC=gcc-12 modules >build.log 2>&1 || { cat build.log >&2; die "the build failed"; }
mkdir -p "$(dirname "$out")"
cp module/gpio-mockup.ko "$out.partial"
mv "$out.partial" "$out"
depmod -b "$kroot" "$release"
say "built $out"
