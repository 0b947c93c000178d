#!/bin/bash -e
# In the chroot: the first release, then what a till does not need.
bash /tmp/first-release.sh

# The data partition is mounted over /var/lib/kiosk at boot; what the image put there
# (the first release, empty data/backups) is copied onto it the first time.
mkdir -p /usr/share/kiosk/seed
cp -a /var/lib/kiosk/. /usr/share/kiosk/seed/

for unit in bluetooth.service hciuart.service triggerhappy.service avahi-daemon.service \
            ModemManager.service apt-daily.timer apt-daily-upgrade.timer man-db.timer \
            dphys-swapfile.service; do
  systemctl disable "$unit" 2>/dev/null || true
done
# No swap on an SD card.
apt-get purge -y dphys-swapfile cups ipp-usb 2>/dev/null || true

# Read-only root: an overlay in RAM over the SD card's root (raspi-config's overlayfs).
raspi-config nonint do_overlayfs 0
