#!/usr/bin/env bash
# What `make image` needs on the build host: Debian's debootstrap, qemu-user-static,
# mtools, dosfstools, e2fsprogs (mkfs.ext4 -d), fdisk (sfdisk); and qemu-aarch64
# registered in binfmt_misc so the arm64 chroot runs. The registration is a host-wide
# kernel setting: it is made only here, by the image build, and only when missing.
set -euo pipefail

need=()
command -v debootstrap >/dev/null || need+=(debootstrap)
command -v qemu-aarch64-static >/dev/null || need+=(qemu-user-static)
command -v mcopy >/dev/null || need+=(mtools)
command -v mkfs.vfat >/dev/null || need+=(dosfstools)
command -v mkfs.ext4 >/dev/null || need+=(e2fsprogs)
command -v sfdisk >/dev/null || need+=(fdisk)
if [ ${#need[@]} -gt 0 ]; then
  echo "make image: installing ${need[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi

binfmt=/proc/sys/fs/binfmt_misc
[ -e "$binfmt/register" ] || mount -t binfmt_misc binfmt_misc "$binfmt" \
  || { echo "make image: cannot mount binfmt_misc (is this a privileged host?)" >&2; exit 1; }
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  # The magic and mask of an ELF64 little-endian aarch64 executable (as Debian's
  # qemu-user-static registers it); F: the interpreter is opened now, so the chroot
  # does not need its own copy.
  magic='\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\xb7\x00'
  mask='\xff\xff\xff\xff\xff\xff\xff\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
  printf ':qemu-aarch64:M::%s:%s:%s:OCF' "$magic" "$mask" "$(command -v qemu-aarch64-static)" \
    >"$binfmt/register"
fi
grep -q '^enabled' "$binfmt/qemu-aarch64" \
  || { echo "make image: qemu-aarch64 is registered but disabled in binfmt_misc" >&2; exit 1; }
