#!/usr/bin/env bash
# `make image`: the kiosk's SD-card image on Debian bookworm arm64, for build hosts that
# reach only Debian's archive and PyPI (Raspberry Pi OS needs pi-gen; see the README).
#
#   debootstrap arm64 (run through qemu-user-static) -> Debian's raspi-firmware and arm64
#   kernel -> the first release's venv from an aarch64 wheelhouse -> install-overlay.sh ->
#   a read-only root -> one disk image: FAT firmware (KIOSKFW) + ext4 root (KIOSKROOT) and
#   free space, where the first boot makes the data partition (KIOSKDATA).
#
# No loop devices and no mounts: the root file system is built in a directory and turned
# into partitions with mkfs.ext4 -d and mtools. Needs root (chroot, file ownership).
# Output: $IMAGE_DIR (default var/image): kiosk-arm64.img, vmlinuz, initrd.img.
# Environment: IMAGE_DIR, KIOSK_DISPLAY (dsi7|hdmi), KIOSK_SETUP_PUB (the fleet's setup key),
# DEBIAN_MIRROR, IMAGE_FREE_MB (free space left for the data partition, default 768).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=${IMAGE_DIR:-$repo/var/image}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
display=${KIOSK_DISPLAY:-dsi7}
free_mb=${IMAGE_FREE_MB:-768}
work="$out/work"
rootfs="$work/rootfs"
wheels="$work/wheels"

say() { printf 'make image: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root (chroot and file ownership in the image)"

bash "$here/prerequisites.sh"

say "wheelhouse for aarch64 in $wheels"
mkdir -p "$work" && rm -rf "$wheels" && mkdir -p "$wheels"
python3 -m pip wheel --quiet --no-deps --wheel-dir "$wheels" "$repo" \
  || die "could not build the pi_pos wheel from $repo"
# Binary aarch64 wheels from PyPI for every dependency that has them; evdev has only a
# source release, built inside the image where the compiler and headers are arm64's. lgpio
# needs the lg C library, which Debian does not package: gpiozero uses its native pins.
bash "$here/requirements.sh" "$repo" >"$work/requirements.txt"
# (pip does not widen a manylinux tag to older glibc versions: bookworm has glibc 2.36.)
# shellcheck disable=SC2046
python3 -m pip download --quiet --dest "$wheels" --only-binary=:all: \
  $(for glibc in 17 28 31 34 35 36; do echo "--platform manylinux_2_${glibc}_aarch64"; done) \
  --python-version 3.11 --implementation cp -r "$work/requirements.txt" setuptools wheel \
  || die "could not download the aarch64 wheels"
python3 -m pip download --quiet --dest "$wheels" --no-deps --no-binary=:all: "evdev==2.0.0" \
  || die "could not download the source release of evdev"

# Each stage leaves a stamp in $work, so a build stopped part-way goes on from there
# (rm -r $IMAGE_DIR/work to start afresh).
stage() { [ -e "$work/.done-$1" ]; }
done_stage() { touch "$work/.done-$1"; }

if ! stage debootstrap; then
  say "Debian bookworm arm64 into $rootfs (this takes a while under emulation)"
  rm -rf "$rootfs" && mkdir -p "$rootfs"
  debootstrap --arch=arm64 --variant=minbase \
    --include=systemd-sysv,udev,dbus,kmod,ca-certificates,python3,python3-venv,fdisk,e2fsprogs,parted,util-linux \
    bookworm "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed (log: $work/debootstrap.log)"; }
  done_stage debootstrap
fi

if ! stage packages; then
  bash "$here/chroot-setup.sh" packages "$rootfs" "$mirror"
  done_stage packages
fi

say "kiosk overlay ($display)"
bash "$repo/image-build/install-overlay.sh" "$rootfs" "$display"
install -d -m 0755 "$rootfs/etc/kiosk"
if [ -n "${KIOSK_SETUP_PUB:-}" ]; then
  install -m 0644 "$KIOSK_SETUP_PUB" "$rootfs/etc/kiosk/setup.pub"
fi
if ! stage release; then
  bash "$here/chroot-setup.sh" release "$rootfs" "$wheels"
  done_stage release
fi
install -m 0755 "$here/kiosk-image-check" "$rootfs/usr/local/sbin/kiosk-image-check"
bash "$here/readonly-root.sh" "$rootfs"

bash "$here/assemble.sh" "$rootfs" "$out" "$free_mb"
say "done: $out/kiosk-arm64.img ($(du -h "$out/kiosk-arm64.img" | cut -f1) on disk)"
