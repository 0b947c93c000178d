"""Time helpers for services: the business day follows the store's timezone."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from kiosk.domain.sale import iso_utc
from kiosk.ports import Clock


def business_date(at: datetime, timezone: str) -> str:
    """The store's calendar date at ``at`` (YYYY-MM-DD)."""
    return at.astimezone(ZoneInfo(timezone)).date().isoformat()


def utc_stamp(clock: Clock, at: datetime | None = None) -> str:
    """ISO 8601 UTC with microseconds and a Z, the format every record uses."""
    return iso_utc(at or clock.now())


def closed_past(at: datetime, now: datetime, timezone: str) -> str:
    """Why nothing can be dated ``at`` when the till's time is ``now`` ('' if it can).

    Until days are closed explicitly (the day close of the books), every business day
    before today's has ended; and within today, time does not run back.
    """
    day, today = business_date(at, timezone), business_date(now, timezone)
    if day < today:
        return f"business day {day} has ended (today is {today}): nothing can be added to it"
    if at < now:
        return f"{iso_utc(at)} is before the till's time {iso_utc(now)}: time does not run back"
    return ""
