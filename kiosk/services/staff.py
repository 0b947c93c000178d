"""Staff: who may log in to the till, who may approve what.

PINs are stored as salted scrypt hashes keyed with a secret kept outside the ledger; a
badge is a barcode printed on the staff card (a supervisor's or manager's also needs the
PIN).
Every permission check lives here so a screen never decides who may void or discount.
Runs on the services thread; the repository is a port implemented in kiosk.storage.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.domain.error_codes import ACTION_TERMS, ROLE_TERMS, Term
from kiosk.domain.errors import ShownError

ROLES = ("cashier", "supervisor", "manager")
# A badge alone signs in only these roles; a supervisor's or manager's badge also needs
# the PIN, so a lost or copied manager card does not open the till's every door.
BADGE_ALONE = ("cashier",)

# The lowest role allowed to do each action; higher roles inherit it.
PERMISSIONS: dict[str, str] = {
    "sell": "cashier",
    "attend": "cashier",  # unlock a self-checkout, approve an age check, help a customer
    "void": "cashier",
    "suspend": "cashier",
    "reprint": "cashier",  # a copy, marked as one; journaled with who asked
    "discount": "supervisor",
    "price_override": "supervisor",
    "no_sale": "supervisor",
    "reports": "supervisor",
    "approve_limit": "supervisor",
    "refund": "supervisor",
    "refund_check": "supervisor",  # clear a blocked refund share by the provider's answer
    "refund_check_manual": "manager",  # ... by what someone saw when the provider cannot say
    "qris_static": "cashier",  # confirm a static QRIS payment seen in the shop's app
    "shift": "cashier",  # open and close one's own shift
    "cash_move": "cashier",  # cash in / cash out of one's own shift
    "z_close": "supervisor",
    "stock_receive": "supervisor",
    "stock_adjust": "supervisor",
    "stocktake": "supervisor",
    "loyalty_adjust": "manager",
    "staff_admin": "manager",
    "exit_kiosk": "manager",
}

# scrypt cost: ~16 MiB and a few tens of ms per check on a Pi 4. A 4-digit PIN has only
# 10,000 values, so no cost stops a search on its own: the stored hash is also keyed
# (HMAC-SHA256) with a secret kept outside the ledger, and a copied ledger alone gives no
# way to test a guess. The cost is written into each hash, so it can change later.
SCRYPT_N = 2**14
_SCRYPT = {"r": 8, "p": 1, "dklen": 32}
SCHEME = "k1"
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_SECONDS = 60.0
MAX_LOCKOUT_DOUBLINGS = 4  # 60 s, 120 s, ... 16 min while wrong PINs keep coming


class StaffError(ShownError):
    """A staff request refused (wrong PIN, locked out, role too low)."""


class NotAllowedError(StaffError):
    """Nobody is logged in, or the one who is may not do this (the replay's exit 3)."""


class PinNeededError(StaffError):
    """A supervisor's or manager's badge was read: their PIN must follow."""

    def __init__(self, member: StaffMember) -> None:
        super().__init__(f"{member.name}: enter your PIN")
        self.member = member
        self.code, self.params = "staff.enter_pin", {"name": member.name}


@dataclass(frozen=True)
class StaffMember:
    staff_id: str
    name: str
    role: str
    badge: str = ""
    active: bool = True

    def may(self, action: str) -> bool:
        return role_allows(self.role, action)


class StaffRepository(Protocol):
    """Rows are dicts with keys staff_id, name, role, pin_hash, pin_salt, badge, active.
    The guard is one dict: failed, lockouts, locked_until (epoch seconds), key_check."""

    def save(self, row: dict[str, Any]) -> None: ...
    def get(self, staff_id: str) -> dict[str, Any] | None: ...
    def by_badge(self, badge: str) -> dict[str, Any] | None: ...
    def all(self) -> list[dict[str, Any]]: ...
    def guard(self) -> dict[str, Any]: ...
    def save_guard(self, changes: dict[str, Any]) -> None: ...
    def replace_hashes(self, hashes: dict[str, str], key_check: str) -> None: ...


def not_allowed(member: StaffMember, action: str) -> NotAllowedError:
    """``member`` may not do ``action``: worded with the role and the action, never
    their internal names, on a screen (the English message keeps them for the logs)."""
    needed = PERMISSIONS[action]
    return NotAllowedError.of(
        "staff.not_allowed",
        name=member.name,
        role=Term(ROLE_TERMS.get(member.role, member.role)),
        action=Term(ACTION_TERMS.get(action, action)),
        needed=Term(ROLE_TERMS[needed]),
        message=f"{member.name} ({member.role}) may not {action}; needs {needed}",
    )


def role_allows(role: str, action: str) -> bool:
    if role not in ROLES:
        return False
    needed = PERMISSIONS.get(action)
    if needed is None:
        raise StaffError.of("staff.unknown_action", message=f"unknown action {action!r}")
    return ROLES.index(role) >= ROLES.index(needed)


def scrypt_digest(pin: str, salt: bytes, n: int = SCRYPT_N) -> bytes:
    """The unkeyed part; on its own it is what the old (unkeyed) hashes stored."""
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=n, **_SCRYPT)


