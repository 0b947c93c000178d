#!/usr/bin/env bash
# A read-only root for the Debian image: / and the firmware partition mounted ro, RAM for
# what the system writes while it runs (logs before the data partition, timers' stamps,
# DHCP leases); the till's data lives on KIOSKDATA (install-overlay.sh's fstab lines).
# Debian has no raspi-config overlayfs, so this is done with fstab. Usage: readonly-root.sh ROOTFS
set -euo pipefail
rootfs=${1:?usage: readonly-root.sh ROOTFS}
fstab="$rootfs/etc/fstab"
sed -i '/# kiosk root$/d' "$fstab"
{
  echo 'LABEL=KIOSKROOT / ext4 ro,noatime 0 1 # kiosk root'
  echo 'LABEL=KIOSKFW /boot/firmware vfat ro,noatime,umask=0022 0 2 # kiosk root'
  for dir in /tmp /var/tmp; do
    echo "tmpfs $dir tmpfs nosuid,nodev,mode=1777,size=64m 0 0 # kiosk root"
  done
  for dir in /var/log /var/cache /var/lib/systemd /var/lib/dhcp /var/spool; do
    echo "tmpfs $dir tmpfs nosuid,nodev,mode=0755,size=64m 0 0 # kiosk root"
  done
} >"$fstab.root"
# The root's own lines first: the data partition and the journal bind mount after them.
cat "$fstab.root" "$fstab" >"$fstab.new" && rm "$fstab.root" && mv "$fstab.new" "$fstab"
chmod 1777 "$rootfs/tmp"
# An empty machine-id: systemd keeps a fresh one in RAM on every boot of a read-only root.
: >"$rootfs/etc/machine-id"
ln -sfn /run/resolv.conf "$rootfs/etc/resolv.conf"
cmdline="$rootfs/boot/firmware/cmdline.txt"
if [ -s "$cmdline" ]; then
  sed -i -e 's/\brw\b/ro/' "$cmdline"
  grep -qw ro "$cmdline" || sed -i '1s/$/ ro/' "$cmdline"
fi
