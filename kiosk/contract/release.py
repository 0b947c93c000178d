"""A release is a wheel plus ``<wheel>.sig``: one line of base64, the ed25519 signature
of the wheel's bytes by the fleet's release key. Kiosks hold the public half (it comes
with the setup code) and install nothing that does not verify."""

from __future__ import annotations

import base64
import binascii
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # loaded where used: cryptography takes ~9 MB the till rarely needs
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

SIGNATURE_SUFFIX = ".sig"


class ReleaseSignatureError(ValueError):
    """The release is unsigned, tampered with, or signed with another key."""


def signature_path(wheel: Path) -> Path:
    return wheel.with_name(wheel.name + SIGNATURE_SUFFIX)


def sign(wheel: Path, key: Ed25519PrivateKey) -> Path:
    path = signature_path(wheel)
    path.write_text(base64.b64encode(key.sign(wheel.read_bytes())).decode() + "\n", "ascii")
    return path


def verify(wheel: Path, key: Ed25519PublicKey, signature: Path | None = None) -> None:
    path = signature or signature_path(wheel)
    try:
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise ReleaseSignatureError(f"{wheel.name} is not signed (no {path.name})") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ReleaseSignatureError(f"cannot read {path.name}: {error}") from None
    from cryptography.exceptions import InvalidSignature

    try:
        key.verify(base64.b64decode(text, validate=True), wheel.read_bytes())
    except (InvalidSignature, binascii.Error, ValueError):
        raise ReleaseSignatureError(
            f"{wheel.name} does not match its signature (tampered, or signed with another key)"
        ) from None
