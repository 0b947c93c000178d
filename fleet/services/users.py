"""Dashboard accounts: passwords (scrypt), roles, store grants and sessions.

Roles: an ``owner`` sees every store and may command them; a ``manager`` sees and
commands the stores granted to them; a ``viewer`` only sees them. What a signed-in
person may do is an ``Access``; the services that read or command a store take one and
refuse what it does not allow (the web layer checks too, but is not the only guard).

Passwords are hashed with the standard library's scrypt (memory-hard; no extra
package on the Pi) with a random salt per password; the parameters are stored with the
hash so they can be raised later without breaking old accounts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from fleet.storage import schema

ROLES = ("owner", "manager", "viewer")
COMMANDING_ROLES = frozenset({"owner", "manager"})
SESSION_DAYS = 7
MIN_PASSWORD = 8
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # 16 MiB, ~50 ms on a laptop core


class AccessDenied(Exception):  # noqa: N818 (reads as what happened, like PermissionError)
    """The signed-in person may not see or do this (the message says what)."""


class AccountError(ValueError):
    """An account cannot be created as asked (the message says why)."""


@dataclass(frozen=True)
class Access:
    """What one signed-in person may see and do. ``stores`` is None for every store."""

    user: str
    role: str
    stores: frozenset[str] | None

    def sees(self, store_id: str) -> bool:
        return self.stores is None or store_id in self.stores

    def check_store(self, store_id: str) -> None:
        if not self.sees(store_id):
            raise AccessDenied(f"{self.user} has no access to store {store_id}")

    def check_command(self, store_id: str) -> None:
        self.check_store(store_id)
        if self.role not in COMMANDING_ROLES:
            raise AccessDenied(f"{self.user} may look but not send commands ({self.role})")

    def visible(self, store_ids: Iterable[str]) -> list[str]:
        return [s for s in store_ids if self.sees(s)]


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        got = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except ValueError:
        return False
    return hmac.compare_digest(got, base64.b64decode(digest))


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


# A hash to check against when the name is unknown, so a wrong name takes as long as a
# wrong password and the login page does not tell which names exist.
_DUMMY_HASH = hash_password(secrets.token_urlsafe(16))


def add_user(
    conn: sa.Connection, name: str, password: str, *, role: str, stores: Collection[str] | None,
    now: datetime | None = None,
) -> None:  # fmt: skip
    """Create an account; ``stores`` None grants every store."""
    name = name.strip()
    if not name or len(name) > 64 or any(ch.isspace() or ch in "/\\" for ch in name):
        raise AccountError("a user name is 1-64 characters without spaces or slashes")
    if role not in ROLES:
        raise AccountError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"the password needs at least {MIN_PASSWORD} characters")
    if stores is not None and not stores:
        raise AccountError("grant at least one store (or all)")
    if role == "owner" and stores is not None:
        raise AccountError("an owner sees every store: use --stores all")
    u = schema.users
    if conn.execute(sa.select(u.c.name).where(u.c.name == name)).first() is not None:
        raise AccountError(f"user {name} exists already")
    conn.execute(sa.insert(u).values(
        name=name, password_hash=hash_password(password), role=role,
        all_stores=stores is None, created_at=_iso(now or _now()),
    ))  # fmt: skip
    if stores is not None:
        conn.execute(
            sa.insert(schema.user_stores),
            [{"name": name, "store_id": s} for s in sorted(set(stores))],
        )


def access_of(conn: sa.Connection, name: str) -> Access | None:
    u, g = schema.users, schema.user_stores
    row = conn.execute(sa.select(u).where(u.c.name == name)).first()
    if row is None:
        return None
    if row.all_stores:
        return Access(row.name, row.role, None)
    granted = conn.execute(sa.select(g.c.store_id).where(g.c.name == name)).scalars()
    return Access(row.name, row.role, frozenset(granted))


def authenticate(conn: sa.Connection, name: str, password: str) -> Access | None:
    """The person's access when name and password match; None otherwise."""
    u = schema.users
    stored = conn.execute(sa.select(u.c.password_hash).where(u.c.name == name)).scalar()
    if not verify_password(password, stored or _DUMMY_HASH) or stored is None:
        return None
    return access_of(conn, name)


def count_users(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(schema.users)).scalar() or 0)


@dataclass(frozen=True)
class Session:
    token: str  # goes in the cookie, never stored
    csrf: str
    access: Access


def open_session(conn: sa.Connection, access: Access, now: datetime | None = None) -> Session:
    """A new session for ``access``; sessions that have expired are cleared on the way."""
    now = now or _now()
    s = schema.sessions
    conn.execute(sa.delete(s).where(s.c.expires_at <= _iso(now)))
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    conn.execute(sa.insert(schema.sessions).values(
        token_hash=_token_hash(token), name=access.user, csrf=csrf, created_at=_iso(now),
        expires_at=_iso(now + timedelta(days=SESSION_DAYS)),
    ))  # fmt: skip
    return Session(token, csrf, access)


def find_session(conn: sa.Connection, token: str, now: datetime | None = None) -> Session | None:
    """The live session of a cookie's token (its grants as they are now), else None."""
    s = schema.sessions
    row = conn.execute(sa.select(s).where(s.c.token_hash == _token_hash(token))).first()
    if row is None or row.expires_at <= _iso(now or _now()):
        return None
    access = access_of(conn, row.name)
    return Session(token, row.csrf, access) if access is not None else None


def close_session(conn: sa.Connection, token: str) -> None:
    s = schema.sessions
    conn.execute(sa.delete(s).where(s.c.token_hash == _token_hash(token)))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
