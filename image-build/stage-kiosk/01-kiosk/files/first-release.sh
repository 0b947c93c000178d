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
"$release/bin/pip" install --quiet --no-index --find-links "$wheels" "$wheel"
ln -sfn "releases/$version-$digest" "$app/current"
"$release/bin/kiosk" --data-dir /tmp/kiosk-selftest selftest
# The wheels stay on the card: a later release fetched by the agent brings only pi_pos
# and installs its dependencies from here (kiosk update's --find-links).
mkdir -p "$app/wheels" && cp "$wheels"/*.whl "$app/wheels/"
rm -rf /tmp/kiosk-selftest "$wheels" /tmp/first-release.sh
