"""The fleet's day report equals the kiosks' own Z, field by field, on both engines.

The same sales go through each kiosk's real ledger (kiosk.storage) and, as the messages
those ledgers put in their outbox, through the fleet's ingest into its tables; then the
fleet's store report is compared with the sum of the kiosks' own day reports.
"""

from __future__ import annotations

import dataclasses
import json
import random
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from fleet.cli.entry import main
from fleet.ingest.messages import store_message
from fleet.services.reports import day_report as fleet_day
from fleet.storage import schema
from fleet.storage.repository import Partitions
from kiosk.services.books import books_services
from kiosk.services.staff import StaffMember
from kiosk.storage.books import z_report
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.reports import day_report as kiosk_day
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale

STORE, DAY = "store-1", "2026-11-27"  # make_sale's store and day
COMPARED = ("transactions", "gross", "discounts", "returns", "net", "cash_rounding")
SUPERVISOR = StaffMember("s1", "Budi", "supervisor")


def ring_up(
    tmp_path: Path, device: str, count: int, seed: int, refunds: int = 0, *, close: bool = False
) -> Path:
    """``count`` sales on the kiosk's ledger (every third with a line voided before
    payment, journaled and published as the till does), then ``refunds`` refunds (one unit
    of the first line of receipts 1, 2, ...) made by a supervisor the same afternoon; with
    ``close``, the supervisor's shift closed with a blind count and the day's Z."""
    db = tmp_path / f"{device}.db"
    ledger = SqliteLedger(db, device)
    rng = random.Random(seed)
    try:
        for n in range(count):
            sale = make_sale(rng, device_id=device, sale_id=f"{device}-{n:04d}")
            if n % 3 == 0:
                voided = {"sku": "VOID", "qty": 1, "amount": 1000 + n}
                ledger.record_event("void", f"basket-{n}", {"line_no": 1, "sku": "VOID",
                                    "qty": 1, "staff": ""}, sale.created_at)  # fmt: skip
                sale = dataclasses.replace(sale, extra={**sale.extra, "voided_lines": [voided]})
            ledger.commit_sale(sale)
        clock = SettableClock(datetime(2026, 11, 27, 7, 0, tzinfo=UTC))  # 14:00 in Jakarta
        books = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
        if close:
            books.shifts.open(SUPERVISOR, 200_000)
        for receipt_no in range(1, refunds + 1):
            books.refunds.refund(
                SUPERVISOR, receipt_no, [(1, 1)], restock=True, cash_approver=SUPERVISOR
            )  # no terminal: in cash
        if close:
            books.shifts.close(SUPERVISOR, 150_000 + 100 * seed)
            books.day_close.close(SUPERVISOR)
    finally:
        ledger.close()
    return db


def publish_to_fleet(engine: sa.Engine, db: Path, device: str, store: str = STORE) -> None:
    """What the kiosk's outbox drain would publish, stored as ingest stores it."""
    rows = sqlite3.connect(db).execute("SELECT topic, payload FROM outbox ORDER BY id").fetchall()
    partitions = Partitions()
    with engine.begin() as conn:
        for suffix, payload in rows:
            topic = f"pos/v1/{store}/{device}/{suffix}"
            outcome = store_message(conn, topic, payload.encode(), received_at="2026-11-27T10:00:00Z",
                                    partitions=partitions)  # fmt: skip
            assert outcome == "new", (topic, payload[:200])


def kiosk_z(db: Path, device: str) -> dict[str, Any]:
    conn = open_db(db)
    try:
        return z_report(conn, DAY, device)
    finally:
        conn.close()


