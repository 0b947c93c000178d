"""The acquirers' payment notifications, verified and relayed to the kiosks.

A kiosk behind NAT cannot receive webhooks, so the acquirer notifies the fleet: Midtrans
posts its HTTP notification (signed with ``signature_key`` = hex SHA-512 of order_id +
status_code + gross_amount + server key, strings as received), a BI-SNAP acquirer posts
``qr-mpm-notify`` (SHA256withRSA by the acquirer over ``POST:path:lowerhex(SHA256(minified
body)):X-TIMESTAMP``). Only a verified notification becomes a ``cmd/payment`` to the
store's kiosks (or the one kiosk named in the URL); the kiosk applies it once per order
(shared/QRIS-GATEWAYS.md sections 1 and 2). The fleet imports no kiosk payment code: the
checks here are written from the providers' documentation.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

# Midtrans transaction_status -> the kiosk's payment status; anything else is not relayed
# (refund, partial_refund, chargeback, authorize: the kiosk has no such waiting state).
MIDTRANS_STATUS = {"settlement": "paid", "capture": "paid", "pending": "pending",
                   "expire": "expired", "cancel": "cancelled", "deny": "failed",
                   "failure": "failed"}  # fmt: skip
# SNAP latestTransactionStatus -> status ("04" refunded, "07" not found: not relayed).
SNAP_STATUS = {"00": "paid", "03": "pending", "05": "cancelled", "06": "failed",
               "08": "expired", "09": "failed"}  # fmt: skip
_AMOUNT = re.compile(r"([1-9][0-9]{0,11})(?:\.00?)?")


class NotificationRefused(Exception):  # noqa: N818 (what happened, like PermissionError)
    """A notification that is not verified or not readable: nothing is relayed."""


@dataclass(frozen=True)
class RelayKeys:
    """What verifies the notifications: the Midtrans server key and the SNAP acquirer's
    public key (PEM). Empty: that provider's notifications are refused."""

    midtrans_server_key: str = ""
    snap_public_key_pem: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> RelayKeys:
        """``FLEET_MIDTRANS_SERVER_KEY``; ``FLEET_SNAP_PUBLIC_KEY`` (PEM text or a path)."""
        pem = env.get("FLEET_SNAP_PUBLIC_KEY", "")
        if pem and "BEGIN" not in pem and Path(pem).is_file():
            pem = Path(pem).read_text(encoding="ascii")
        return cls(env.get("FLEET_MIDTRANS_SERVER_KEY", ""), pem)


def _amount(text: object) -> int:
    match = _AMOUNT.fullmatch(str(text))
    if match is None:
        raise NotificationRefused(f"amount {text!r} is not whole rupiah")
    return int(match.group(1))


def midtrans_signature(order_id: str, status_code: str, gross_amount: str, key: str) -> str:
    text = f"{order_id}{status_code}{gross_amount}{key}"
    return hashlib.sha512(text.encode()).hexdigest()


def midtrans_payment(body: object, server_key: str) -> dict[str, Any] | None:
    """The ``cmd/payment`` body for a verified Midtrans notification; None when it says
    nothing the kiosk waits for. Raises ``NotificationRefused`` (bad signature, fields)."""
    if not server_key:
        raise NotificationRefused("no Midtrans server key is set on the fleet")
    if not isinstance(body, dict):
        raise NotificationRefused("the notification is not a JSON object")
    fields = ("order_id", "status_code", "gross_amount", "signature_key", "transaction_status")
    if not all(isinstance(body.get(f), str) and body[f] for f in fields):
        raise NotificationRefused("order_id, status_code, gross_amount, signature_key needed")
    expected = midtrans_signature(body["order_id"], body["status_code"], body["gross_amount"],
                                  server_key)  # fmt: skip
    if not hmac.compare_digest(expected, body["signature_key"].lower()):
        raise NotificationRefused("signature_key does not match")
    status = MIDTRANS_STATUS.get(body["transaction_status"])
    if status is None:
        return None
    if status == "paid" and body.get("fraud_status", "accept") != "accept":
        return None  # "challenge": not paid until Midtrans accepts it
    return {"order_id": body["order_id"], "status": status,
            "amount": _amount(body["gross_amount"]), "provider": "midtrans",
            "reference": str(body.get("transaction_id", ""))[:64]}  # fmt: skip


def minify(raw: bytes) -> bytes:
    """The body without whitespace outside strings (what the acquirer hashed)."""
    out, in_string, escaped = bytearray(), False, False
    for byte in raw:
        if in_string:
            out.append(byte)
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
            out.append(byte)
        elif byte not in b" \t\r\n":
            out.append(byte)
    return bytes(out)


def snap_string_to_sign(path: str, raw: bytes, stamp: str) -> bytes:
    digest = hashlib.sha256(minify(raw)).hexdigest().lower()
    return f"POST:{path}:{digest}:{stamp}".encode()


def snap_payment(
    raw: bytes, path: str, headers: Mapping[str, str], public_key_pem: str
) -> dict[str, Any] | None:
    """The ``cmd/payment`` body for a verified SNAP ``qr-mpm-notify``; None when it says
    nothing the kiosk waits for. ``path`` is the request's path as the acquirer sent it."""
    if not public_key_pem:
        raise NotificationRefused("no SNAP acquirer public key is set on the fleet")
    stamp, signature = headers.get("x-timestamp", ""), headers.get("x-signature", "")
    if not stamp or not signature:
        raise NotificationRefused("X-TIMESTAMP and X-SIGNATURE are needed")
    key = serialization.load_pem_public_key(public_key_pem.encode())
    if not isinstance(key, rsa.RSAPublicKey):
        raise NotificationRefused("the SNAP public key is not an RSA key")
    try:
        key.verify(base64.b64decode(signature, validate=True),
                   snap_string_to_sign(path, raw, stamp), padding.PKCS1v15(),
                   hashes.SHA256())  # fmt: skip
    except (InvalidSignature, ValueError):
        raise NotificationRefused("X-SIGNATURE does not verify") from None
    try:
        body = json.loads(raw)
    except json.JSONDecodeError:
        raise NotificationRefused("the notification is not JSON") from None
    if not isinstance(body, dict) or not isinstance(body.get("amount"), dict):
        raise NotificationRefused("originalPartnerReferenceNo and amount are needed")
    order_id = body.get("originalPartnerReferenceNo")
    if not isinstance(order_id, str) or not order_id:
        raise NotificationRefused("originalPartnerReferenceNo is needed")
    status = SNAP_STATUS.get(str(body.get("latestTransactionStatus", "")))
    if status is None:
        return None
    return {"order_id": order_id, "status": status, "amount": _amount(body["amount"].get("value")),
            "provider": "snap",
            "reference": str(body.get("originalReferenceNo", ""))[:64]}  # fmt: skip
