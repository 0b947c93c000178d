"""A store's analytics (API and page) against figures worked out here from the very sale
documents the kiosks published, on both engines."""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.web import create_app
from tests.fleet.accounts import signed_in
from tests.fleet.test_fleet_reports import publish_to_fleet, ring_up


def test_analytics_of_a_period(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = []
    for seed, device in enumerate(["k1", "k2"]):
        db = ring_up(tmp_path, device, 12, seed + 10)
        publish_to_fleet(fleet_engine, db, device)
        rows = sqlite3.connect(db).execute("SELECT payload FROM outbox WHERE topic = 'sale'")
        docs += [json.loads(payload) for (payload,) in rows]
    units: Counter[str] = Counter()
    for doc in docs:
        for line in doc["lines"]:
            units[line["sku"]] += line["qty"]
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "manager", role="manager", stores=["store-1"])
    got = client.get("/api/stores/store-1/analytics?start=2026-11-26&end=2026-11-28&top=3")
    data = got.json()
    assert [(d["date"], d["transactions"]) for d in data["daily"]] == [
        ("2026-11-26", 0), ("2026-11-27", 24), ("2026-11-28", 0)]  # fmt: skip
    assert data["daily"][1]["net"] == sum(doc["total"] for doc in docs)
    most = max(units.values())
    assert data["best_sellers"][0]["units"] == most and len(data["best_sellers"]) == 3
    assert data["slow_sellers"][0]["units"] == min(units.values())
    assert data["basket"]["sales"] == 24
    assert data["basket"]["average_ticket"] == round(sum(d["total"] for d in docs) / 24)
    sold = sum(units.values())
    assert abs(float(data["basket"]["units_per_sale"]) - sold / 24) < 0.01
    # make_sale rings everything up at 06:01 UTC: 13:00 in a WIB store.
    assert [h["hour"] for h in data["hours"] if h["transactions"]] == [13]
    members = sum(1 for doc in docs if doc.get("member_id"))
    assert data["members"]["member_sales"] == members
    assert data["members"]["other_sales"] == 24 - members
    page = client.get("/stores/store-1/analytics?start=2026-11-26&end=2026-11-28&lang=en")
    assert page.status_code == 200 and "Best sellers" in page.text and "13:00" in page.text
    assert "Paling laris" in client.get("/stores/store-1/analytics?end=2026-11-27").text
    backwards = client.get("/api/stores/store-1/analytics?start=2026-11-28&end=2026-11-26")
    assert backwards.status_code == 422 and "ends before" in backwards.json()["detail"]
    assert "Not a valid period" in client.get("/stores/store-1/analytics?start=x&lang=en").text
