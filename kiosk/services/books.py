"""The store's books over one unit of work: shifts, the day's close and refunds."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ports import BooksUnitOfWork, Clock
from kiosk.services.day_close import DayCloseService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.refunds import RefundService
from kiosk.services.shifts import ShiftService


@dataclass(frozen=True)
class Books:
    shifts: ShiftService
    day_close: DayCloseService
    refunds: RefundService


def books_services(
    uow: BooksUnitOfWork, clock: Clock, timezone: str, loyalty: LoyaltyService | None = None
) -> Books:
    """With ``loyalty``, a refund takes back and gives back a member's points."""
    return Books(
        shifts=ShiftService(uow, clock, timezone),
        day_close=DayCloseService(uow, clock, timezone),
        refunds=RefundService(uow, clock, timezone, loyalty),
    )
