#!/bin/bash
# In the image's chroot: the first release's virtual environment, as `kiosk update`
# lays them out (releases/<version>-<sha8>, current -> it), from the wheelhouse only.
set -euo pipefail
wheels=/tmp/kiosk-wheels
app=/var/lib/kiosk/app
wheel=$(ls "$wheels"/pi_pos-*.whl)
version=$(basename "$wheel" | cut -d- -f2)
digest=$(sha256sum "$wheel" | cut -c1-8)
release="$app/releases/$version-$digest"
python3 -m venv "$release"
# Dependencies published only as source for this machine (evdev) become wheels here,
# once: the card then keeps only wheels, and later releases install offline.
for sdist in "$wheels"/*.tar.gz; do
  [ -e "$sdist" ] || continue
  "$release/bin/pip" wheel --quiet --no-index --find-links "$wheels" --no-deps \
    --wheel-dir "$wheels" "$sdist"
  rm "$sdist"
done
# The `pi` extra (lgpio, pyusb) when the wheelhouse has lgpio (Raspberry Pi OS builds it
# against its liblgpio); Debian has no liblgpio, so there gpiozero uses its native pins.
extras=""
if ls "$wheels"/lgpio-*.whl >/dev/null 2>&1; then extras="[pi]"; fi
# shellcheck disable=SC2046  # one argument per pyusb wheel found (zero or one)
"$release/bin/pip" install --quiet --no-index --find-links "$wheels" "${wheel}${extras}" \
  $(ls "$wheels"/pyusb-*.whl 2>/dev/null)
ln -sfn "releases/$version-$digest" "$app/current"
"$release/bin/kiosk" --data-dir /tmp/kiosk-selftest selftest
# The wheels stay on the card: a later release fetched by the agent brings only pi_pos
# and installs its dependencies from here (kiosk update's --find-links).
mkdir -p "$app/wheels" && cp "$wheels"/*.whl "$app/wheels/"
rm -rf /tmp/kiosk-selftest "$wheels" /tmp/first-release.sh
