"""Small real wheels standing in for releases of the till: pip installs them offline into
real virtual environments. Their ``kiosk`` passes or fails its self-test and, when
"started", writes the ready file with its version, or never does (a broken release)."""

from __future__ import annotations

import base64
import hashlib
import zipfile
from pathlib import Path

SCRIPT = """import json, os, sys

VERSION = {version!r}
BEHAVIOUR = {behaviour!r}


def main():
    if "selftest" in sys.argv:
        print("selftest", VERSION)
        return 1 if BEHAVIOUR == "selftest-fails" else 0
    if "run" in sys.argv and BEHAVIOUR != "never-ready":
        with open(os.environ["KIOSK_READY_FILE"], "w") as handle:
            json.dump({{"version": VERSION, "pid": os.getpid()}}, handle)
    return 0
"""


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_wheel(out: Path, version: str, behaviour: str = "good") -> Path:
    dist = f"pi_pos-{version}.dist-info"
    files = {
        "fakekiosk/__init__.py": SCRIPT.format(version=version, behaviour=behaviour).encode(),
        f"{dist}/METADATA": f"Metadata-Version: 2.1\nName: pi-pos\nVersion: {version}\n".encode(),
        f"{dist}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
        f"{dist}/entry_points.txt": b"[console_scripts]\nkiosk = fakekiosk:main\n",
    }
    record = [_record_line(name, data) for name, data in files.items()] + [f"{dist}/RECORD,,"]
    files[f"{dist}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = out / f"pi_pos-{version}-py3-none-any.whl"
    out.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel
