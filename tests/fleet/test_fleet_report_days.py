"""A report reads only its own days' books events (refunds, shift closes, Zs), picked by
the business day they carry (``events.business_date``), on both engines, and still equals
the kiosk's own Z: the days around it hold events that must not count, a refund made on a
later day for an earlier day's sale counts on the day it was made, and a refund made after
the evening's Z counts on the next business day although its time is still that evening.
Events stored before migration 0013 get their day from the migration.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from fleet.services.reports import day_report, period_report
from fleet.storage import schema
from kiosk.services.books import books_services
from kiosk.storage.books import z_report
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale
from tests.fleet.test_fleet_reports import STORE, SUPERVISOR, comparable, publish_to_fleet, summed

DAYS = [date(2026, 11, 24) + timedelta(days=i) for i in range(3)]
BOOKS = ("refunds", "z_number", "closed_at", "over_short")


def wib(day: date, hour: int) -> datetime:
    """``hour`` o'clock in Jakarta on ``day``, in UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=7)


def ring_up(tmp_path: Path) -> Path:
    """Three days of one kiosk: four sales a day; each evening one unit of the first
    receipt not yet refunded comes back (from the second day on, a sale of the day before),
    then the shift and the day close; on the first day a second refund after the Z. A
    line voided each day (its event carries no business day)."""
    db = tmp_path / "k1.db"
    ledger = SqliteLedger(db, "k1")
    rng = random.Random(7)
    clock = SettableClock(wib(DAYS[0], 8))
    books = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    refunded = 0
    try:
        for d, day in enumerate(DAYS):
            clock.at = wib(day, 8)
            books.shifts.open(SUPERVISOR, 200_000)
            for n in range(4):
                moment = wib(day, 9 + n).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
                if n == 1:  # an event that carries no business day
                    ledger.record_event("void", f"basket-{d}", {"line_no": 1, "sku": "VOID",
                                        "qty": 1, "staff": ""}, moment)  # fmt: skip
                ledger.commit_sale(make_sale(rng, device_id="k1", business_date=day.isoformat(),
                                             created_at=moment, sale_id=f"k1-{d}-{n}"))  # fmt: skip
            for hour, then in ((20, "refund"), (21, "shift"), (21, "z"), (22, "late refund")):
                clock.at = wib(day, hour)
                if then == "shift":
                    books.shifts.close(SUPERVISOR, 190_000 + 1000 * d)
                elif then == "z":
                    books.day_close.close(SUPERVISOR)
                elif then == "refund" or d == 0:
                    refunded += 1
                    books.refunds.refund(SUPERVISOR, refunded, [(1, 1)], restock=True,
                                         cash_approver=SUPERVISOR)  # fmt: skip
    finally:
        ledger.close()
    return db


def kiosk_days(db: Path) -> dict[str, dict[str, Any]]:
    conn = open_db(db)
    try:
        return {day.isoformat(): z_report(conn, day.isoformat(), "k1") for day in DAYS}
    finally:
        conn.close()


def reports(engine: sa.Engine) -> dict[str, dict[str, Any]]:
    with engine.connect() as conn:
        return {day.isoformat(): day_report(conn, STORE, day.isoformat(), "k1") for day in DAYS}


def test_a_day_counts_its_own_books_events_alone(fleet_engine: sa.Engine, tmp_path: Path) -> None:
    db = ring_up(tmp_path)
    publish_to_fleet(fleet_engine, db, "k1")
    theirs, mine = kiosk_days(db), reports(fleet_engine)
    first, second, third = (day.isoformat() for day in DAYS)
    # The kiosk: day 1 one refund, day 2 the one made after day 1's Z and its own (of a day
    # 1 sale), day 3 one (of a day 2 sale); a Z and a shift every day.
    assert [theirs[day]["refunds"]["count"] for day in theirs] == [1, 2, 1]
    assert [theirs[day]["z_number"] for day in theirs] == [1, 2, 3]
    for day in theirs:
        assert comparable(mine[day]) == comparable(theirs[day]), day
        for key in BOOKS:
            assert mine[day][key] == theirs[day][key], (day, key)
    with fleet_engine.connect() as conn:
        e = schema.events
        late = conn.execute(
            sa.select(e.c.at, e.c.business_date).where(e.c.kind == "refund").order_by(e.c.at)
        ).all()[1]
        assert late == (wib(DAYS[0], 22).strftime("%Y-%m-%dT%H:%M:%S.%fZ"), DAYS[1])
        two = period_report(conn, STORE, second, third)
        assert comparable(two) == summed([theirs[second], theirs[third]])
        assert two["z_ranges"] == {"k1": {"first": 2, "last": 3, "count": 2}}
        assert two["over_short"] == {"Budi": sum(theirs[d]["over_short"]["Budi"]
                                                 for d in (second, third))}  # fmt: skip
        after = day_report(conn, STORE, (DAYS[-1] + timedelta(days=1)).isoformat())
        before = period_report(conn, STORE, "2026-10-01", (DAYS[0] - timedelta(days=1)).isoformat())
    for empty in (after, before):
        assert empty["refunds"] == {"count": 0, "amount": 0, "ppn": 0, "tenders": {},
                                    "paid_as": {}}  # fmt: skip
        assert empty["z_numbers"] == {} and empty["over_short"] == {}
    assert mine[first]["refunds"]["amount"] != mine[second]["refunds"]["amount"]


def test_the_migration_gives_the_events_stored_before_their_day(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    publish_to_fleet(fleet_engine, ring_up(tmp_path), "k1")
    e = schema.events
    query = sa.select(e.c.event_id, e.c.kind, e.c.business_date).order_by(e.c.event_id)
    with fleet_engine.connect() as conn:
        stored = conn.execute(query).all()
    dated = {kind for _, kind, day in stored if day is not None}
    assert {kind for _, kind, day in stored if day is None} == {"void"}
    assert dated == {"refund", "shift_close", "z_close"}
    expected = reports(fleet_engine)
    config = Config()
    config.set_main_option("script_location", str(resources.files("fleet.storage") / "migrations"))
    with fleet_engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0012")
        command.upgrade(config, "head")
        assert conn.execute(query).all() == stored
    assert reports(fleet_engine) == expected
