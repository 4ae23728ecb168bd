#!/bin/bash
# make-test-image.sh TESTOS_DIR OUT.bin.bz2
#
# Builds the "OS image" the end-to-end tests install: a raw disk image with an MBR, one ext4
# partition labelled ROOT that carries extlinux (BIOS bootloader), the busybox test OS kernel
# and initrd, and an extlinux.conf whose kernel line the flatcar-install fixture completes in
# the VM (it writes the machine's callback URL into it). Booted from disk, the test OS runs
# tools/report-running.sh from the server, which reports phase "running".
# Needs root (loop device + mount), extlinux, syslinux-common, e2fsprogs, fdisk (sfdisk).
set -euo pipefail
TESTOS=${1:?TESTOS_DIR}; OUT=${2:?OUT.bin.bz2}
MBR=${MBR_BIN:-/usr/lib/syslinux/mbr/mbr.bin}
for c in extlinux sfdisk mkfs.ext4 losetup bzip2; do command -v $c >/dev/null || { echo "make-test-image: missing $c" >&2; exit 2; }; done
[ -f "$MBR" ] || { echo "make-test-image: missing $MBR (apt-get install syslinux-common)" >&2; exit 2; }
work=$(mktemp -d /tmp/yoo-img.XXXXXX)
loop=
cleanup() {
  mountpoint -q "$work/mnt" 2>/dev/null && umount "$work/mnt"
  [ -n "$loop" ] && losetup -d "$loop" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
img=$work/disk.img
truncate -s 48M "$img"
# one bootable Linux partition from 1 MiB to the end
printf 'label: dos\nstart=2048, type=83, bootable\n' | sfdisk -q "$img"
dd if="$MBR" of="$img" bs=440 count=1 conv=notrunc status=none
# a loop device on the partition itself (offset), so no partition scanning/udev is needed
loop=$(losetup -f --show -o $((2048 * 512)) "$img")
part=$loop
# extlinux 6.04 cannot read ext4's 64bit/metadata_csum_seed features: turn them off
mkfs.ext4 -q -L ROOT -O ^64bit,^metadata_csum_seed,^orphan_file "$part" 2>/dev/null || mkfs.ext4 -q -L ROOT -O ^64bit "$part"
mkdir -p "$work/mnt"
mount "$part" "$work/mnt"
mkdir -p "$work/mnt/boot/extlinux" "$work/mnt/etc"
cp "$TESTOS/vmlinuz" "$TESTOS/initrd.gz" "$work/mnt/boot/"
cat > "$work/mnt/boot/extlinux/extlinux.conf" <<'CFG'
DEFAULT installed
PROMPT 0
TIMEOUT 1
LABEL installed
  KERNEL /boot/vmlinuz
  INITRD /boot/initrd.gz
  APPEND console=ttyS0,115200 panic=-1 yoo.installed=1 @YOO_FIRSTBOOT_ARGS@
CFG
echo "yoo test OS image" > "$work/mnt/etc/yoo-test-image"
extlinux --install "$work/mnt/boot/extlinux" >/dev/null 2>&1
umount "$work/mnt"
losetup -d "$loop"; loop=
# extlinux saw only the partition (offset loop): record the partition's start LBA in the boot
# sector's "hidden sectors" field (0x1C), where ldlinux looks for its own location
printf '\x00\x08\x00\x00' | dd of="$img" bs=1 seek=$((2048 * 512 + 0x1C)) conv=notrunc status=none
bzip2 -9 -c "$img" > "$OUT.tmp" && mv "$OUT.tmp" "$OUT"
echo "make-test-image: $OUT ($(stat -c %s "$OUT") bytes)"
