"""A cashier's shift at a till: opened with a counted float, cash in and out with a
reason, closed with a blind count (what is in the drawer, entered before the expected
figure is shown). One open shift per till; every step is journaled in the hash chain."""

from __future__ import annotations

import uuid
from typing import Any

from kiosk.domain.shift import ShiftError, ShiftTotals
from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.staff import NotAllowedError, StaffMember, StaffService

MAX_CASH = 1_000_000_000  # one drawer never holds a billion rupiah


def _amount(value: int, name: str, *, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_CASH:
        raise ShiftError.of(
            "shift.amount",
            max=MAX_CASH,
            message=f"{name} must be a whole number of rupiah from {low} to {MAX_CASH:,}",
        )
    return value


class ShiftService:
    def __init__(self, uow: BooksUnitOfWork, clock: Clock, timezone: str) -> None:
        self.uow = uow
        self.clock = clock
        self.timezone = timezone

    def open(self, staff: StaffMember | None, float_amount: int) -> dict[str, Any]:
        member = StaffService.require(staff, "shift")
        _amount(float_amount, "the float", low=0)
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            current = self.uow.books.open_shift()
            if current is not None:
                raise ShiftError.of(
                    "shift.open_elsewhere",
                    name=current["cashier"],
                    message=f"{current['cashier']}'s shift is still open on this till",
                )
            shift_id = uuid.uuid4().hex
            self.uow.books.insert_shift(shift_id, member.name, at, float_amount)
            self.uow.journal("shift_open", shift_id,
                             {"by": member.name, "float": float_amount}, at)  # fmt: skip
        return {"shift_id": shift_id, "cashier": member.name, "float": float_amount}

    def cash_move(
        self, staff: StaffMember | None, direction: str, amount: int, reason: str
    ) -> dict[str, Any]:
        """``direction``: "in" (change brought to the till) or "out" (a pick-up, a
        payment from the drawer)."""
        member = StaffService.require(staff, "cash_move")
        if direction not in {"in", "out"}:
            raise ShiftError.of("shift.direction", message="cash moves in or out")
        _amount(amount, f"cash {direction}", low=1)
        if not reason.strip():
            raise ShiftError.of("shift.reason", message=f"cash {direction} needs a reason")
        at = utc_stamp(self.clock)
        with self.uow.transaction():
            shift = self._own_open_shift(member)
            self.uow.books.add_cash_move(shift["shift_id"], direction, amount, reason.strip(), at)
            self.uow.journal(f"cash_{direction}", shift["shift_id"],
                             {"by": member.name, "amount": amount, "reason": reason.strip()},
                             at)  # fmt: skip
        return {"shift_id": shift["shift_id"], direction: amount, "reason": reason.strip()}

    def close(self, staff: StaffMember | None, counted: int) -> dict[str, Any]:
        """Close the open shift with the blind count; returns its report."""
        member = StaffService.require(staff, "shift")
        _amount(counted, "the counted cash", low=0)
        now = self.clock.now()
        at = utc_stamp(self.clock, now)
        with self.uow.transaction():
            shift = self._own_open_shift(member)
            self.uow.books.close_shift(shift["shift_id"], at, counted)
            closed = {**shift, "closed_at": at, "counted": counted}
            report = self._report(closed)
            day = self.uow.books.open_day(business_date(now, self.timezone))
            self.uow.books.publish_event("shift_close", shift["shift_id"],
                                         {"by": member.name, "business_date": day, **report},
                                         at)  # fmt: skip
        return report

    def no_sale(self, staff: StaffMember | None, reason: str, ref: str = "") -> dict[str, Any]:
        """The drawer opened without a sale (change for the float, a pick-up...): by a
        supervisor, with a reason, counted in the day's Z and journaled. The caller
        opens the drawer after this returns."""
        member = StaffService.require(staff, "no_sale")
        if not reason.strip():
            raise ShiftError.of(
                "shift.no_sale_reason", message="a reason is required to open the drawer"
            )
        now = self.clock.now()
        at = utc_stamp(self.clock, now)
        with self.uow.transaction():
            shift = self.uow.books.open_shift()
            shift_id = None if shift is None else str(shift["shift_id"])
            day = self.uow.books.open_day(business_date(now, self.timezone))
            self.uow.books.insert_no_sale(day, shift_id, reason.strip(), member.name, at)
            payload = {"reason": reason.strip(), "staff_id": member.staff_id,
                       "staff_name": member.name, "business_date": day}  # fmt: skip
            self.uow.books.publish_event("no_sale", ref or f"NS-{at}", payload, at)
        return payload

    def report(self, shift_id: str | None = None) -> dict[str, Any]:
        """The shift (the last one opened when ``shift_id`` is None) as ``kiosk report
        shift`` shows it; an open shift has ``counted`` and ``over_short`` None."""
        shift = self.uow.books.get_shift(shift_id)
        if shift is None:
            raise ShiftError.of(
                "shift.none",
                message="no shift on this till" if shift_id is None else f"no shift {shift_id}",
            )
        return self._report(shift)

    def _report(self, shift: dict[str, Any]) -> dict[str, Any]:
        cash = self.uow.books.shift_cash(shift)
        totals = ShiftTotals(float_amount=int(shift["float_amount"]), **cash)
        counted = shift["counted"]
        return {
            "shift_id": shift["shift_id"],
            "cashier": shift["cashier"],
            "opened_at": shift["opened_at"],
            "closed_at": shift["closed_at"],
            **totals.to_dict(None if counted is None else int(counted)),
        }

    def _own_open_shift(self, member: StaffMember) -> dict[str, Any]:
        shift = self.uow.books.open_shift()
        if shift is None:
            raise ShiftError.of("shift.not_open", message="no shift is open on this till")
        if shift["cashier"] != member.name and not member.may("z_close"):
            raise NotAllowedError.of(
                "staff.other_shift",
                name=shift["cashier"],
                message=f"this is {shift['cashier']}'s shift",
            )
        return shift
