"""ABC classes, stock cover and products bought together, against figures worked out
here from the sale documents the kiosks published and the stock figures they reported,
on both engines; pages and CSV in both languages."""

from __future__ import annotations

import csv
import io
import math
import random
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from itertools import combinations
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.storage import repository
from fleet.web import create_app
from tests.fleet.accounts import signed_in
from tests.fleet.analytics_sales import random_plan, ring_up_plan

PERIOD = ("2026-11-01", "2026-11-28")
QUERY = f"start={PERIOD[0]}&end={PERIOD[1]}"
DAYS = 28


def exact(value: Fraction, places: int) -> str:
    step = Decimal(1).scaleb(-places)
    return str((Decimal(value.numerator) / value.denominator).quantize(step, ROUND_HALF_UP))


def pct(part: int, whole: int) -> str:
    return exact(Fraction(100 * part, whole), 1)


def sold_in_period(engine: sa.Engine, tmp_path: Path) -> list[dict[str, Any]]:
    """Six weeks of sales on two kiosks (the first two before the period)."""
    rng = random.Random(5)
    docs = []
    for n, device in enumerate(("k1", "k2")):
        docs += ring_up_plan(
            engine, tmp_path, device, random_plan(rng, date(2026, 10, 18), 42, 4), n
        )
    return [d for d in docs if PERIOD[0] <= d["business_date"] <= PERIOD[1]]


def client_for(engine: sa.Engine) -> TestClient:
    client = TestClient(create_app(engine))
    signed_in(engine, client, "owner", role="owner")
    return client


