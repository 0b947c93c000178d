"""The setup code a fleet prints and a kiosk scans once to be provisioned.

    PPOS1.<body>.<checksum>[.<signature>]

``body`` is base64url JSON (store id, device id, broker, time zone, optionally the
release key for updates); ``checksum`` the first 12 hex digits of its SHA-256, so a
damaged or mistyped code is named as such; ``signature`` an ed25519 signature by the
fleet's setup key over ``PPOS1.<body>``. A kiosk that trusts a setup key (installed in
the image) refuses a code without a valid signature. Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:  # loaded where used: cryptography takes ~9 MB the till rarely needs
    from cryptography.hazmat.primitives.asymmetric.ed25519 import (
        Ed25519PrivateKey,
        Ed25519PublicKey,
    )

PREFIX = "PPOS1"
MAX_LENGTH = 2048
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$")


class SetupCodeError(ValueError):
    """Why a setup code is refused, in words for the person holding it. ``kind`` sorts it
    for a screen: "not_a_code", "damaged", "not_trusted" or "invalid"."""

    def __init__(self, message: str, kind: str = "invalid") -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Broker:
    host: str
    port: int = 8883
    username: str = ""
    password: str = ""
    tls: bool = True


@dataclass(frozen=True)
class SetupCode:
    store_id: str
    device_id: str
    broker: Broker
    timezone: str = "Asia/Jakarta"
    release_key: str = ""  # base64 of the ed25519 public key releases are signed with
    issued_at: str = ""
    signed: bool = field(default=False, compare=False)

    def body(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "v": 1, "store_id": self.store_id, "device_id": self.device_id,
            "timezone": self.timezone, "issued_at": self.issued_at,
            "broker": {"host": self.broker.host, "port": self.broker.port,
                       "username": self.broker.username, "password": self.broker.password,
                       "tls": self.broker.tls},
        }  # fmt: skip
        if self.release_key:
            doc["release_key"] = self.release_key
        return doc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def checksum(signed_part: str) -> str:
    return hashlib.sha256(signed_part.encode()).hexdigest()[:12]


def encode(code: SetupCode, key: Ed25519PrivateKey | None) -> str:
    """The text to put in the QR code (or a file); signed when a key is given."""
    check(code.body())
    head = f"{PREFIX}.{_b64(json.dumps(code.body(), separators=(',', ':')).encode())}"
    text = f"{head}.{checksum(head)}"
    if key is not None:
        text += "." + _b64(key.sign(head.encode()))
    return text


def decode(text: str, trusted: Ed25519PublicKey | None) -> SetupCode:
    """The setup code in ``text``; ``SetupCodeError`` says why it is refused."""
    text = text.strip()
    if len(text) > MAX_LENGTH:
        raise SetupCodeError("this is not a setup code (too long)", "not_a_code")
    parts = text.split(".")
    if parts[0] != PREFIX or len(parts) not in (3, 4):
        raise SetupCodeError("this is not a setup code (it must start with PPOS1.)", "not_a_code")
    head = f"{parts[0]}.{parts[1]}"
    if parts[2].lower() != checksum(head):
        raise SetupCodeError(
            "the setup code is damaged or incomplete (checksum does not match)", "damaged"
        )
    signature = parts[3] if len(parts) == 4 else ""
    if trusted is not None:
        if not signature:
            raise SetupCodeError(
                "the setup code is not signed; this kiosk accepts signed codes only"
            )
        from cryptography.exceptions import InvalidSignature

        try:
            trusted.verify(_unb64(signature), head.encode())
        except (InvalidSignature, binascii.Error, ValueError):
            raise SetupCodeError(
                "the setup code's signature is not from this fleet (tampered or foreign)",
                "not_trusted",
            ) from None
    try:
        doc = json.loads(_unb64(parts[1]))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise SetupCodeError(
            "the setup code is damaged (its content is not readable)", "damaged"
        ) from None
    check(doc)
    broker = doc["broker"]
    return SetupCode(
        store_id=doc["store_id"], device_id=doc["device_id"], timezone=doc["timezone"],
        broker=Broker(broker["host"], broker["port"], broker["username"], broker["password"],
                      broker["tls"]),
        release_key=doc.get("release_key", ""), issued_at=doc.get("issued_at", ""),
        signed=trusted is not None,
    )  # fmt: skip


def check(doc: Any) -> None:
    """Every field present, of its type and within bounds; the first problem is raised."""
    if not isinstance(doc, dict) or doc.get("v") != 1:
        raise SetupCodeError("the setup code is from another version of the software")
    for key in ("store_id", "device_id"):
        if not isinstance(doc.get(key), str) or not _NAME.match(doc[key]):
            raise SetupCodeError(f"{key} must be 1-64 letters, digits, '.', '_' or '-'")
    try:
        ZoneInfo(str(doc.get("timezone")))
    except (ZoneInfoNotFoundError, ValueError):
        raise SetupCodeError(f"unknown time zone {doc.get('timezone')!r}") from None
    broker = doc.get("broker")
    if not isinstance(broker, dict):
        raise SetupCodeError("the setup code has no broker")
    if not isinstance(broker.get("host"), str) or not _HOST.match(broker["host"]):
        raise SetupCodeError("broker host must be a host name or address")
    port = broker.get("port")
    if not isinstance(port, int) or isinstance(port, bool) or not 1 <= port <= 65535:
        raise SetupCodeError("broker port must be 1..65535")
    for key in ("username", "password"):
        if not isinstance(broker.get(key), str) or len(broker[key]) > 256:
            raise SetupCodeError(f"broker {key} must be text of at most 256 characters")
    if not isinstance(broker.get("tls"), bool):
        raise SetupCodeError("broker tls must be true or false")
    release_key = doc.get("release_key", "")
    if release_key and not _is_public_key(release_key):
        raise SetupCodeError("release_key must be a base64 ed25519 public key")


def _is_public_key(text: Any) -> bool:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(base64.b64decode(str(text), validate=True))
    except (binascii.Error, ValueError):
        return False
    return True


def public_key_text(key: Ed25519PublicKey) -> str:
    """A public key as the one line of base64 that key files and setup codes hold."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    return base64.b64encode(key.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def load_public_key(text: str) -> Ed25519PublicKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text.strip(), validate=True))
    except (binascii.Error, ValueError):
        raise SetupCodeError("a key file must hold one base64 ed25519 public key") from None
