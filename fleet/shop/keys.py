"""Per-store API keys for the orders API. A key is ``pos_{key_id}_{secret}``; only the
SHA-256 of the secret is stored (the secret is 32 random bytes, so a plain hash is as
good as a slow one), so a leaked database gives no usable key."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa

from fleet.storage.shop_schema import api_keys
from kiosk.contract import topics
from kiosk.contract.messages import utc_now_iso

PREFIX = "pos"
CHANNEL = re.compile(r"[a-z][a-z0-9_-]{1,31}")  # as an order's channel (OrderIn)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def add_key(conn: sa.Connection, store_id: str, label: str = "", channel: str = "") -> str:
    """A new key for ``store_id``'s orders API, for one connector's ``channel`` or (empty)
    the whole store; the only time the key is seen whole."""
    topics.check_id("store id", store_id)
    if channel and not CHANNEL.fullmatch(channel):
        raise ValueError(f"channel {channel!r}: lower-case letters, digits, - or _ "
                         "(2 to 32, a letter first), e.g. gofood")  # fmt: skip
    key_id, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    conn.execute(sa.insert(api_keys).values(
        key_id=key_id, store_id=store_id, key_hash=_digest(secret), label=label[:100],
        created_at=utc_now_iso(), revoked=False, channel=channel,
    ))  # fmt: skip
    return f"{PREFIX}_{key_id}_{secret}"


@dataclass(frozen=True)
class Holder:
    """Whose key it is: the store, the key's id and its channel ("" for the whole store)."""

    store_id: str
    key_id: str
    channel: str


def holder_of(conn: sa.Connection, key: str) -> Holder | None:
    """The key's holder, or None for a malformed, unknown or revoked key."""
    prefix, _, rest = key.partition("_")
    key_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not key_id or not secret:
        return None
    k = api_keys
    row = conn.execute(
        sa.select(k.c.store_id, k.c.key_hash, k.c.revoked, k.c.channel).where(k.c.key_id == key_id)
    ).first()
    if row is None or row.revoked or not hmac.compare_digest(row.key_hash, _digest(secret)):
        return None
    return Holder(str(row.store_id), key_id, str(row.channel))


def store_of(conn: sa.Connection, key: str) -> str | None:
    """The store a key belongs to, or None for a malformed, unknown or revoked key."""
    holder = holder_of(conn, key)
    return None if holder is None else holder.store_id
