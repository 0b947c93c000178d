"""Sales by hour in the store's timezone; the touch size never drops below 48 px."""

from __future__ import annotations

from datetime import UTC, datetime

from kiosk.services.reporting import sales_by_hour, till_report
from kiosk.testing.clock import SettableClock
from kiosk.ui import theme


class Source:
    def x_report(self, business_date: str) -> dict[str, object]:
        return {"business_date": business_date, "transactions": 3}

    def sale_times(self, business_date: str) -> list[tuple[str, int]]:
        # 01:30Z is 08:30 in Jakarta (UTC+7); 13:05Z is 20:05
        return [("2026-11-27T01:30:00Z", 10_000), ("2026-11-27T01:59:00Z", 5_000),
                ("2026-11-27T13:05:00Z", 7_500)]  # fmt: skip


def test_sales_by_hour_uses_store_time() -> None:
    hours = sales_by_hour(Source().sale_times(""), "Asia/Jakarta")
    assert len(hours) == 24
    assert hours[8] == (8, 2, 15_000) and hours[20] == (20, 1, 7_500)
    assert sum(n for _, n, _ in hours) == 3


def test_till_report_is_for_today_in_the_store() -> None:
    report = till_report(
        Source(), SettableClock(datetime(2026, 11, 27, 5, 0, tzinfo=UTC)), "Asia/Jakarta"
    )
    assert report.business_date == "2026-11-27" and report.x["transactions"] == 3


def test_touch_size_and_scale() -> None:
    for size in [(800, 480), (480, 800), (1280, 800), (800, 1280), (1920, 1080)]:
        assert theme.touch_for(*size) >= 48
        assert 1.0 <= theme.scale_for(*size) <= 1.6
    assert theme.touch_for(1280, 800) >= theme.TOUCH
