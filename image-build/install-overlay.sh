#!/usr/bin/env bash
# Installs the kiosk's part of the operating system into ROOT: systemd units, the kiosk
# user, directories, udev rules, journald limits, the display's config.txt fragment and
# fstab entries; then enables the units. Used by the pi-gen stage (ROOT=$ROOTFS_DIR), by
# `make image` and by tests/appliance (ROOT = a temporary directory).
# Usage: image-build/install-overlay.sh ROOT [DISPLAY]   DISPLAY: dsi7 (default) or hdmi
set -euo pipefail

root=${1:?usage: install-overlay.sh ROOT [dsi7|hdmi]}
display=${2:-dsi7}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
root=$(cd "$root" && pwd)

case "$display" in
  dsi7|hdmi) ;;
  *) echo "install-overlay.sh: display must be dsi7 or hdmi, not '$display'" >&2; exit 2 ;;
esac

put() {  # put MODE SOURCE DEST
  install -D -m "$1" "$2" "$root$3"
}

for unit in "$repo"/systemd/kiosk*.service "$repo"/systemd/kiosk*.timer; do  # with kiosk-update@
  put 0644 "$unit" "/etc/systemd/system/$(basename "$unit")"
done
put 0644 "$repo/systemd/journald.conf.d/kiosk.conf" /etc/systemd/journald.conf.d/kiosk.conf
put 0644 "$repo/systemd/sysusers.d/kiosk.conf" /usr/lib/sysusers.d/kiosk.conf
put 0644 "$repo/systemd/tmpfiles.d/kiosk.conf" /usr/lib/tmpfiles.d/kiosk.conf
for rules in "$repo"/firmware/*.rules; do
  put 0644 "$rules" "/etc/udev/rules.d/$(basename "$rules")"
done
for fragment in "$repo"/firmware/config/*.txt; do
  [ -e "$fragment" ] || continue
  put 0644 "$fragment" "/boot/firmware/kiosk/$(basename "$fragment")"
done
put 0644 "$repo/docs/operations.md" /usr/share/doc/kiosk/operations.md
put 0644 "$here/overlay/etc/polkit-1/rules.d/50-kiosk-update.rules" \
  /etc/polkit-1/rules.d/50-kiosk-update.rules
for script in "$here"/overlay/usr/local/sbin/* "$here"/overlay/usr/local/bin/*; do
  [ -e "$script" ] || continue
  put 0755 "$script" "${script#"$here/overlay"}"
done

# config.txt includes the chosen display's fragment (once, however often this runs).
config="$root/boot/firmware/config.txt"
mkdir -p "$(dirname "$config")" && touch "$config"
sed -i '/^# kiosk display$/,+3d' "$config"
printf '# kiosk display\n[all]\ninclude kiosk/kiosk-common.txt\ninclude kiosk/display-%s.txt\n' \
  "$display" >>"$config"
# No console blanking, no boot chatter on the till's screen.
cmdline="$root/boot/firmware/cmdline.txt"
if [ -s "$cmdline" ] && ! grep -q 'consoleblank=0' "$cmdline"; then
  sed -i '1s/$/ consoleblank=0 loglevel=3 vt.global_cursor_default=0/' "$cmdline"
fi

# The data partition (ledger, settings, releases, backups) and the journal on it.
fstab="$root/etc/fstab"
touch "$fstab"
sed -i '/# kiosk data$/d' "$fstab"
# The device timeout covers the first boot, when kiosk-data-partition.service makes the
# partition (seconds on a Pi; a minute or more under qemu's emulation in make image-test).
cat >>"$fstab" <<'FSTAB'
LABEL=KIOSKDATA /var/lib/kiosk ext4 defaults,noatime,commit=30,x-systemd.device-timeout=3min 0 2 # kiosk data
/var/lib/kiosk/journal /var/log/journal none bind,x-systemd.requires-mounts-for=/var/lib/kiosk 0 0 # kiosk data
FSTAB

systemd-sysusers --root="$root"
systemd-tmpfiles --root="$root" --create kiosk.conf
systemctl --root="$root" enable kiosk-data-partition.service kiosk.service \
  kiosk-agent.service kiosk-backup.timer
# The till owns tty1; a technician logs in on tty2 or over SSH.
systemctl --root="$root" mask getty@tty1.service
