"""The till's reports screen: the X report (the business day so far, nothing reset) and
today's sales by hour in the store's timezone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from kiosk.ports import Clock
from kiosk.services.business_day import business_date


class ReportSource(Protocol):
    def x_report(self, business_date: str) -> dict[str, Any]:
        """Totals of the day so far (see kiosk.storage.reports.x_report)."""
        ...

    def sale_times(self, business_date: str) -> list[tuple[str, int]]:
        """(created_at ISO UTC, amount paid) of each sale of the day."""
        ...


@dataclass(frozen=True)
class TillReport:
    business_date: str
    x: dict[str, Any]
    by_hour: tuple[tuple[int, int, int], ...]  # (hour 0-23, sales, amount)


def hour_of(created_at: str, timezone: str) -> int:
    stamp = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return stamp.astimezone(ZoneInfo(timezone)).hour


def sales_by_hour(times: list[tuple[str, int]], timezone: str) -> tuple[tuple[int, int, int], ...]:
    hours = {h: [0, 0] for h in range(24)}
    for created_at, amount in times:
        bucket = hours[hour_of(created_at, timezone)]
        bucket[0] += 1
        bucket[1] += amount
    return tuple((h, n, amount) for h, (n, amount) in sorted(hours.items()))


def till_report(source: ReportSource, clock: Clock, timezone: str) -> TillReport:
    day = business_date(clock.now(), timezone)
    return TillReport(day, source.x_report(day), sales_by_hour(source.sale_times(day), timezone))
