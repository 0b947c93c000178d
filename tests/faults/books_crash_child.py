"""Child process for test_crash_kill's books case: sells, refunds part of each sale and
closes a business day every few sales, on a clock that moves an hour per step, until it
is killed.

Usage: python books_crash_child.py DB_PATH SEED. Prints "ready", then "refund <id>" and
"z <number>" once each has returned (is durable).
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta

from kiosk.services.books import books_services
from kiosk.services.business_day import business_date
from kiosk.services.day_close import DayCloseError
from kiosk.services.staff import StaffMember
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.sales import make_sale

ZONE = "Asia/Jakarta"
SUPERVISOR = StaffMember("s1", "Budi", "supervisor")


def main() -> None:
    db_path, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    ledger = SqliteLedger(db_path, "kiosk-1")
    last = ledger.conn.execute(
        "SELECT max(t) FROM (SELECT max(created_at) AS t FROM sales UNION ALL"
        " SELECT max(created_at) FROM refunds UNION ALL SELECT max(closed_at) FROM day_closes)"
    ).fetchone()[0]
    start = datetime(2026, 11, 1, tzinfo=UTC) if last is None else datetime.fromisoformat(last)
    clock = SettableClock(start + timedelta(minutes=1))
    books = books_services(SqliteUnitOfWork(ledger), clock, ZONE)
    print("ready", flush=True)
    while True:
        clock.at += timedelta(hours=1)
        day = books.day_close.uow.books.open_day(business_date(clock.at, ZONE))
        stamp = clock.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        sale = ledger.commit_sale(make_sale(rng, business_date=day, created_at=stamp))
        clock.at += timedelta(seconds=1)
        wanted = [(line.line_no, line.qty) for line in sale.lines[: rng.randint(1, 2)]]
        refund = books.refunds.refund(
            SUPERVISOR, sale.receipt_no, wanted, restock=True, cash_approver=SUPERVISOR
        )  # no terminal: in cash
        print(f"refund {refund['refund_id']}", flush=True)
        if rng.random() < 0.3:
            clock.at += timedelta(seconds=1)
            try:
                closed = books.day_close.close(SUPERVISOR)
            except DayCloseError:
                continue  # today's day is already closed: tomorrow's comes later
            print(f"z {closed['z_number']}", flush=True)


if __name__ == "__main__":
    main()