def test_abc_classes(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = sold_in_period(fleet_engine, tmp_path)
    amount: Counter[str] = Counter()
    units: Counter[str] = Counter()
    for doc in docs:
        for line in doc["lines"]:
            amount[line["sku"]] += line["amount"]
            units[line["sku"]] += line["qty"]
    total = sum(amount.values())
    ranked = sorted(amount, key=lambda sku: (-amount[sku], sku))
    wanted, before = [], 0
    for sku in ranked:
        share_before = Fraction(before, total)
        klass = (
            "A"
            if share_before < Fraction(80, 100)
            else "B"
            if share_before < Fraction(95, 100)
            else "C"
        )
        before += amount[sku]
        wanted.append(
            (sku, klass, units[sku], amount[sku], pct(amount[sku], total), pct(before, total))
        )
    data = client_for(fleet_engine).get(f"/api/stores/store-1/analytics/abc?{QUERY}").json()
    got = [(p["sku"], p["class"], p["units"], p["amount"], p["share"], p["cumulative_share"])
           for p in data["products"]]  # fmt: skip
    assert got == wanted and data["revenue"] == total
    assert {k for _, k, *_ in got} == {"A", "B", "C"}
    classes = {c["class"]: c for c in data["classes"]}
    for klass in "ABC":
        mine = [w for w in wanted if w[1] == klass]
        assert classes[klass]["products"] == len(mine)
        assert classes[klass]["amount"] == sum(w[3] for w in mine)
    a_share = Fraction(classes["A"]["amount"], total)
    assert (
        a_share
        >= Fraction(80, 100)
        > a_share - Fraction(amount[[w for w in wanted if w[1] == "A"][-1][0]], total)
    )


def test_stock_cover(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = sold_in_period(fleet_engine, tmp_path)
    sold: Counter[str] = Counter()
    for doc in docs:
        for line in doc["lines"]:
            sold[line["sku"]] += line["qty"]
    rng = random.Random(9)
    counted = {f"SKU{n:03d}": rng.randint(0, 80) for n in range(1, 46)}  # 41..45 never sell
    after = "2026-11-29T01:00:00.000000Z"  # after every sale: what the kiosks count is on hand
    with fleet_engine.begin() as conn:
        for device, skus in (("k1", list(counted)[::2]), ("k2", list(counted)[1::2])):
            items = [{"sku": sku, "qty": counted[sku]} for sku in skus]
            repository.store_stock(conn, {"stock_id": f"{device}-snap", "store_id": "store-1",
                                          "device_id": device, "kind": "snapshot", "at": after,
                                          "items": items})  # fmt: skip
    data = client_for(fleet_engine).get(f"/api/stores/store-1/analytics/stock?{QUERY}").json()
    rows = {p["sku"]: p for p in data["products"]}
    assert set(rows) == set(counted) and data["days"] == DAYS
    for sku, units in counted.items():
        rate = Fraction(sold[sku], DAYS)
        cover = Fraction(units) / rate if rate else None
        row = rows[sku]
        assert (row["available"], row["sold"], row["per_day"]) == (units, sold[sku], exact(rate, 2))
        assert row["cover_days"] == (None if cover is None else exact(cover, 1)), sku
        assert row["reorder"] == max(0, math.ceil(rate * 14 - units)), sku
        assert row["slow"] == (cover is None or cover > 60), sku
    order = [p["sku"] for p in data["products"]]
    covers = [Fraction(counted[s]) / Fraction(sold[s], DAYS) for s in order if sold[s]]
    assert covers == sorted(covers)  # soonest out first
    assert all(not sold[s] for s in order[len(covers) :]) and order[-1] == "SKU045"
    assert rows["SKU045"]["slow"] and rows["SKU045"]["cover_days"] is None


def test_bought_together(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = sold_in_period(fleet_engine, tmp_path)
    baskets = [sorted({line["sku"] for line in doc["lines"]}) for doc in docs]
    with_sku: Counter[str] = Counter(sku for basket in baskets for sku in basket)
    pairs: Counter[tuple[str, str]] = Counter(
        p for basket in baskets for p in combinations(basket, 2)
    )
    n = len(baskets)
    wanted = [
        (a, b, k, pct(k, n), pct(k, with_sku[a]), pct(k, with_sku[b]),
         exact(Fraction(k * n, with_sku[a] * with_sku[b]), 2))
        for (a, b), k in sorted(pairs.items(), key=lambda item: (-item[1], item[0]))
        if k >= 2
    ][:50]  # fmt: skip
    assert wanted, "the data has pairs"
    data = client_for(fleet_engine).get(f"/api/stores/store-1/analytics/pairs?{QUERY}").json()
    got = [(p["sku_a"], p["sku_b"], p["sales"], p["support"], p["confidence_a_b"],
            p["confidence_b_a"], p["lift"]) for p in data["pairs"]]  # fmt: skip
    assert got == wanted and data["sales"] == n


def test_pages_and_csv(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    docs = sold_in_period(fleet_engine, tmp_path)
    client = client_for(fleet_engine)
    page = client.get(f"/stores/store-1/analytics/abc?{QUERY}&lang=id").text
    assert "Kelas ABC" in page and "Porsi omzet" in page and "Cumulative" not in page
    assert "ABC classes" in client.get(f"/stores/store-1/analytics/abc?{QUERY}&lang=en").text
    page = client.get(f"/stores/store-1/analytics/stock?{QUERY}&lang=id").text
    assert "Belum ada angka stok" in page  # no kiosk reported stock here
    page = client.get(f"/stores/store-1/analytics/pairs?{QUERY}&lang=id").text
    assert "Kekuatan kaitan" in page and "Lift" not in page
    assert "Lift" in client.get(f"/stores/store-1/analytics/pairs?{QUERY}&lang=en").text
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/stores/store-1/analytics/abc/csv?{QUERY}&lang=en").text)
        )
    )
    assert rows[0] == [
        "SKU",
        "Product",
        "Class",
        "Units",
        "Amount",
        "Share of sales (%)",
        "Cumulative (%)",
    ]
    assert sum(int(r[4]) for r in rows[1:]) == sum(d["total"] for d in docs)
    rows = list(
        csv.reader(
            io.StringIO(client.get(f"/stores/store-1/analytics/pairs/csv?{QUERY}&lang=id").text)
        )
    )
    assert rows[0][4:6] == ["Transaksi berisi keduanya", "Dukungan (%)"] and len(rows) > 1
