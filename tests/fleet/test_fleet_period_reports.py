"""A store's week, month and range reports equal its kiosks' own day reports (Z) added up
over those days, key by key, on both engines; the report page offers the periods.

Each kiosk sells on six days across a month's end (a line voided now and then), refunds
one unit of an earlier receipt some evenings, and closes its cashier's shift and its day
every night, all through its real ledger and books; the fleet stores what they published.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from fleet.cli.entry import main
from fleet.services.reports import period_report
from fleet.web import create_app
from kiosk.services.books import books_services
from kiosk.storage.books import z_report
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale
from tests.fleet.accounts import signed_in
from tests.fleet.test_fleet_reports import STORE, SUPERVISOR, comparable, publish_to_fleet, summed

FIRST = date(2026, 10, 29)  # Thursday; the kiosks sell up to Tuesday 2026-11-03
DAYS = [FIRST + timedelta(days=i) for i in range(6)]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """``hour`` o'clock WIB on ``day``, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(hours=7)


def ring_up_days(tmp_path: Path, device: str, seed: int) -> Path:
    db = tmp_path / f"{device}.db"
    ledger = SqliteLedger(db, device)
    rng = random.Random(seed)
    clock = SettableClock(at(FIRST, 7))
    books = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    receipt = 0
    try:
        for d, day in enumerate(DAYS):
            clock.at = at(day, 8)
            books.shifts.open(SUPERVISOR, 200_000)
            for n in range(rng.randint(3, 6)):
                moment = at(day, 9 + n, rng.randint(0, 59)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                sale = make_sale(rng, device_id=device, business_date=day.isoformat(),
                                 created_at=moment, sale_id=f"{device}-{d}-{n}")  # fmt: skip
                if n % 3 == 0:
                    voided = [{"sku": "VOID", "qty": 1, "amount": 1000 + n}]
                    sale = dataclasses.replace(sale, extra={**sale.extra, "voided_lines": voided})
                ledger.commit_sale(sale)
            clock.at = at(day, 20)
            if d % 2 == 1:  # one unit of an earlier receipt comes back
                receipt += 1
                books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                     cash_approver=SUPERVISOR)  # fmt: skip
            clock.at = at(day, 21)
            books.shifts.close(SUPERVISOR, 180_000 + 1000 * d)
            books.day_close.close(SUPERVISOR)
    finally:
        ledger.close()
    return db


def kiosk_reports(dbs: dict[str, Path], first: date, last: date) -> Iterator[dict[str, Any]]:
    """Every kiosk's own Z of every day ``first``..``last`` that it sold on."""
    for device, db in dbs.items():
        conn = open_db(db)
        try:
            for day in DAYS:
                if first <= day <= last:
                    yield z_report(conn, day.isoformat(), device)
        finally:
            conn.close()


def test_week_month_and_range_equal_the_kiosks_days_added_up(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    dbs = {device: ring_up_days(tmp_path, device, seed) for seed, device in enumerate(["k1", "k2"])}
    for device, db in dbs.items():
        publish_to_fleet(fleet_engine, db, device)
    periods = {
        "week": (date(2026, 10, 26), date(2026, 11, 1)),  # Monday to Sunday: 4 of the 6 days
        "october": (date(2026, 10, 1), date(2026, 10, 31)),
        "november": (date(2026, 11, 1), date(2026, 11, 30)),
        "all": (FIRST, DAYS[-1]),
    }
    with fleet_engine.connect() as conn:
        for name, (first, last) in periods.items():
            theirs = list(kiosk_reports(dbs, first, last))
            mine = period_report(conn, STORE, first.isoformat(), last.isoformat())
            assert comparable(mine) == summed(theirs), name
            assert mine["voids"] == {key: sum(z["voids"][key] for z in theirs)
                                     for key in ("count", "amount")}, name  # fmt: skip
            assert mine["items"] == sum(z["items"] for z in theirs), name
            cashiers = {"Budi": sum(z["over_short"]["Budi"] for z in theirs)}
            assert mine["over_short"] == cashiers, name
            z_counts = {device: mine["z_ranges"][device]["count"] for device in dbs}
            assert z_counts == {device: len(theirs) // 2 for device in dbs}, name
            assert mine["transactions"] > 0 and mine["refunds"]["count"] > 0, name
        one = period_report(conn, STORE, FIRST.isoformat(), DAYS[-1].isoformat(), "k2")
        assert one["z_ranges"] == {"k2": {"first": 1, "last": 6, "count": 6}}
        assert comparable(one) == summed(list(kiosk_reports({"k2": dbs["k2"]}, FIRST, DAYS[-1])))
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "manager", role="manager", stores=[STORE])
    api = client.get(f"/api/stores/{STORE}/report?start=2026-10-26&end=2026-11-01").json()
    with fleet_engine.connect() as conn:
        assert api == period_report(conn, STORE, "2026-10-26", "2026-11-01")
    day = client.get(f"/api/stores/{STORE}/report?start=2026-10-30&end=2026-10-30").json()
    assert day == client.get(f"/api/stores/{STORE}/day/2026-10-30").json()
    assert "start" not in day and day["business_date"] == "2026-10-30"
    assert (
        client.get(f"/api/stores/{STORE}/report?start=2026-11-02&end=2026-11-01").status_code == 422
    )


def test_the_report_page_offers_day_week_month_and_a_range(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    publish_to_fleet(fleet_engine, ring_up_days(tmp_path, "k1", 3), "k1")
    client = TestClient(create_app(fleet_engine))
    signed_in(fleet_engine, client, "manager", role="manager", stores=[STORE])
    base = f"/stores/{STORE}/report"
    week = client.get(f"{base}?period=week&date=2026-10-29&lang=id").text
    assert "Laporan mingguan" in week and "2026-10-26 s.d. 2026-11-01" in week
    assert "Z 1–4 (4 hari ditutup)" in week
    with fleet_engine.connect() as conn:
        net = period_report(conn, STORE, "2026-11-01", "2026-11-30")["net"]
    month = client.get(f"{base}?period=month&date=2026-11-15&lang=en").text
    assert "Month report" in month and "2026-11-01 to 2026-11-30" in month
    assert f"Rp{net:,}" in month  # English groups with commas
    ranged = client.get(f"{base}?period=range&start=2026-10-30&end=2026-11-02&lang=en").text
    assert "Report for a range of days" in ranged and "Z 2–5 (4 days closed)" in ranged
    day = client.get(f"{base}?date=2026-10-30&lang=id").text
    assert "Laporan harian" in day and "Z 2" in day and "s.d." not in day
    bad = client.get(f"{base}?period=range&start=2026-11-02&end=2026-10-30&lang=en").text
    assert "Not a valid period" in bad
    assert "Not a valid date" in client.get(f"{base}?period=week&date=30-10-2026&lang=en").text


def test_fleet_report_prints_a_week_or_a_month(
    fleet_url: str, fleet_engine: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_to_fleet(fleet_engine, ring_up_days(tmp_path, "k1", 4), "k1")
    args = ["report", "--db", fleet_url, "--store", STORE, "--date", "2026-10-29"]
    with fleet_engine.connect() as conn:
        week = period_report(conn, STORE, "2026-10-26", "2026-11-01")
        month = period_report(conn, STORE, "2026-10-01", "2026-10-31")
    assert main([*args, "--period", "week", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == week
    assert main([*args, "--period", "month", "--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out) == month
        and month["transactions"] < week["transactions"]
    )
    assert main([*args, "--period", "week"]) == 0
    assert capsys.readouterr().out.startswith(
        f"{STORE} 2026-10-26..2026-11-01\ntransactions  {week['transactions']}"
    )
