"""Provisioning: a setup code (scanned, typed, or a file on a USB stick) becomes this
kiosk's store id, device id, broker and time zone, all at once or not at all.

The setup key the code must be signed with is installed by the image (``/etc/kiosk/
setup.pub``, or ``KIOSK_SETUP_KEY``). The release key the code carries is kept in the
data directory for ``kiosk update``. ``provisioned.json`` marks the data directory as
set up; until it exists, ``KIOSK_REQUIRE_SETUP=1`` (the image's kiosk.service) makes
``kiosk run`` show the "scan your setup code" screen. Other commands never need it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.appliance.files import write_atomically
from kiosk.contract.setup_code import SetupCode, SetupCodeError, decode, load_public_key
from kiosk.storage.settings import Settings, SettingsError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

MARKER = "provisioned.json"
RELEASE_KEY = Path("keys") / "release.pub"
SYSTEM_SETUP_KEY = Path("/etc/kiosk/setup.pub")
SETUP_FILE = "kiosk-setup.txt"
USB_PATHS = (Path("/media/kiosk-usb"),)


class ProvisionError(SetupCodeError):
    """A setup code or file refused; nothing was changed."""


@dataclass(frozen=True)
class Provisioned:
    store_id: str
    device_id: str
    signed: bool


def setup_required() -> bool:
    return os.environ.get("KIOSK_REQUIRE_SETUP", "") == "1"


def is_provisioned(data_dir: Path) -> bool:
    return (data_dir / MARKER).is_file()


def trusted_setup_key() -> Ed25519PublicKey | None:
    """The fleet's setup key this kiosk trusts, or None (then only the checksum is checked)."""
    path = Path(os.environ.get("KIOSK_SETUP_KEY", "") or SYSTEM_SETUP_KEY)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise ProvisionError(f"cannot read the setup key {path}: {error}") from None
    try:
        return load_public_key(text)
    except SetupCodeError as error:
        raise ProvisionError(f"{path}: {error}") from None


def read_code(text: str) -> SetupCode:
    try:
        return decode(text, trusted_setup_key())
    except SetupCodeError as error:
        raise ProvisionError(str(error), error.kind) from None


def provision(data_dir: Path, text: str) -> Provisioned:
    """Check the code completely, then apply it: settings in one atomic write, then the
    release key, then the marker. A refused code changes nothing."""
    code = read_code(text)
    changes = {
        "store_id": code.store_id, "device_id": code.device_id, "timezone": code.timezone,
        "broker.host": code.broker.host, "broker.port": code.broker.port,
        "broker.username": code.broker.username, "broker.password": code.broker.password,
        "broker.tls": code.broker.tls,
    }  # fmt: skip
    try:
        settings = Settings(data_dir / "settings.json")
    except SettingsError as error:
        raise ProvisionError(f"the settings cannot be read: {error}") from None
    try:
        settings.set_many(changes)
    except SettingsError as error:
        raise ProvisionError(str(error)) from None
    finally:
        settings.close()
    if code.release_key:
        write_atomically(data_dir / RELEASE_KEY, code.release_key + "\n")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    marker = {"store_id": code.store_id, "device_id": code.device_id, "signed": code.signed,
              "issued_at": code.issued_at, "at": now}  # fmt: skip
    write_atomically(data_dir / MARKER, json.dumps(marker, sort_keys=True) + "\n")
    return Provisioned(code.store_id, code.device_id, code.signed)


def setup_search_paths() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("KIOSK_SETUP_PATHS", "").split(":") if p]
    return [*extra, *USB_PATHS]


def find_setup_file(places: Iterable[Path]) -> Path | None:
    """The first ``kiosk-setup.txt`` in ``places`` (directories or the file itself)."""
    for place in places:
        candidate = place / SETUP_FILE if place.is_dir() else place
        if candidate.is_file():
            return candidate
    return None


def read_setup_file(path: Path) -> str:
    try:
        if path.stat().st_size > 64 * 1024:
            raise ProvisionError(f"{path} is too large to be a setup code")
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ProvisionError(f"cannot read {path}: {error}") from None


@dataclass(frozen=True)
class SetupHooks:
    """What the first-boot screen needs, without reaching storage itself."""

    data_dir: Path

    def provision(self, text: str) -> Provisioned:
        return provision(self.data_dir, text)

    def setup_file_text(self) -> str | None:
        """The text of a ``kiosk-setup.txt`` on a USB stick, if one is plugged in."""
        path = find_setup_file(setup_search_paths())
        return None if path is None else read_setup_file(path)
