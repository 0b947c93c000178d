"""The dashboard's live sales ticker on both engines: the latest sales of the granted
stores, newest first, from the last two business days present; its server-sent events
bring a sale that arrives while the stream is open; the page shows it in both languages."""

from __future__ import annotations

import json
import threading
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.web import create_app
from kiosk.domain.money import format_rupiah
from tests.fleet.accounts import signed_in
from tests.fleet.analytics_sales import ring_up_plan

TODAY = date(2026, 11, 20)


def plan(day: date, hours: list[int]) -> list[dict[str, Any]]:
    return [{"day": day, "hour": hour} for hour in hours]


def ticker_fleet(engine: sa.Engine, tmp_path: Path) -> list[dict[str, Any]]:
    """store-1: an old sale, then five over yesterday and today; store-2: three today."""
    mine = ring_up_plan(engine, tmp_path, "k1", plan(date(2026, 11, 17), [9])
                        + plan(date(2026, 11, 19), [18, 20]) + plan(TODAY, [8, 9, 11]), 1)  # fmt: skip
    ring_up_plan(engine, tmp_path, "k9", plan(TODAY, [10, 12, 21]), 2, store="store-2")
    return mine


def units(doc: dict[str, Any]) -> int:
    return sum(line["qty"] for line in doc["lines"])


def test_the_latest_sales_of_the_granted_stores(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = ticker_fleet(fleet_engine, tmp_path)
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "ani", role="manager", stores=["store-1"])
    rows = client.get("/api/sales/latest").json()
    wanted = sorted(docs[1:], key=lambda d: d["created_at"], reverse=True)  # not the 17th's
    assert [r["sale_id"] for r in rows] == [d["sale_id"] for d in wanted]
    assert [(r["total"], r["units"], r["receipt_no"]) for r in rows] == [
        (d["total"], units(d), d["receipt_no"]) for d in wanted]  # fmt: skip
    assert {r["store_id"] for r in rows} == {"store-1"}  # store-2's later sales stay hidden
    page = client.get("/?lang=id").text
    assert "Penjualan terbaru" in page and format_rupiah(wanted[0]["total"], "id") in page
    assert "11.00 WIB" in page  # today's 11:xx sale, in the store's time
    assert "Latest sales" in client.get("/?lang=en").text


def test_a_sale_arriving_reaches_the_open_stream(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    ticker_fleet(fleet_engine, tmp_path)
    client = TestClient(create_app(fleet_engine, event_poll_s=0.05))
    signed_in(fleet_engine, client, "ani", role="manager", stores=["store-1"])
    arrived: list[dict[str, Any]] = []

    def sell_later() -> None:
        threading.Event().wait(0.5)  # the stream has sent what it had by then
        arrived.extend(ring_up_plan(fleet_engine, tmp_path, "k2", plan(TODAY, [19]), 3))

    seller = threading.Thread(target=sell_later)
    seller.start()
    with client.stream("GET", "/events/sales?limit=2&lang=en") as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        text = "".join(response.iter_text())
    seller.join()
    events = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    assert "event: sales" in text and len(events) == 2
    before, after = events
    assert len(before) == 5 and after[0]["sale_id"] == arrived[0]["sale_id"]
    assert after[1:] == before  # the rest as they were, the new sale on top
    assert after[0]["shown"]["total"] == format_rupiah(arrived[0]["total"], "en")
    assert after[0]["shown"]["at"].endswith("19:00 WIB")
