#!/bin/bash
# In the VM: makes real USB devices for the libusb backend out of the kernel's own gadget
# drivers, then runs the command. dummy_hcd (loaded with num=3) pairs each emulated device
# controller (UDC dummy_udc.N) with an emulated host controller, so a configfs gadget bound to a
# UDC enumerates on the host side like a plugged-in device: usbfs node, sysfs strings, kernel
# drivers. Three gadgets:
#   ironwasm_lb   1209:000a  usb_f_ss_lb: interface 0 SourceSink (bulk IN sends a pattern, bulk
#                 OUT checks it), interface 1 Loopback (what goes OUT on bulk comes back IN)
#   ironwasm_msc  1209:000b  usb_f_mass_storage over a FAT16 image made with mkfs.fat, holding
#                 HELLO.TXT (put in with mtools); usb-storage binds it
#   ironwasm_hid  1209:000c  usb_f_hid, vendor-defined 8-byte reports on interrupt IN and OUT;
#                 `cat /dev/hidg0 >/dev/hidg0` echoes OUT reports back IN (needs dummy_hcd num=3)
# and starts systemd-udevd, because Debian's libusb learns about hotplug from udev's netlink
# messages, which only udevd sends. Exports for the command:
#   IRONWASM_VM_USB_LB=CONFIGFS_DIR:UDC  IRONWASM_VM_USB_MSC=CONFIGFS_DIR:UDC  IRONWASM_VM_USB_HID=...
#   IRONWASM_VM_USB_MSC_FILE=NAME:CONTENT (the known file on the image)
# Leaves them unset, and says why, when the kernel has no dummy_hcd or configfs; the command
# runs anyway (its USB checks then report themselves skipped).
set -u

gadgets=/sys/kernel/config/usb_gadget
say() { echo "usb-gadgets: $*"; }

