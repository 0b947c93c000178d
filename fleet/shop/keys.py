"""Per-store API keys for the orders API. A key is ``pos_{key_id}_{secret}``; only the
SHA-256 of the secret is stored (the secret is 32 random bytes, so a plain hash is as
good as a slow one), so a leaked database gives no usable key."""

from __future__ import annotations

import hashlib
import hmac
import secrets

import sqlalchemy as sa

from fleet.storage.shop_schema import api_keys
from kiosk.contract import topics
from kiosk.contract.messages import utc_now_iso

PREFIX = "pos"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_key(conn: sa.Connection, store_id: str, label: str = "") -> str:
    """A new key for ``store_id``'s orders API; the only time the key is seen whole."""
    topics.check_id("store id", store_id)
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    conn.execute(sa.insert(api_keys).values(
        key_id=key_id, store_id=store_id, key_hash=_digest(secret), label=label[:100],
        created_at=utc_now_iso(), revoked=False,
    ))  # fmt: skip
    return f"{PREFIX}_{key_id}_{secret}"


def store_of(conn: sa.Connection, key: str) -> str | None:
    """The store a key belongs to, or None for a malformed, unknown or revoked key."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    row = conn.execute(
        sa.select(api_keys.c.store_id, api_keys.c.key_hash, api_keys.c.revoked).where(
            api_keys.c.key_id == key_id
        )
    ).first()
    if row is None or row.revoked or not hmac.compare_digest(row.key_hash, _digest(secret)):
        return None
    return str(row.store_id)
