"""Enrolling members and earning points through the loyalty service over a real SQLite
ledger: the points are written with the sale (one transaction), after discounts."""

from __future__ import annotations

import json
import sqlite3

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.loyalty import MemberError
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.points_store import PointsStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

PRODUCTS = [Product("KOPI", "Kopi", 12_500)]


@pytest.fixture
def device_id() -> str:
    return "k1"


@pytest.fixture
def loyalty(ledger: SqliteLedger, clock: SettableClock) -> LoyaltyService:
    return LoyaltyService(SqliteUnitOfWork(ledger), clock, PointsStore(ledger.conn),
                          MembersStore(ledger.conn))  # fmt: skip


@pytest.fixture
def checkout(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    return CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                           config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip


def kinds(conn: sqlite3.Connection) -> list[str]:
    return [str(r[0]) for r in conn.execute("SELECT kind FROM journal ORDER BY seq")]


def test_enrol_by_phone_once(loyalty: LoyaltyService, ledger: SqliteLedger) -> None:
    member = loyalty.enrol("+62 812-3456-7890", "Sari")
    assert (member.phone, member.name) == ("081234567890", "Sari")
    with pytest.raises(MemberError, match="already a member"):
        loyalty.enrol("0812 3456 7890", "Sari again")
    with pytest.raises(MemberError):
        loyalty.enrol("12345", "Nobody")
    assert kinds(ledger.conn) == ["member_enrol"]
    assert loyalty.report() == [{"member_id": member.member_id, "phone": "081234567890",
                                 "name": "Sari", "points": 0, "tier": "basic"}]  # fmt: skip


def test_a_members_sale_earns_one_point_per_full_10000_after_discounts(
    loyalty: LoyaltyService, checkout: CheckoutService, ledger: SqliteLedger
) -> None:
    member = loyalty.enrol("081234567890", "Sari")
    loyalty.attach(checkout, "081234567890")
    checkout.add_sku("KOPI", 4)  # 50.000
    checkout.discount_order(amount=21_000)  # 29.000 paid -> 2 points
    checkout.pay_cash(29_000)
    sale, earned = loyalty.complete(checkout)
    assert (sale.member_id, sale.total, earned) == (member.member_id, 29_000, 2)
    assert loyalty.balance(member.member_id) == 2
    (payload,) = [json.loads(r[0]) for r in ledger.conn.execute(
        "SELECT payload FROM journal WHERE kind = 'points'")]  # fmt: skip
    assert payload == {"member_id": member.member_id, "sale_id": sale.sale_id, "move": "earn",
                       "points": 2, "spend": 29_000}  # fmt: skip
    assert (
        ledger.conn.execute(
            'SELECT COUNT(*) FROM outbox WHERE payload LIKE \'%"kind":"points"%\''
        ).fetchone()[0]
        == 1
    )
    # A sale without a member earns nothing and books nothing.
    checkout.add_sku("KOPI", 1)
    checkout.pay_cash(12_500)
    assert loyalty.complete(checkout)[1] == 0
    assert ledger.conn.execute("SELECT COUNT(*) FROM points_moves").fetchone()[0] == 1


def test_a_failing_points_booking_leaves_no_sale(
    loyalty: LoyaltyService, checkout: CheckoutService, ledger: SqliteLedger
) -> None:
    loyalty.enrol("081234567890", "Sari")
    loyalty.attach(checkout, "081234567890")
    checkout.add_sku("KOPI", 1)
    checkout.pay_cash(12_500)
    ledger.conn.execute("DROP TABLE points_moves")  # the points cannot be written
    with pytest.raises(sqlite3.OperationalError):
        loyalty.complete(checkout)
    assert ledger.conn.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 0
