#!/bin/bash -e
# pi-gen stage: Raspberry Pi OS Lite (stage2) plus the kiosk. See image-build/README.md.
# shellcheck disable=SC2154  # ROOTFS_DIR and copy_previous come from pi-gen
if [ ! -d "${ROOTFS_DIR}" ]; then
  copy_previous
fi