setup() {
  [ -d /sys/class/udc/dummy_udc.0 ] && [ -d /sys/class/udc/dummy_udc.1 ] \
    || { say "no dummy_udc.0 and dummy_udc.1 (load dummy_hcd num=3)"; return 1; }
  [ -d $gadgets ] || { say "no $gadgets (load libcomposite; configfs must be mounted)"; return 1; }

  # Source/sink and loopback in one configuration, one interface each.
  local g=$gadgets/ironwasm_lb
  mkdir -p $g/strings/0x409 $g/configs/c.1/strings/0x409 || return 1
  echo 0x1209 >$g/idVendor
  echo 0x000a >$g/idProduct
  echo 0x0100 >$g/bcdDevice
  echo 0x0200 >$g/bcdUSB
  echo IronWasm >$g/strings/0x409/manufacturer
  echo "IronWasm loopback" >$g/strings/0x409/product
  echo LB0001 >$g/strings/0x409/serialnumber
  echo "source/sink and loopback" >$g/configs/c.1/strings/0x409/configuration
  echo 100 >$g/configs/c.1/MaxPower
  mkdir -p $g/functions/SourceSink.0 $g/functions/Loopback.0 || return 1
  # pattern 1: byte i of each transfer is i % 63 (what f_sourcesink sends and expects).
  echo 1 >$g/functions/SourceSink.0/pattern
  ln -s $g/functions/SourceSink.0 $g/configs/c.1/
  ln -s $g/functions/Loopback.0 $g/configs/c.1/
  echo dummy_udc.0 >$g/UDC || return 1

  # Mass storage over a FAT16 image with a known file.
  local img=/run/ironwasm-msc.img
  rm -f $img
  mkfs.fat -C -F 16 -s 1 -n IRONWASM $img 8192 >/dev/null || { say "mkfs.fat failed (apt-get install dosfstools)"; return 1; }
  printf 'hello from a FAT image\n' >/run/HELLO.TXT
  MTOOLS_SKIP_CHECK=1 mcopy -i $img /run/HELLO.TXT ::HELLO.TXT || { say "mcopy failed (apt-get install mtools)"; return 1; }
  g=$gadgets/ironwasm_msc
  mkdir -p $g/strings/0x409 $g/configs/c.1/strings/0x409 || return 1
  echo 0x1209 >$g/idVendor
  echo 0x000b >$g/idProduct
  echo 0x0100 >$g/bcdDevice
  echo 0x0200 >$g/bcdUSB
  echo IronWasm >$g/strings/0x409/manufacturer
  echo "IronWasm mass storage" >$g/strings/0x409/product
  echo MSC0001 >$g/strings/0x409/serialnumber
  echo "mass storage" >$g/configs/c.1/strings/0x409/configuration
  echo 200 >$g/configs/c.1/MaxPower
  mkdir -p $g/functions/mass_storage.0 || return 1
  echo 1 >$g/functions/mass_storage.0/stall
  echo 1 >$g/functions/mass_storage.0/lun.0/removable
  echo 0 >$g/functions/mass_storage.0/lun.0/ro
  echo $img >$g/functions/mass_storage.0/lun.0/file || return 1
  ln -s $g/functions/mass_storage.0 $g/configs/c.1/
  echo dummy_udc.1 >$g/UDC || return 1

  # HID with vendor-defined 8-byte input and output reports: interrupt IN and OUT endpoints.
  # A cat in the VM echoes each OUT report back IN through /dev/hidg0.
  if [ -d /sys/class/udc/dummy_udc.2 ] && mkdir -p $gadgets/ironwasm_hid/functions/hid.0 2>/dev/null; then
    g=$gadgets/ironwasm_hid
    mkdir -p $g/strings/0x409 $g/configs/c.1/strings/0x409
    echo 0x1209 >$g/idVendor
    echo 0x000c >$g/idProduct
    echo 0x0200 >$g/bcdUSB
    echo IronWasm >$g/strings/0x409/manufacturer
    echo "IronWasm HID echo" >$g/strings/0x409/product
    echo HID0001 >$g/strings/0x409/serialnumber
    echo "hid" >$g/configs/c.1/strings/0x409/configuration
    echo 0 >$g/functions/hid.0/protocol
    echo 0 >$g/functions/hid.0/subclass
    echo 8 >$g/functions/hid.0/report_length
    printf '\x06\x00\xff\x09\x01\xa1\x01\x15\x00\x26\xff\x00\x75\x08\x95\x08\x09\x01\x81\x02\x95\x08\x09\x01\x91\x02\xc0' \
      >$g/functions/hid.0/report_desc
    ln -s $g/functions/hid.0 $g/configs/c.1/
    if echo dummy_udc.2 >$g/UDC; then
      for _ in $(seq 1 50); do [ -c /dev/hidg0 ] && break; sleep 0.1; done
      cat /dev/hidg0 >/dev/hidg0 &
      export IRONWASM_VM_USB_HID=$g:dummy_udc.2
    fi
  fi

  export IRONWASM_VM_USB_LB=$gadgets/ironwasm_lb:dummy_udc.0
  export IRONWASM_VM_USB_MSC=$gadgets/ironwasm_msc:dummy_udc.1
  export IRONWASM_VM_USB_MSC_FILE="HELLO.TXT:hello from a FAT image"
}

start_udevd() {
  local udevd
  for udevd in /lib/systemd/systemd-udevd /usr/lib/systemd/systemd-udevd; do
    [ -x $udevd ] || continue
    $udevd --daemon 2>/dev/null || { say "systemd-udevd did not start: libusb hotplug will see nothing"; return 1; }
    return 0
  done
  say "no systemd-udevd (apt-get install udev): libusb hotplug will see nothing"
  return 1
}

start_udevd
if setup; then
  # Wait until both devices are enumerated on the host side (usbfs nodes exist).
  for _ in $(seq 1 50); do
    n=0
    for d in /sys/bus/usb/devices/*; do
      [ -f "$d/idVendor" ] && [ "$(cat "$d/idVendor")" = 1209 ] && n=$((n + 1))
    done
    [ $n -ge $((${IRONWASM_VM_USB_HID:+1} + 2)) ] && break
    sleep 0.2
  done
  udevadm settle --timeout=10 2>/dev/null
  say "gadgets ready: $IRONWASM_VM_USB_LB, $IRONWASM_VM_USB_MSC, ${IRONWASM_VM_USB_HID:-no HID} ($n enumerated)"
else
  unset IRONWASM_VM_USB_LB IRONWASM_VM_USB_MSC IRONWASM_VM_USB_MSC_FILE IRONWASM_VM_USB_HID
  say "no USB gadgets"
fi
exec "$@"
