"""Staff: who may log in to the till, who may approve what.

PINs are stored as salted scrypt hashes; a badge is a barcode printed on the staff card.
Every permission check lives here so a screen never decides who may void or discount.
Runs on the services thread; the repository is a port implemented in kiosk.storage.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.domain.errors import ShownError

ROLES = ("cashier", "supervisor", "manager")

# The lowest role allowed to do each action; higher roles inherit it.
PERMISSIONS: dict[str, str] = {
    "sell": "cashier",
    "attend": "cashier",  # unlock a self-checkout, approve an age check, help a customer
    "void": "cashier",
    "suspend": "cashier",
    "discount": "supervisor",
    "price_override": "supervisor",
    "no_sale": "supervisor",
    "reports": "supervisor",
    "approve_limit": "supervisor",
    "staff_admin": "manager",
    "exit_kiosk": "manager",
}

# scrypt cost: ~16 MiB and a few tens of ms per check on a Pi 4; PINs are short, so the
# cost and the lockout are what protect them.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_SECONDS = 60.0


class StaffError(ShownError):
    """A staff request refused (wrong PIN, locked out, role too low)."""


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
    """Rows are dicts with keys staff_id, name, role, pin_hash, pin_salt, badge, active."""

    def save(self, row: dict[str, Any]) -> None: ...
    def get(self, staff_id: str) -> dict[str, Any] | None: ...
    def by_badge(self, badge: str) -> dict[str, Any] | None: ...
    def all(self) -> list[dict[str, Any]]: ...


def role_allows(role: str, action: str) -> bool:
    if role not in ROLES:
        return False
    needed = PERMISSIONS.get(action)
    if needed is None:
        raise StaffError(f"unknown action {action!r}")
    return ROLES.index(role) >= ROLES.index(needed)


def hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.scrypt(pin.encode("utf-8"), salt=salt, **_SCRYPT).hex()


def _check_pin_format(pin: str) -> None:
    if not (pin.isdigit() and 4 <= len(pin) <= 8):
        raise StaffError("a PIN is 4 to 8 digits")


def _member(row: dict[str, Any]) -> StaffMember:
    return StaffMember(
        staff_id=str(row["staff_id"]),
        name=str(row["name"]),
        role=str(row["role"]),
        badge=str(row.get("badge") or ""),
        active=bool(row.get("active", True)),
    )


class StaffService:
    def __init__(
        self,
        repository: StaffRepository,
        *,
        monotonic: Callable[[], float],
        salts: Callable[[], bytes] = lambda: os.urandom(16),
    ) -> None:
        self._repo = repository
        self._monotonic = monotonic
        self._salts = salts
        self._failed = 0
        self._locked_until = 0.0

    def enroll(self, staff_id: str, name: str, role: str, pin: str, badge: str = "") -> StaffMember:
        """Add or replace a staff member. PINs must be unique: login is by PIN alone."""
        if role not in ROLES:
            raise StaffError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
        if not staff_id.strip() or not name.strip():
            raise StaffError("staff id and name are required")
        _check_pin_format(pin)
        for row in self._repo.all():
            if row["staff_id"] != staff_id and self._pin_matches(row, pin):
                raise StaffError("that PIN is already in use; choose another")
            if badge and row["staff_id"] != staff_id and row.get("badge") == badge:
                raise StaffError(f"badge {badge!r} already belongs to {row['name']}")
        salt = self._salts()
        self._repo.save(
            {
                "staff_id": staff_id,
                "name": name,
                "role": role,
                "pin_hash": hash_pin(pin, salt),
                "pin_salt": salt.hex(),
                "badge": badge,
                "active": True,
            }
        )
        return StaffMember(staff_id, name, role, badge)

    def login_pin(self, pin: str) -> StaffMember:
        """The active member whose PIN this is; a run of wrong PINs locks login briefly."""
        now = self._monotonic()
        if now < self._locked_until:
            raise StaffError(f"too many wrong PINs; wait {int(self._locked_until - now) + 1} s")
        for row in self._repo.all():
            if row.get("active", True) and self._pin_matches(row, pin):
                self._failed = 0
                return _member(row)
        self._failed += 1
        if self._failed >= MAX_FAILED_ATTEMPTS:
            self._failed = 0
            self._locked_until = now + LOCKOUT_SECONDS
        raise StaffError("wrong PIN")

    def by_badge(self, code: str) -> StaffMember | None:
        """The active member with this badge barcode, or None (then it is not a badge)."""
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
            raise StaffError("staff login needed")
        if not member.active:
            raise StaffError(f"{member.name} is not active")
        if not member.may(action):
            needed = PERMISSIONS[action]
            raise StaffError(f"{member.name} ({member.role}) may not {action}; needs {needed}")
        return member

    @staticmethod
    def _pin_matches(row: dict[str, Any], pin: str) -> bool:
        salt = bytes.fromhex(str(row["pin_salt"]))
        return hmac.compare_digest(hash_pin(pin, salt), str(row["pin_hash"]))


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
