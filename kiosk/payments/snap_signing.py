"""BI-SNAP request signing (shared/QRIS-GATEWAYS.md §2), pure functions both our client
and the test acquirer use, so a test that verifies a signature checks the real formula.

- Access token: X-SIGNATURE = Base64(SHA256withRSA(private key, "client_id|X-TIMESTAMP")).
- Transactions: X-SIGNATURE = Base64(HMAC-SHA512(client secret,
  "METHOD:path:token:lowerhex(SHA256(minified body)):X-TIMESTAMP")).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa


def minify(body: dict[str, Any]) -> bytes:
    return json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()


def timestamp(moment: datetime) -> str:
    """ISO 8601 with the offset and whole seconds: 2024-03-19T14:30:00+07:00."""
    if moment.tzinfo is None:
        raise ValueError("SNAP timestamps need a time zone")
    return moment.isoformat(timespec="seconds")


def token_string(client_id: str, stamp: str) -> bytes:
    return f"{client_id}|{stamp}".encode()


def sign_token(private_key: rsa.RSAPrivateKey, client_id: str, stamp: str) -> str:
    signature = private_key.sign(
        token_string(client_id, stamp), padding.PKCS1v15(), hashes.SHA256()
    )
    return base64.b64encode(signature).decode()


def verify_token(public_key: rsa.RSAPublicKey, client_id: str, stamp: str, given: str) -> bool:
    try:
        public_key.verify(
            base64.b64decode(given, validate=True),
            token_string(client_id, stamp),
            padding.PKCS1v15(),
            hashes.SHA256(),
        )
    except (InvalidSignature, ValueError):  # binascii.Error is a ValueError
        return False
    return True


def request_string(method: str, path: str, token: str, body: bytes, *, stamp: str) -> bytes:
    digest = hashlib.sha256(body).hexdigest().lower()
    return f"{method.upper()}:{path}:{token}:{digest}:{stamp}".encode()


def sign_request(
    secret: str, method: str, path: str, token: str, body: bytes, *, stamp: str
) -> str:
    mac = hmac.new(
        secret.encode(), request_string(method, path, token, body, stamp=stamp), "sha512"
    )
    return base64.b64encode(mac.digest()).decode()
