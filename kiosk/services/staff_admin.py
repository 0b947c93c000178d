"""Staff administration: enrol, disable, change a PIN, lift a PIN lock-out; each change
and its journal record commit together through the unit of work.

Who may: a manager signed in on the till (``staff_admin``), or the device's own CLI
(whoever runs ``kiosk`` on the device already holds its data directory). Any active
member may change their own PIN by giving the current one. Refusals are ``StaffError``
(or ``NotAllowedError``) with a message a person can read; nothing is written then.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.ports import Clock, UnitOfWork
from kiosk.services.business_day import utc_stamp
from kiosk.services.changes import CLI
from kiosk.services.staff import (
    NotAllowedError,
    StaffError,
    StaffMember,
    StaffRepository,
    StaffService,
)

Actor = StaffMember | str  # a signed-in member, or CLI


class StaffUnitOfWork(UnitOfWork, Protocol):
    @property
    def staff(self) -> StaffRepository: ...


@dataclass(frozen=True)
class Lockout:
    """The till's PIN guard: wrong PINs since the last good one, seconds still locked."""

    failed: int
    seconds_left: int


class StaffAdmin:
    """``key``: the PIN key (kiosk.storage.private_files). ``now``: wall-clock seconds for
    the lock-out (the clock's by default)."""

    def __init__(
        self,
        uow: StaffUnitOfWork,
        clock: Clock,
        *,
        key: bytes,
        now: Callable[[], float] | None = None,
    ) -> None:
        self.uow = uow
        self.clock = clock
        self._now = now or (lambda: clock.now().timestamp())
        self.service = StaffService(uow.staff, key=key, now=self._now)

    def members(self) -> list[StaffMember]:
        return self.service.members()

    def add(self, name: str, role: str, pin: str, badge: str = "", *, by: Actor) -> StaffMember:
        """Enrol ``name`` (also their staff id) with a unique PIN and optional badge."""
        who = self._authorised(by)
        name, badge = name.strip(), badge.strip()
        if not name:
            raise StaffError("a staff member needs a name")
        with self.uow.transaction():
            if self.service.get(name) is not None:
                raise StaffError(f"{name} is already enrolled")
            member = self.service.enroll(name, name, role, pin, badge)
            # Whether a badge was given, never its code: a cashier's badge alone signs in.
            self._journal("staff_add", member, who, role=member.role, badge=bool(badge))
        return member

    def disable(self, name: str, *, by: Actor) -> StaffMember:
        """Stop ``name`` signing in; their row stays, as journal records name them."""
        who = self._authorised(by)
        if isinstance(by, StaffMember) and by.staff_id == name.strip():
            raise StaffError("you cannot disable yourself; ask another manager")
        with self.uow.transaction():
            member = self.service.disable(name.strip())
            self._journal("staff_disable", member, who)
        return member

    def change_pin(
        self, name: str, new_pin: str, *, by: Actor, current_pin: str | None = None
    ) -> StaffMember:
        """A new PIN for ``name``: a manager or the CLI sets it; a member changing their
        own gives ``current_pin`` (a wrong one counts towards the lock-out)."""
        name = name.strip()
        own = isinstance(by, StaffMember) and by.staff_id == name
        if own and current_pin is None:
            raise StaffError("enter your current PIN first")
        who = by.staff_id if own and isinstance(by, StaffMember) else self._authorised(by)
        # Checked before the transaction: a wrong PIN must stay counted, not roll back.
        if own and self.service.login_pin(str(current_pin)).staff_id != name:
            raise StaffError("wrong PIN")
        with self.uow.transaction():
            member = self.service.get(name)
            if member is None:
                raise StaffError(f"no staff member {name!r}")
            if not member.active:
                raise StaffError(f"{name} is disabled")
            changed = self.service.enroll(member.staff_id, member.name, member.role, new_pin,
                                          member.badge, active=member.active)  # fmt: skip
            self._journal("staff_pin", changed, who)
        return changed

    def lockout(self) -> Lockout:
        guard = self.uow.staff.guard()
        left = max(0.0, float(guard["locked_until"]) - self._now())
        return Lockout(int(guard["failed"]), math.ceil(left))

    def unlock(self, *, by: Actor) -> Lockout:
        """Lift a PIN lock-out now (the wrong-PIN count starts again from zero); returns
        what it was."""
        who = self._authorised(by)
        with self.uow.transaction():
            was = self.lockout()
            self.uow.staff.save_guard({"failed": 0, "lockouts": 0, "locked_until": 0.0})
            self.uow.journal("staff_unlock", "", {"by": who, "seconds_left": was.seconds_left},
                             utc_stamp(self.clock))  # fmt: skip
        return was

    def _authorised(self, by: Actor) -> str:
        """Who the journal names; raises unless ``by`` may administer staff. A member is
        judged by their stored record: one disabled since they signed in may not."""
        if isinstance(by, StaffMember):
            return StaffService.require(self.service.get(by.staff_id), "staff_admin").staff_id
        if by != CLI:
            raise NotAllowedError(f"{by!r} may not change staff; a manager or the device's CLI can")
        return CLI

    def _journal(self, kind: str, member: StaffMember, by: str, **extra: object) -> None:
        payload = {"by": by, "name": member.name, **extra}
        self.uow.journal(kind, member.staff_id, payload, utc_stamp(self.clock))
