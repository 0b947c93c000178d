"""The releases the fleet serves to its kiosks: a directory of signed wheels
(``fleet run --releases DIR``, filled with ``python -m fleet.releases sign`` output).

A kiosk is only ever sent a release that is on the shelf with its signature; the kiosk
checks the sha256 announced here and the signature against its own provisioned key, so
the shelf itself needs no secret and its files may be served without a login.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.contract.commands import WHEEL_PATTERN
from kiosk.contract.release import SIGNATURE_SUFFIX

_WHEEL = re.compile(WHEEL_PATTERN)


class ReleaseError(Exception):
    """Not a release on the shelf (unknown, unsigned or a bad name); says which."""


@dataclass(frozen=True)
class Release:
    name: str
    version: str
    sha256: str
    size: int


@dataclass(frozen=True)
class ReleaseShelf:
    folder: Path
    public_url: str  # how kiosks reach this fleet, e.g. https://fleet.example.id

    def releases(self) -> list[Release]:
        """Every signed wheel on the shelf, newest name first."""
        found = []
        for wheel in sorted(self.folder.glob("*.whl"), reverse=True):
            if _WHEEL.match(wheel.name) and self._signature(wheel.name).is_file():
                found.append(self._release(wheel))
        return found

    def file(self, name: str) -> Path:
        """The wheel or signature to serve for ``name``; ReleaseError when it is not one."""
        wheel = name.removesuffix(SIGNATURE_SUFFIX)
        if not _WHEEL.match(wheel):
            raise ReleaseError(f"{name!r} is not a release file name")
        path = self.folder / name
        if not path.is_file() or not self._signature(wheel).is_file():
            raise ReleaseError(f"{wheel} is not on the shelf (or is not signed)")
        return path

    def update_body(self, name: str) -> dict[str, Any]:
        """The body of ``cmd/update`` for release ``name``."""
        release = self._release(self.file(name))
        return {
            "version": release.version,
            "wheel": release.name,
            "url": f"{self.public_url.rstrip('/')}/releases/{release.name}",
            "sha256": release.sha256,
        }

    def _signature(self, wheel: str) -> Path:
        return self.folder / (wheel + SIGNATURE_SUFFIX)

    def _release(self, wheel: Path) -> Release:
        if wheel.name.endswith(SIGNATURE_SUFFIX):
            raise ReleaseError(f"{wheel.name} is a signature, not a release")
        data = wheel.read_bytes()
        return Release(wheel.name, wheel.name.split("-")[1], hashlib.sha256(data).hexdigest(),
                       len(data))  # fmt: skip
