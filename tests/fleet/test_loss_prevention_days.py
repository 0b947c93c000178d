"""The loss-prevention view counts a books event (refund, no-sale, shift close) on the
business day its kiosk gave it, as the reports do (``events.business_date``), so its
figures agree with the day reports on both engines, also for a night that runs past
midnight: a refund and a no-sale made after midnight UTC that still belong to the
evening's business day, and the ones made after a Z taken after local midnight, which
the kiosk puts two days after the UTC date of their time."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from fleet.services.analytics_people import loss_prevention
from fleet.services.reports import day_report, period_report
from fleet.storage import schema
from kiosk.services.books import books_services
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale
from tests.fleet.test_fleet_reports import STORE, SUPERVISOR, publish_to_fleet

D = date(2026, 11, 26)
DAYS = [D + timedelta(days=i) for i in range(3)]


def local(day: date, hour: int, minute: int = 0, zone_hours: int = 7) -> datetime:
    """``hour``:``minute`` on ``day`` in a zone ``zone_hours`` east of UTC, in UTC."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC) - timedelta(
        hours=zone_hours
    )


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def ring_up(tmp_path: Path, device: str, zone: str, zone_hours: int) -> Path:
    """A kiosk's night past midnight: four sales on D, a refund at 22:00, two sales,
    a refund and a no-sale after local midnight, then the shift closed and the Z taken
    (it closes the calendar day it is taken on, D+1), then a last refund and no-sale
    (the business day after that Z, D+2)."""
    db = tmp_path / f"{device}.db"
    ledger = SqliteLedger(db, device)
    rng = random.Random(11)
    clock = SettableClock(local(D, 8, zone_hours=zone_hours))
    books = books_services(SqliteUnitOfWork(ledger), clock, zone)
    sold = 0

    def sell(day: date, moment: datetime) -> None:
        nonlocal sold
        ledger.commit_sale(make_sale(rng, device_id=device, business_date=day.isoformat(),
                                     created_at=stamp(moment), sale_id=f"{device}-{sold}"))  # fmt: skip
        sold += 1

    def refund(receipt: int) -> None:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip

    try:
        books.shifts.open(SUPERVISOR, 200_000)
        for hour in (9, 12, 15, 18):
            sell(D, local(D, hour, zone_hours=zone_hours))
        clock.at = local(D, 22, zone_hours=zone_hours)
        refund(1)
        for minute in (10, 20):  # after local midnight: the kiosk's calendar day, D+1
            moment = local(DAYS[1], 0, minute, zone_hours=zone_hours)
            sell(DAYS[1], moment)
        clock.at = local(DAYS[1], 0, 30, zone_hours=zone_hours)
        refund(2)
        books.shifts.no_sale(SUPERVISOR, "uang kecil", "ns-1")
        books.shifts.close(SUPERVISOR, 190_000)
        clock.at = local(DAYS[1], 0, 40, zone_hours=zone_hours)
        books.day_close.close(SUPERVISOR)
        clock.at = local(DAYS[1], 0, 50, zone_hours=zone_hours)
        refund(3)
        books.shifts.no_sale(SUPERVISOR, "uang kecil", "ns-2")
    finally:
        ledger.close()
    return db


def agree(conn: sa.Connection, first: date, last: date) -> None:
    """The view's store figures are the report's for the same days."""
    seen = loss_prevention(conn, STORE, first, last)["store"]
    report = period_report(conn, STORE, first.isoformat(), last.isoformat())
    assert seen["sales"] == report["transactions"], (first, last)
    assert seen["voids"] == report["voids"]["count"], (first, last)
    assert seen["refunds"] == report["refunds"]["count"], (first, last)
    assert seen["refund_amount"] == -report["refunds"]["amount"], (first, last)
    assert seen["over_short"] == sum(report["over_short"].values()), (first, last)


def test_a_night_past_midnight_counts_on_the_kiosks_business_days(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    # A store at UTC+7 (Jakarta): its night's events after local midnight are still on
    # D in UTC; the refund and no-sale after the Z belong to D+2.
    publish_to_fleet(fleet_engine, ring_up(tmp_path, "k1", "Asia/Jakarta", 7), "k1")
    with fleet_engine.connect() as conn:
        e = schema.events
        late = conn.execute(
            sa.select(e.c.at, e.c.business_date)
            .where((e.c.kind == "refund") & (e.c.device_id == "k1"))
            .order_by(e.c.at)
        ).all()[-1]
        assert late == (stamp(local(DAYS[1], 0, 50)), DAYS[2])  # 17:50 UTC on D, day D+2
        assert day_report(conn, STORE, DAYS[2].isoformat())["refunds"]["count"] == 1
        for day in DAYS:
            agree(conn, day, day)
        agree(conn, DAYS[0], DAYS[-1])
        assert loss_prevention(conn, STORE, DAYS[2], DAYS[2])["store"]["no_sales"] == 1


def test_events_after_midnight_utc_count_on_the_previous_business_day(
    fleet_engine: sa.Engine, tmp_path: Path
) -> None:
    """A till at UTC-3 (the kiosk's zone; the fleet's store is left on its default): its
    evening runs past midnight UTC, and those refunds and no-sales are the evening's day."""
    publish_to_fleet(fleet_engine, ring_up(tmp_path, "k2", "America/Sao_Paulo", -3), "k2")
    with fleet_engine.connect() as conn:
        e = schema.events
        evening = conn.execute(
            sa.select(e.c.at, e.c.business_date).where(e.c.kind == "refund").order_by(e.c.at)
        ).all()[0]
        assert evening == (stamp(local(D, 22, zone_hours=-3)), D)  # 01:00 UTC on D+1
        assert evening[0].startswith(DAYS[1].isoformat())
        for day in DAYS:
            agree(conn, day, day)
        agree(conn, DAYS[0], DAYS[-1])
