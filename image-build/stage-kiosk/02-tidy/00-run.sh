#!/bin/bash -e
# The image keeps no build tools' caches.
# shellcheck disable=SC2154  # ROOTFS_DIR comes from pi-gen
rm -rf "${ROOTFS_DIR}/root/.cache/pip" "${ROOTFS_DIR}/var/cache/apt/archives/"*.deb
