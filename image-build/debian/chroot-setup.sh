#!/usr/bin/env bash
# Inside the arm64 root (run through qemu-user-static): Debian's Raspberry Pi firmware and
# arm64 kernel, the libraries Kivy's SDL2 needs, and the first release's venv from the
# wheelhouse (as `kiosk update` lays releases out).
# Usage: chroot-setup.sh packages ROOTFS MIRROR | chroot-setup.sh release ROOTFS WHEELS
# (the overlay goes in between: the release's seed copies the directories it makes).
set -euo pipefail
phase=${1:?} rootfs=${2:?}
here=$(cd "$(dirname "$0")" && pwd)

for fs in proc sys dev; do mount --bind "/$fs" "$rootfs/$fs"; done
trap 'for fs in dev sys proc; do umount -l "$rootfs/$fs" 2>/dev/null || true; done' EXIT

in_root() { chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 "$@"; }

if [ "$phase" = packages ]; then
mirror=${3:?}
cat >"$rootfs/etc/apt/sources.list" <<LIST
deb $mirror bookworm main non-free-firmware
deb $mirror bookworm-updates main non-free-firmware
deb http://deb.debian.org/debian-security bookworm-security main non-free-firmware
LIST
echo kiosk >"$rootfs/etc/hostname"
# raspi-firmware writes config.txt and cmdline.txt with this root, and copies the
# firmware, kernel and device trees into /boot/firmware (the FAT partition's contents).
mkdir -p "$rootfs/boot/firmware" "$rootfs/etc/default"
printf 'ROOTPART=LABEL=KIOSKROOT\nCONSOLES="ttyS0,115200 tty1"\n' >"$rootfs/etc/default/raspi-firmware"

# The initramfs holds only what finds the root: Pi SD card and USB, and qemu's virtio
# (the boot test). Debian's default (MODULES=most) copies ~2,000 modules one process at a
# time, which under emulation took 45 minutes per kernel or trigger.
mkdir -p "$rootfs/etc/initramfs-tools/conf.d"
echo 'MODULES=list' >"$rootfs/etc/initramfs-tools/conf.d/kiosk-modules.conf"
install -m 0644 "$here/initramfs-modules" "$rootfs/etc/initramfs-tools/modules"

echo "make image: packages in the arm64 root" >&2
in_root dpkg --force-confold --configure -a >"$rootfs/../chroot-apt.log" 2>&1 || true  # a build stopped mid-way
in_root apt-get update -q >/dev/null
# --force-confold: keep the /etc/default/raspi-firmware written above.
in_root apt-get install -y -q --no-install-recommends -o Dpkg::Options::=--force-confold \
  raspi-firmware linux-image-arm64 initramfs-tools systemd-timesyncd ifupdown isc-dhcp-client \
  polkitd sqlite3 fonts-dejavu-core libmtdev1 libgl1 libegl1 libgles2 \
  libdrm2 libgbm1 libgl1-mesa-dri >>"$rootfs/../chroot-apt.log" 2>&1 \
  || { tail -n 30 "$rootfs/../chroot-apt.log" >&2; exit 1; }

fi

if [ "$phase" = release ]; then
wheels=${3:?}
echo "make image: the first release (evdev is compiled here, under emulation)" >&2
in_root apt-get install -y -q --no-install-recommends gcc libc6-dev python3-dev \
  >>"$rootfs/../chroot-apt.log" 2>&1
rm -rf "$rootfs/tmp/kiosk-wheels"  # what an earlier, stopped build left
install -d "$rootfs/tmp/kiosk-wheels"
cp "$wheels"/* "$rootfs/tmp/kiosk-wheels/"
install -m 0755 "$here/../stage-kiosk/01-kiosk/files/first-release.sh" "$rootfs/tmp/first-release.sh"
in_root bash /tmp/first-release.sh
in_root apt-get purge -y -q --autoremove gcc libc6-dev python3-dev >>"$rootfs/../chroot-apt.log" 2>&1

# The data partition is mounted over /var/lib/kiosk at boot; what the image put there
# (the first release, empty data/backups) is copied onto it the first time.
mkdir -p "$rootfs/usr/share/kiosk/seed"
cp -a "$rootfs/var/lib/kiosk/." "$rootfs/usr/share/kiosk/seed/"
in_root apt-get clean
rm -rf "$rootfs/root/.cache" "$rootfs/var/lib/apt/lists/"*
# A DHCP client on the first wired interface, whatever its name.
printf 'auto lo\niface lo inet loopback\nallow-hotplug eth0 end0 enp0s1\niface eth0 inet dhcp\niface end0 inet dhcp\niface enp0s1 inet dhcp\n' \
  >"$rootfs/etc/network/interfaces"
fi
