"""The Z close: ends a business day exactly once, with its own gap-free Z number,
journaled in the hash chain. After it nothing can be added to that day (the ledger
refuses a sale dated before the close); the till goes on into the next business day."""

from __future__ import annotations

from typing import Any

from kiosk.domain.errors import ShownError
from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.business_day import business_date, utc_stamp
from kiosk.services.staff import StaffMember, StaffService


class DayCloseError(ShownError):
    """A Z close that cannot be made now."""


class DayCloseService:
    def __init__(self, uow: BooksUnitOfWork, clock: Clock, timezone: str) -> None:
        self.uow = uow
        self.clock = clock
        self.timezone = timezone

    def x_report(self, staff: StaffMember | None) -> dict[str, Any]:
        """The open business day so far (any time; nothing changes)."""
        StaffService.require(staff, "reports")
        today = business_date(self.clock.now(), self.timezone)
        return self.uow.books.day_figures(self.uow.books.open_day(today))

    def figures(self, day: str) -> dict[str, Any]:
        """A day's Z figures (after its close: what the Z prints)."""
        return self.uow.books.day_figures(day)

    def close(self, staff: StaffMember | None) -> dict[str, Any]:
        """Close today's business day; returns ``business_date``, ``z_number``,
        ``closed_at``. A day already closed is refused (a Z is taken once)."""
        member = StaffService.require(staff, "z_close")
        now = self.clock.now()
        at = utc_stamp(self.clock, now)
        today = business_date(now, self.timezone)
        with self.uow.transaction():
            day = self.uow.books.open_day(today)
            if day > today:
                last = self.uow.books.last_close()
                number = last["z_number"] if last else 0
                raise DayCloseError.of("day.closed", day=today, number=number)
            z_number = self.uow.books.insert_close(day, at, member.name)
            closed = {"business_date": day, "z_number": z_number, "closed_at": at}
            self.uow.books.publish_event(
                "z_close", f"Z{z_number}", {"by": member.name, **closed}, at
            )
        return closed
