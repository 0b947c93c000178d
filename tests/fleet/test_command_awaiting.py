"""When the commands page keeps looking for kiosks' answers (fleet.web.command_routes)."""

from __future__ import annotations

from datetime import UTC, datetime

from fleet.web.command_routes import awaiting

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def sent(device: str, answered: list[str], at: str = "2026-11-30T03:59:00Z") -> dict[str, object]:
    return {"device_id": device, "issued_at": at,
            "results": [{"device_id": d, "ok": True} for d in answered]}  # fmt: skip


def test_a_store_wide_command_waits_for_every_kiosk_of_the_store() -> None:
    assert awaiting([sent("all", ["k1"])], ["k1", "k2"], NOW)
    assert not awaiting([sent("all", ["k1", "k2"])], ["k1", "k2"], NOW)


def test_a_command_to_one_kiosk_waits_for_that_kiosk_only() -> None:
    assert awaiting([sent("k2", ["k1"])], ["k1", "k2"], NOW)
    assert not awaiting([sent("k2", ["k2"])], ["k1", "k2"], NOW)


def test_after_two_minutes_the_page_stops_looking() -> None:
    assert awaiting([sent("all", [], at="2026-11-30T03:58:00Z")], ["k1"], NOW)
    assert not awaiting([sent("all", [], at="2026-11-30T03:57:59Z")], ["k1"], NOW)
    assert not awaiting([], ["k1"], NOW)
