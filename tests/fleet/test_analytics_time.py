"""The busy-hours heatmap and the period comparison, against figures worked out here from
the sale documents the kiosks published, on both engines; their pages and CSV in both
languages."""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.shop import settings as shop_settings
from fleet.web import create_app
from tests.fleet.accounts import signed_in
from tests.fleet.analytics_sales import random_plan, ring_up_plan

START = date(2026, 10, 4)  # a Sunday: 8 weeks of sales up to 2026-11-28
PERIOD = ("2026-11-01", "2026-11-28")  # the last 4 weeks; the previous 4 start 10-04


def local(doc: dict[str, Any], hours: int = 7) -> datetime:
    return datetime.fromisoformat(doc["created_at"].replace("Z", "+00:00")) + timedelta(hours=hours)


def in_period(doc: dict[str, Any], first: str, last: str) -> bool:
    return first <= doc["business_date"] <= last


def expected_change(now: int, then: int) -> str | None:
    if not then:
        return None
    return str((Decimal(now - then) * 100 / then).quantize(Decimal("0.1"), ROUND_HALF_UP))


def half_up(amount: int, count: int) -> int:
    return int((Decimal(amount) / count).quantize(Decimal(1), ROUND_HALF_UP))


def fleet_with_sales(engine: sa.Engine, tmp_path: Path) -> list[dict[str, Any]]:
    rng = random.Random(42)
    docs = []
    for n, device in enumerate(("k1", "k2")):
        plan = random_plan(rng, START, 56, 3)
        for item in plan[::4]:
            item["member_id"] = f"M{n}"
        docs += ring_up_plan(engine, tmp_path, device, plan, seed=n)
    return docs


def client_for(engine: sa.Engine) -> TestClient:
    client = TestClient(create_app(engine))
    signed_in(engine, client, "manager", role="manager", stores=["store-1"])
    return client


