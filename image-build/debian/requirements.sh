#!/usr/bin/env bash
# The kiosk's runtime requirements for the image (pyproject's dependencies and the `pi`
# extra), one per line, without those PyPI has only as source for aarch64: evdev (its
# source release is built in the image) and lgpio (it needs the lg C library, which Debian
# does not package; gpiozero then uses its native pins).
set -euo pipefail
python3 - "${1:?usage: requirements.sh REPO}/pyproject.toml" <<'PY'
import sys
import tomllib

project = tomllib.load(open(sys.argv[1], "rb"))["project"]
for req in project["dependencies"] + project["optional-dependencies"]["pi"]:
    name, _, marker = req.partition(";")
    if name.strip().startswith(("evdev", "lgpio")):
        continue
    # The image is linux/aarch64: requirements for other machines are dropped.
    if "platform_machine" in marker and "aarch64" not in marker:
        continue
    print(name.strip())
PY