def keyed(key: bytes, digest: bytes) -> str:
    return hmac.new(key, b"kiosk-pin\0" + digest, hashlib.sha256).hexdigest()


def hash_pin(pin: str, salt: bytes, key: bytes, *, n: int = SCRYPT_N) -> str:
    """``k1$<n>$<hex>``: HMAC(key, scrypt(pin, salt, n))."""
    return f"{SCHEME}${n}${keyed(key, scrypt_digest(pin, salt, n))}"


def key_check(key: bytes) -> str:
    """A value that tells whether this key is the one the stored hashes were made with
    (a short HMAC of a fixed text: it says nothing about the key itself)."""
    return hmac.new(key, b"kiosk-pin-key-check", hashlib.sha256).hexdigest()[:16]


def _rekeyed(stored: str, key: bytes) -> str | None:
    """An old unkeyed hash (bare scrypt hex) wrapped with the key, or None if it is
    already keyed. No PIN is needed: the key goes on top of the stored scrypt digest."""
    if "$" in stored:
        return None
    try:
        digest = bytes.fromhex(stored)
    except ValueError:
        return None  # not a hash at all: it never matches, keyed or not
    return f"{SCHEME}${SCRYPT_N}${keyed(key, digest)}"


def _check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and pin.isascii() and 4 <= len(pin) <= 8):
        raise StaffError.of("staff.pin_format", message="a PIN is 4 to 8 digits")


def _member(row: dict[str, Any]) -> StaffMember:
    return StaffMember(
        staff_id=str(row["staff_id"]),
        name=str(row["name"]),
        role=str(row["role"]),
        badge=str(row.get("badge") or ""),
        active=bool(row.get("active", True)),
    )


