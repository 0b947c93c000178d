#!/bin/bash -e
# Runs on the build host: the kiosk's OS overlay, then the release wheels for the chroot.
# KIOSK_WHEELHOUSE: a directory with pi_pos-*.whl and every dependency's aarch64 wheel
# (`pip download` / `pip wheel` on an arm64 host; Kivy: see the README).
# KIOSK_DISPLAY: dsi7 (the official 7" screen, default) or hdmi.
# KIOSK_SETUP_PUB: the fleet's setup key (.pub) the kiosks will trust.
# KIOSK_REPO: this repository's checkout (the overlay comes from it).
# shellcheck disable=SC2154  # STAGE_DIR and ROOTFS_DIR come from pi-gen
here="${STAGE_DIR}/01-kiosk"
bash "${KIOSK_REPO:?set KIOSK_REPO to the pi-pos checkout}/image-build/install-overlay.sh" \
  "${ROOTFS_DIR}" "${KIOSK_DISPLAY:-dsi7}"
install -d -m 0755 "${ROOTFS_DIR}/etc/kiosk"
if [ -n "${KIOSK_SETUP_PUB:-}" ]; then
  install -m 0644 "${KIOSK_SETUP_PUB}" "${ROOTFS_DIR}/etc/kiosk/setup.pub"
fi
install -d -m 0755 "${ROOTFS_DIR}/tmp/kiosk-wheels"
cp "${KIOSK_WHEELHOUSE:?set KIOSK_WHEELHOUSE to the release wheels}"/*.whl \
  "${ROOTFS_DIR}/tmp/kiosk-wheels/"
install -m 0755 "${here}/files/first-release.sh" "${ROOTFS_DIR}/tmp/first-release.sh"
