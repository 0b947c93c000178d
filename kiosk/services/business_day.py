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