class StaffService:
    """``key``: the PIN key (kiosk.storage.private_files.load_or_create_key); ``now``:
    wall-clock seconds, so a lock-out stored in the ledger still holds after a restart."""

    def __init__(
        self,
        repository: StaffRepository,
        *,
        key: bytes,
        now: Callable[[], float],
        salts: Callable[[], bytes] = lambda: os.urandom(16),
        scrypt_n: int = SCRYPT_N,
    ) -> None:
        if len(key) < 16:
            raise ValueError("the PIN key must be at least 16 bytes")
        self._repo = repository
        self._key = key
        self._now = now
        self._salts = salts
        self._n = scrypt_n
        self._key_problem = ""
        self._protect_stored_hashes()

    def _protect_stored_hashes(self) -> None:
        """Key any old unkeyed hash now, and notice a key that is not the ledger's."""
        check = key_check(self._key)
        rows = self._repo.all()
        stored_check = str(self._repo.guard().get("key_check") or "")
        if stored_check and stored_check != check and any("$" in r["pin_hash"] for r in rows):
            self._key_problem = (
                "the PIN key file does not match the staff PINs in the ledger; restore the "
                "device's secret.key from its backup (no PIN can be checked without it)"
            )
            return
        old = {r["staff_id"]: _rekeyed(str(r["pin_hash"]), self._key) for r in rows}
        hashes = {staff_id: h for staff_id, h in old.items() if h is not None}
        if hashes or stored_check != check:
            self._repo.replace_hashes(hashes, check)

    def _require_key(self) -> None:
        if self._key_problem:
            raise StaffError.of("staff.key_problem", message=self._key_problem)

    def enroll(
        self, staff_id: str, name: str, role: str, pin: str, badge: str = "", *, active: bool = True
    ) -> StaffMember:
        """Add or replace a staff member. PINs must be unique: login is by PIN alone."""
        self._require_key()
        if role not in ROLES:
            raise StaffError.of(
                "staff.unknown_role",
                message=f"unknown role {role!r}; choose one of {', '.join(ROLES)}",
            )
        if not staff_id.strip() or not name.strip():
            raise StaffError.of("staff.id_name", message="staff id and name are required")
        _check_pin_format(pin)
        for row in self._repo.all():
            if row["staff_id"] != staff_id and self._pin_matches(row, pin):
                raise StaffError.of(
                    "staff.pin_taken", message="that PIN is already in use; choose another"
                )
            if badge and row["staff_id"] != staff_id and row.get("badge") == badge:
                raise StaffError.of(
                    "staff.badge_taken",
                    name=row["name"],
                    message=f"that badge already belongs to {row['name']}",
                )
        salt = self._salts()
        self._repo.save(
            {
                "staff_id": staff_id,
                "name": name,
                "role": role,
                "pin_hash": hash_pin(pin, salt, self._key, n=self._n),
                "pin_salt": salt.hex(),
                "badge": badge,
                "active": active,
            }
        )
        return StaffMember(staff_id, name, role, badge, active)

    def disable(self, staff_id: str) -> StaffMember:
        """Stop a member signing in; the row stays (journal records name them)."""
        row = self._repo.get(staff_id)
        if row is None:
            raise StaffError.of("staff.no_member", message=f"no staff member {staff_id!r}")
        self._repo.save({**row, "active": False})
        return _member({**row, "active": False})

    def login_pin(self, pin: str) -> StaffMember:
        """The active member whose PIN this is; a run of wrong PINs locks login for a
        while (longer each time), and the lock-out is stored: a restart does not lift it."""
        self._require_key()
        self._check_not_locked()
        for row in self._repo.all():
            if row.get("active", True) and self._pin_matches(row, pin):
                self._succeeded()
                return _member(row)
        raise self._wrong_pin()

    def login_badge(self, code: str, pin: str | None = None) -> StaffMember:
        """Sign in with a badge: a cashier's badge alone will do; a supervisor's or
        manager's needs that member's PIN too (``PinNeededError`` asks for it)."""
        row = self._repo.by_badge(code.strip()) if code else None
        if row is None or not row.get("active", True):
            raise StaffError.of("staff.unknown_badge", message="unknown staff badge")
        member = _member(row)
        if member.role in BADGE_ALONE:
            return member
        if pin is None:
            raise PinNeededError(member)
        self._require_key()
        self._check_not_locked()
        if not self._pin_matches(row, pin):
            raise self._wrong_pin()
        self._succeeded()
        return member

    def by_badge(self, code: str) -> StaffMember | None:
        """Who this badge belongs to (active members), or None: it is not a badge. It
        identifies; it does not sign in (``login_badge`` does)."""
        if not code:
            return None
        row = self._repo.by_badge(code.strip())
        if row is None or not row.get("active", True):
            return None
        return _member(row)

    def get(self, staff_id: str) -> StaffMember | None:
        row = self._repo.get(staff_id)
        return None if row is None else _member(row)

    def members(self) -> list[StaffMember]:
        return [_member(r) for r in self._repo.all()]

    @staticmethod
    def require(member: StaffMember | None, action: str) -> StaffMember:
        """Raise unless ``member`` may do ``action``; return the member for journaling."""
        if member is None:
            raise NotAllowedError.of("staff.login_needed", message="staff login needed")
        if not member.active:
            raise NotAllowedError.of(
                "staff.inactive", name=member.name, message=f"{member.name} is not active"
            )
        if not member.may(action):
            raise not_allowed(member, action)
        return member

    # -- the lock-out (stored in the ledger) ------------------------------------------
    def _check_not_locked(self) -> None:
        guard = self._repo.guard()
        now = self._now()
        left = float(guard["locked_until"]) - now
        longest = _lockout_seconds(int(guard["lockouts"]))
        if left > longest:  # the clock went back: count the lock from now, not from then
            left = longest
            self._repo.save_guard({"locked_until": now + longest})
        if left > 0:
            seconds = math.ceil(left)
            raise StaffError.of(
                "staff.locked",
                seconds=seconds,
                message=f"too many wrong PINs; wait {seconds} s",
            )

    def _wrong_pin(self) -> StaffError:
        guard = self._repo.guard()
        failed, lockouts = int(guard["failed"]) + 1, int(guard["lockouts"])
        changes: dict[str, Any] = {"failed": failed}
        if failed >= MAX_FAILED_ATTEMPTS:
            lockouts += 1
            until = self._now() + _lockout_seconds(lockouts)
            changes = {"failed": 0, "lockouts": lockouts, "locked_until": until}
        self._repo.save_guard(changes)
        return StaffError.of("staff.wrong_pin", message="wrong PIN")

    def _succeeded(self) -> None:
        guard = self._repo.guard()
        if guard["failed"] or guard["lockouts"]:
            self._repo.save_guard({"failed": 0, "lockouts": 0, "locked_until": 0.0})

    def _pin_matches(self, row: dict[str, Any], pin: str) -> bool:
        parts = str(row["pin_hash"]).split("$")
        if len(parts) != 3 or parts[0] != SCHEME or not parts[1].isdigit():
            return False  # unknown scheme: never matches
        n = int(parts[1])
        if n < 2 or n > 2**20 or n & (n - 1):
            return False  # a tampered cost must not hang the till
        try:
            salt = bytes.fromhex(str(row["pin_salt"]))
        except ValueError:
            return False
        digest = scrypt_digest(pin, salt, n)
        return hmac.compare_digest(keyed(self._key, digest), parts[2])


def _lockout_seconds(lockouts: int) -> float:
    return LOCKOUT_SECONDS * float(2 ** max(0, min(lockouts - 1, MAX_LOCKOUT_DOUBLINGS)))


DEMO_STAFF = (
    ("c1", "Ani", "cashier", "1111", "STAFF-0001"),
    ("s1", "Budi", "supervisor", "2222", "STAFF-0002"),
    ("m1", "Citra", "manager", "9999", "STAFF-0009"),
)


def ensure_demo_staff(service: StaffService) -> None:
    """Enroll the demo team when nobody is enrolled yet (demo and simulated hardware)."""
    if service.members():
        return
    for staff_id, name, role, pin, badge in DEMO_STAFF:
        service.enroll(staff_id, name, role, pin, badge)
