#!/usr/bin/env bash
# `make run`: the kiosk on simulated hardware with the demo catalog.
# Uses a real display when there is one; otherwise a virtual one (Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export KIOSK_DATA_DIR=${KIOSK_DATA_DIR:-$PWD/var/demo}
export KIOSK_HARDWARE=simulated KIVY_NO_ARGS=1
mkdir -p "$KIOSK_DATA_DIR"
if [ ! -f "$KIOSK_DATA_DIR/.demo-loaded" ]; then
  "$VENV/bin/kiosk" demo-data --days 7
  touch "$KIOSK_DATA_DIR/.demo-loaded"
fi
# The demo's e-receipt QR points at the fleet that `make run-fleet` serves here. A real
# device has none until it is provisioned (receipt.url empty: no QR), and a demo whose
# address was set otherwise keeps it.
DEMO_RECEIPT_URL=${DEMO_RECEIPT_URL:-"http://127.0.0.1:8080/r/{sale_id}"}
if [ -z "$("$VENV/bin/kiosk" settings get receipt.url)" ]; then
  "$VENV/bin/kiosk" settings set receipt.url "$DEMO_RECEIPT_URL" >/dev/null
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  echo "no display found: running on a virtual screen (Xvfb)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/kiosk" run --hardware simulated "$@"
fi
exec "$VENV/bin/kiosk" run --hardware simulated "$@"
