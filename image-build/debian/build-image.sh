#!/usr/bin/env bash
# `make image`: the kiosk overlay on Debian arm64 (debootstrap + qemu-user-static +
# Debian's raspi-firmware), for machines that reach only Debian's archive.
# NOT FINISHED: this script checks what the build needs and stops there; see
# image-build/README.md ("Debian image: what is missing").
set -euo pipefail

missing=()
command -v debootstrap >/dev/null 2>&1 || missing+=("debootstrap (apt-get install debootstrap)")
command -v qemu-aarch64-static >/dev/null 2>&1 \
  || missing+=("qemu-aarch64-static (apt-get install qemu-user-static)")
if [ ! -e /proc/sys/fs/binfmt_misc/qemu-aarch64 ]; then
  missing+=("binfmt_misc registration for aarch64 (a privileged host: binfmt-support)")
fi
command -v losetup >/dev/null 2>&1 || missing+=("losetup (util-linux)")
[ "$(id -u)" -eq 0 ] || missing+=("root (loop devices, mounts, chroot)")

if [ ${#missing[@]} -gt 0 ]; then
  echo "make image: cannot build here; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
fi
echo "make image: the Debian arm64 build itself is not written yet (see image-build/README.md)." >&2
exit 1
