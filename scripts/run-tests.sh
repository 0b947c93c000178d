#!/usr/bin/env bash
# Runs the whole suite under a virtual X server so the Kivy tests get a window.
set -euo pipefail
cd "$(dirname "$0")/.."
export KIVY_NO_ARGS=1 KIVY_NO_CONSOLELOG=1 KIVY_NO_FILELOG=1 KIVY_HOME="${KIVY_HOME:-$(mktemp -d)}"
export PATH="$PATH:/usr/sbin"
VENV=${VENV:-.venv}
# Kivy fills its home (mods/, icon/, config.ini) at first import, checking then creating:
# two xdist workers doing it together failed with FileExistsError. Once, here, first.
"$VENV/bin/python" -c "import kivy" >/dev/null 2>&1 || true  # pytest says why if it fails
# The whole suite (no arguments) runs on every core with pytest-xdist: UI, broker and
# PostgreSQL tests each make their own window, broker, port and database, so they do not
# share state. PYTEST_WORKERS=0 runs it in one process. worksteal, not the default
# load: load hands out chunks of hundreds of tests, and the chunk holding the UI tests
# kept one worker busy for minutes after the other had finished (tests/conftest.py
# orders the long modules first).
if [ "$#" -eq 0 ]; then
  workers=${PYTEST_WORKERS:-$(nproc)}
  if [ "$workers" -gt 1 ]; then
    set -- -n "$workers" --dist worksteal
  fi
fi
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
  exec xvfb-run -a -s "-screen 0 1280x800x24" "$VENV/bin/python" -m pytest "$@"
fi
exec "$VENV/bin/python" -m pytest "$@"