def summed(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """The kiosks' Z added up the way a store's total is: per key, per rate, per method."""
    total: dict[str, Any] = {key: sum(r[key] for r in reports) for key in COMPARED}
    total["refunds"] = {key: sum(r["refunds"][key] for r in reports)
                        for key in ("count", "amount", "ppn")}  # fmt: skip
    taxes: dict[str, dict[str, int]] = {}
    tenders: dict[str, dict[str, int]] = {}
    for report in reports:
        for tax in report["taxes"]:
            into = taxes.setdefault(tax["rate_percent"], {"taxable": 0, "dpp": 0, "ppn": 0})
            for key in into:
                into[key] += tax[key]
        for tender in report["tenders"]:
            into = tenders.setdefault(tender["method"], {"count": 0, "amount": 0})
            for key in into:
                into[key] += tender[key]
    total["taxes"] = taxes
    total["tenders"] = tenders
    return total


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    return {key: report[key] for key in COMPARED} | {
        "refunds": {key: report["refunds"][key] for key in ("count", "amount", "ppn")},
        "taxes": {t["rate_percent"]: {k: t[k] for k in ("taxable", "dpp", "ppn")}
                  for t in report["taxes"]},
        "tenders": {t["method"]: {"count": t["count"], "amount": t["amount"]}
                    for t in report["tenders"]},
    }  # fmt: skip


def test_a_stores_day_report_equals_its_kiosks_own_z(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    dbs = {device: ring_up(tmp_path, device, 25, seed, refunds=2 + seed, close=True)
           for seed, device in enumerate(["k1", "k2"])}  # fmt: skip
    for device, db in dbs.items():
        publish_to_fleet(fleet_engine, db, device)
    with fleet_engine.connect() as conn:
        per_kiosk = {device: fleet_day(conn, STORE, DAY, device) for device in dbs}
        store = fleet_day(conn, STORE, DAY)
        other_day = fleet_day(conn, STORE, "2026-11-28")
    kiosks = {device: kiosk_z(db, device) for device, db in dbs.items()}
    for device in dbs:  # one kiosk: every field of its Z, receipts and average included
        mine, theirs = per_kiosk[device], kiosks[device]
        assert mine["taxes"] == theirs["taxes"] and mine["tenders"] == theirs["tenders"]
        assert mine["channels"] == theirs["channels"]  # sales split by channel as the Z
        for key in (*COMPARED, "average_ticket", "first_receipt", "last_receipt", "refunds",
                    "items", "items_per_basket", "voids", "z_number", "closed_at",
                    "over_short"):  # fmt: skip
            assert mine[key] == theirs[key], (device, key)
        assert theirs["refunds"]["count"] == 2 + int(device[1]) - 1 and theirs["returns"] > 0
        assert theirs["voids"]["count"] == 9 and theirs["z_number"] == 1
        assert theirs["over_short"]["Budi"] != 0
    assert comparable(store) == summed(list(kiosks.values()))
    assert store["voids"] == {key: sum(k["voids"][key] for k in kiosks.values())
                              for key in ("count", "amount")}  # fmt: skip
    assert store["over_short"] == {"Budi": sum(k["over_short"]["Budi"] for k in kiosks.values())}
    assert store["z_numbers"] == {"k1": 1, "k2": 1} and store["z_number"] is None
    with fleet_engine.connect() as conn:  # voids are published: the chain has no gap there
        gaps = conn.execute(sa.select(schema.device_journals.c.gaps)).scalars().all()
        links = schema.journal_links
        voids = conn.execute(sa.select(sa.func.count()).where(links.c.kind == "void")).scalar()
    assert voids == 18
    assert gaps == [1, 1]  # only the shift's opening, which the kiosk journals unpublished
    assert store["transactions"] == 50
    assert store["items"] == sum(report["items"] for report in kiosks.values())
    assert {t["method"] for t in store["tenders"]} >= {"cash", "card", "qris"}
    assert [t["rate_percent"] for t in store["taxes"]] == ["11", "0"]
    assert other_day["transactions"] == 0 and other_day["taxes"] == []


def test_fleet_report_prints_the_store_report(
    fleet_url: str, fleet_engine: sa.Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish_to_fleet(fleet_engine, ring_up(tmp_path, "k1", 6, seed=5), "k1")
    args = ["report", "--db", fleet_url, "--store", STORE, "--date", DAY]
    assert main([*args, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    conn = open_db(tmp_path / "k1.db")
    try:
        theirs = kiosk_day(conn, DAY, None)
    finally:
        conn.close()
    assert printed["voids"] == theirs["voids"] and theirs["voids"]["count"] == 2
    theirs["refunds"] = {"count": 0, "amount": 0, "ppn": 0, "tenders": {}, "paid_as": {}}
    theirs["items"] = printed["items"]  # the Z's own keys, checked in the test above
    theirs["items_per_basket"] = printed["items_per_basket"]
    books = {"z_number": None, "closed_at": None, "z_numbers": {}, "over_short": {}}
    assert printed == theirs | books | {"store_id": STORE, "first_receipt": None,
                                        "last_receipt": None}  # fmt: skip
    assert main(args) == 0
    text = capsys.readouterr().out
    assert (
        "transactions  6" in text
        and f"voids         2 x  Rp{printed['voids']['amount']:,}".replace(",", ".") in text
    )
    assert main([*args[:-1], "27-11-2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