def test_heatmap_and_comparison_from_the_published_sales(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    docs = fleet_with_sales(fleet_engine, tmp_path)
    client = client_for(fleet_engine)
    query = f"start={PERIOD[0]}&end={PERIOD[1]}"
    heat = client.get(f"/api/stores/store-1/analytics/heatmap?{query}").json()
    counts: Counter[tuple[int, int]] = Counter()
    nets: Counter[tuple[int, int]] = Counter()
    for doc in docs:
        if in_period(doc, *PERIOD):
            at = local(doc)
            counts[at.weekday(), at.hour] += 1
            nets[at.weekday(), at.hour] += doc["total"]
    assert len(heat["cells"]) == 7 * 24 and heat["timezone"] == "Asia/Jakarta"
    got = {(c["weekday"], c["hour"]): (c["transactions"], c["net"]) for c in heat["cells"]}
    assert got == {(d, h): (counts[d, h], nets[d, h]) for d in range(7) for h in range(24)}
    top = max(nets.values())
    assert heat["peak_net"] == top and heat["busiest"]["net"] == top
    hours = sorted({h for _, h in counts})
    assert heat["hours_shown"] == list(range(hours[0], hours[-1] + 1))

    comp = client.get(f"/api/stores/store-1/analytics/comparison?{query}").json()
    assert (comp["previous_start"], comp["previous_end"]) == ("2026-10-04", "2026-10-31")
    now = [d for d in docs if in_period(d, *PERIOD)]
    then = [d for d in docs if in_period(d, "2026-10-04", "2026-10-31")]
    assert len(now) + len(then) == len(docs) and now and then
    figures = {f["key"]: f for f in comp["figures"]}

    def both(key: str, value: Any) -> tuple[int, int]:
        return sum(value(d) for d in now), sum(value(d) for d in then)

    wanted = {
        "net": both("net", lambda d: d["total"]),
        "transactions": (len(now), len(then)),
        "discounts": both("discounts", lambda d: d["discount_total"]),
        "units": both("units", lambda d: sum(line["qty"] for line in d["lines"])),
        "member_sales": both("members", lambda d: 1 if d["member_id"] else 0),
    }
    wanted["average_ticket"] = (half_up(wanted["net"][0], len(now)),
                                half_up(wanted["net"][1], len(then)))  # fmt: skip
    for key, (current, previous) in wanted.items():
        assert (figures[key]["current"], figures[key]["previous"]) == (current, previous), key
        assert figures[key]["change_percent"] == expected_change(current, previous), key
    assert len(comp["daily"]) == 28 and comp["daily"][0]["previous_date"] == "2026-10-04"
    day_net = Counter()
    for doc in docs:
        day_net[doc["business_date"]] += doc["total"]
    for row in comp["daily"]:
        assert (row["net"], row["previous_net"]) == (
            day_net[row["date"]],
            day_net[row["previous_date"]],
        )


def test_store_time_zone_moves_the_hours(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    """A WITA store (UTC+8): the same sales an hour later on its map."""
    docs = ring_up_plan(fleet_engine, tmp_path, "k1", [{"day": date(2026, 11, 2), "hour": 23}], 1)
    with fleet_engine.begin() as conn:
        shop_settings.save(conn, "store-1", {"timezone": "Asia/Makassar"})
    client = client_for(fleet_engine)
    heat = client.get(
        "/api/stores/store-1/analytics/heatmap?start=2026-11-01&end=2026-11-07"
    ).json()
    busiest = heat["busiest"]  # 23:xx WIB on Monday is 00:xx WITA on Tuesday
    assert (busiest["weekday"], busiest["hour"], busiest["net"]) == (1, 0, docs[0]["total"])
    assert (heat["timezone"], heat["zone_name"]) == ("Asia/Makassar", "WITA")


def test_pages_and_csv_in_both_languages(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = fleet_with_sales(fleet_engine, tmp_path)
    client = client_for(fleet_engine)
    query = f"start={PERIOD[0]}&end={PERIOD[1]}"
    page = client.get(f"/stores/store-1/analytics/heatmap?{query}&lang=id").text
    assert "Jam ramai" in page and "Senin" in page and "Paling ramai" in page
    assert "Busy hours" in client.get(f"/stores/store-1/analytics/heatmap?{query}&lang=en").text
    page = client.get(f"/stores/store-1/analytics/comparison?{query}&lang=id").text
    assert "Periode sebelumnya" in page and "Penjualan bersih" in page
    net_now = sum(d["total"] for d in docs if in_period(d, *PERIOD))
    assert f"Rp{net_now:,}".replace(",", ".") in page  # rupiah as on the till
    english = client.get(f"/stores/store-1/analytics/comparison?{query}&lang=en").text
    assert "Previous period" in english and "Periode" not in english
    answer = client.get(f"/stores/store-1/analytics/heatmap/csv?{query}&lang=en")
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == ["Day", "Hour", "Transactions", "Net sales"] and len(rows) == 1 + 168
    assert sum(int(r[3]) for r in rows[1:]) == net_now and rows[1][0] == "Monday"
    rows = list(csv.reader(io.StringIO(
        client.get(f"/stores/store-1/analytics/comparison/csv?{query}&lang=id").text)))  # fmt: skip
    assert rows[0] == ["Angka", "Periode ini", "Periode sebelumnya", "Perubahan (%)"]
    assert rows[1][:2] == ["Penjualan bersih", str(net_now)]
    bad = client.get("/stores/store-1/analytics/heatmap?start=2026-11-28&end=2026-11-01&lang=en")
    assert "Not a valid period" in bad.text
    api_bad = client.get("/api/stores/store-1/analytics/heatmap?start=x&end=2026-11-01")
    assert api_bad.status_code == 422
    too_early = client.get(
        "/api/stores/store-1/analytics/comparison?start=0001-01-01&end=0001-01-09"
    )
    assert too_early.status_code == 422 and "1900" in too_early.json()["detail"]
    assert (
        client.get(
            "/api/stores/store-1/analytics/nothing?start=2026-11-01&end=2026-11-02"
        ).status_code
        == 422
    )


def test_a_store_not_granted_is_refused(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    fleet_with_sales(fleet_engine, tmp_path)
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "other", role="manager", stores=["store-9"])
    query = f"start={PERIOD[0]}&end={PERIOD[1]}"
    for view in ("heatmap", "comparison"):
        assert client.get(f"/api/stores/store-1/analytics/{view}?{query}").status_code == 403
        assert client.get(f"/stores/store-1/analytics/{view}/csv?{query}").status_code == 403
        page = client.get(f"/stores/store-1/analytics/{view}?{query}&lang=en")
        # No rupiah figure; the sign-out form's random CSRF token (taken out) may hold "Rp".
        text = re.sub(r'name="csrf" value="[^"]*"', "", page.text)
        assert page.status_code == 403 and "Rp" not in text
