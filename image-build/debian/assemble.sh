#!/usr/bin/env bash
# One disk image from the root directory, without loop devices or mounts: a FAT firmware
# partition (KIOSKFW, from /boot/firmware, by mtools), an ext4 root (KIOSKROOT, by
# mkfs.ext4 -d) and FREE_MB unpartitioned, where the first boot makes KIOSKDATA.
# Also copies the arm64 kernel and initrd out for the boot test under qemu.
# Usage: assemble.sh ROOTFS OUT FREE_MB
set -euo pipefail
rootfs=${1:?} out=${2:?} free_mb=${3:?}
work="$out/work"
fw_mb=256
used_mb=$(du -sm "$rootfs" | cut -f1)
root_mb=$((used_mb * 13 / 10 + 256))
img="$out/kiosk-arm64.img"

echo "make image: partitions (firmware ${fw_mb} MiB, root ${root_mb} MiB, free ${free_mb} MiB)" >&2
rm -f "$work/fw.img" "$work/root.img" "$img"
truncate -s "${fw_mb}M" "$work/fw.img"
mkfs.vfat -n KIOSKFW "$work/fw.img" >/dev/null
mcopy -s -i "$work/fw.img" "$rootfs"/boot/firmware/* ::/
mkfs.ext4 -q -L KIOSKROOT -d "$rootfs" "$work/root.img" "${root_mb}M"

truncate -s "$((1 + fw_mb + root_mb + free_mb))M" "$img"
sfdisk --quiet "$img" <<TABLE
label: dos
start=1MiB, size=${fw_mb}MiB, type=c, bootable
size=${root_mb}MiB, type=83
TABLE
dd if="$work/fw.img" of="$img" bs=1M seek=1 conv=notrunc,sparse status=none
dd if="$work/root.img" of="$img" bs=1M seek=$((1 + fw_mb)) conv=notrunc,sparse status=none
rm -f "$work/fw.img" "$work/root.img"

kernel=$(readlink -f "$rootfs/vmlinuz" | sed "s|^$rootfs||")
initrd=$(readlink -f "$rootfs/initrd.img" | sed "s|^$rootfs||")
# Debian's /vmlinuz links are relative to /, so resolve them inside the root.
[ -e "$rootfs$kernel" ] || kernel="/boot/$(basename "$(readlink "$rootfs/vmlinuz")")"
[ -e "$rootfs$initrd" ] || initrd="/boot/$(basename "$(readlink "$rootfs/initrd.img")")"
cp "$rootfs$kernel" "$out/vmlinuz"
cp "$rootfs$initrd" "$out/initrd.img"
