"""Child process for test_crash_kill's points case: a member buys (paying part with points
now and then, earning points each time) and a supervisor refunds part of each sale, which
takes back earned points and gives back spent ones, on a clock that moves an hour per
sale, until it is killed.

Usage: python points_crash_child.py DB_PATH SEED KILL_AT. With KILL_AT > 0 the child
kills itself (SIGKILL) right after the KILL_AT-th points move a refund writes, inside the
refund's transaction: a kill at points, before the refund commits. On start it first
refunds the last sale that has no refund yet (the supervisor tries again after the
restart). Prints "ready", then "refund <id>" once each refund has returned (is durable).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
from datetime import UTC, datetime, timedelta

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.loyalty import Member
from kiosk.domain.points import LoyaltyRules
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.staff import StaffMember
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

ZONE = "Asia/Jakarta"
SUPERVISOR = StaffMember("s1", "Budi", "supervisor")
MEMBER = Member("M1", "Siti", "081234567890")
PRODUCTS = [Product("KOPI", "Kopi", 12_500), Product("TEH", "Teh", 5_000),
            Product("ROTI", "Roti", 16_000)]  # fmt: skip
RULES = LoyaltyRules(earn_rupiah_per_point=1_000, point_value=100, max_redeem_share_percent=50)


class KillingPoints(PointsStore):
    """The real points book, which kills the process after the ``kill_at``-th move a
    refund books (its kind is "reverse")."""

    def __init__(self, conn: sqlite3.Connection, kill_at: int) -> None:
        super().__init__(conn)
        self.kill_at = kill_at
        self.reverse_moves = 0

    def add(
        self, member_id: str, sale_id: str, kind: str, points: int, spend: int, at: str
    ) -> None:
        super().add(member_id, sale_id, kind, points, spend, at)
        if kind == "reverse":
            self.reverse_moves += 1
            if self.reverse_moves == self.kill_at:
                os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    db_path, seed, kill_at = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    ledger = SqliteLedger(db_path, "kiosk-1")
    members = MembersStore(ledger.conn)
    if members.by_phone(MEMBER.phone) is None:
        members.upsert_many([MEMBER])
    last = ledger.conn.execute(
        "SELECT max(t) FROM (SELECT max(created_at) AS t FROM sales UNION ALL"
        " SELECT max(created_at) FROM refunds)"
    ).fetchone()[0]
    start = datetime(2026, 11, 1, tzinfo=UTC) if last is None else datetime.fromisoformat(last)
    clock = SettableClock(start + timedelta(minutes=1))
    uow = SqliteUnitOfWork(ledger)
    loyalty = LoyaltyService(uow, clock, KillingPoints(ledger.conn, kill_at), members, RULES)
    books = books_services(uow, clock, ZONE, loyalty)
    checkout = CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                               config=CheckoutConfig("s1", "kiosk-1"))  # fmt: skip
    print("ready", flush=True)
    unrefunded = ledger.conn.execute(
        "SELECT receipt_no FROM sales s WHERE NOT EXISTS"
        " (SELECT 1 FROM refunds r WHERE r.sale_id = s.sale_id) ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    if unrefunded is not None:  # the refund the kill interrupted (or never started)
        refund(books, int(unrefunded[0]), [(1, 1)], clock)
    while True:
        clock.at += timedelta(hours=1)
        for sku in rng.sample(["KOPI", "TEH", "ROTI"], rng.randint(1, 3)):
            checkout.add_sku(sku, rng.randint(1, 4))
        checkout.set_member(MEMBER.member_id)
        most = loyalty.offer(checkout)[1]
        if most and rng.random() < 0.7:
            loyalty.redeem(checkout, rng.randint(1, most))
        checkout.pay_cash(checkout.start_payment().remaining)
        sale, _ = loyalty.complete(checkout)
        lines = [(line.line_no, rng.randint(1, line.qty)) for line in sale.lines]
        refund(books, sale.receipt_no, lines[: rng.randint(1, len(lines))], clock)


def refund(books: Books, receipt_no: int, lines: list[tuple[int, int]],
           clock: SettableClock) -> None:  # fmt: skip
    clock.at += timedelta(seconds=1)
    body = books.refunds.refund(
        SUPERVISOR, receipt_no, lines, restock=True, cash_approver=SUPERVISOR
    )
    print(f"refund {body['refund_id']}", flush=True)


if __name__ == "__main__":
    main()
