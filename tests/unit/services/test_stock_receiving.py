"""Receiving and adjusting stock through the service over a real SQLite ledger: a
supervisor's right, journaled with who, the moving average cost, negative stock allowed
but flagged, and reorder suggestions from the recent daily sales rate."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.services.changes import ChangeRefusedError
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.staff import NotAllowedError, StaffMember
from kiosk.services.stock_receiving import ReorderSettings, StockReceiving
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

ANI = StaffMember("c1", "Ani", "cashier")
BUDI = StaffMember("s1", "Budi", "supervisor")
PRODUCTS = [Product("TEH", "Teh", 5_000), Product("KOPI", "Kopi", 12_500)]


@pytest.fixture
def device_id() -> str:
    return "k1"


@pytest.fixture
def ledger(ledger: SqliteLedger) -> SqliteLedger:
    SqliteUnitOfWork(ledger).catalog.upsert(PRODUCTS)
    return ledger


@pytest.fixture
def service(ledger: SqliteLedger, clock: SettableClock) -> StockReceiving:
    return StockReceiving(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta",
                          ReorderSettings(lead_time_days=3, safety_stock=2, demand_days=7))  # fmt: skip


def journal(conn: sqlite3.Connection, kind: str) -> list[dict[str, object]]:
    rows = conn.execute("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,))
    return [json.loads(r[0]) for r in rows]


def test_receiving_books_the_level_the_average_cost_and_who(
    service: StockReceiving, ledger: SqliteLedger
) -> None:
    assert service.receive(BUDI, "TEH", 10, 3_000, "PT Sosro") == {
        "sku": "TEH", "qty": 10, "cost": 3_000}  # fmt: skip
    # 10 at 3.000 + 5 at 3.600 = 48.000 for 15 -> 3.200 each
    assert service.receive(BUDI, "TEH", 5, 3_600, "PT Sosro")["cost"] == 3_200
    (first, second) = journal(ledger.conn, "stock_receive")
    assert first["by"] == "Budi" and first["supplier"] == "PT Sosro"
    assert second["level"] == 15 and second["average_cost"] == 3_200
    rows = ledger.conn.execute("SELECT qty, unit_cost, supplier, received_by FROM stock_receipts")
    assert [tuple(r) for r in rows] == [
        (10, 3_000, "PT Sosro", "Budi"),
        (5, 3_600, "PT Sosro", "Budi"),
    ]


def test_a_cashier_or_nobody_may_not_receive_and_nothing_changes(
    service: StockReceiving, ledger: SqliteLedger
) -> None:
    for member in (ANI, None):
        with pytest.raises(NotAllowedError):
            service.receive(member, "TEH", 10, 3_000, "PT Sosro")
        with pytest.raises(NotAllowedError):
            service.adjust(member, "TEH", 1, "waste")
    assert ledger.conn.execute("SELECT COUNT(*) FROM stock_moves").fetchone()[0] == 0
    assert journal(ledger.conn, "stock_receive") == []


@pytest.mark.parametrize(("sku", "qty", "cost"), [
    ("NOPE", 1, 1_000), ("TEH", 0, 1_000), ("TEH", 1, -1), ("TEH", True, 1), ("TEH", 1.5, 1),
])  # fmt: skip
def test_bad_receiving_is_refused_and_changes_nothing(
    service: StockReceiving, ledger: SqliteLedger, sku: str, qty: int, cost: int
) -> None:
    with pytest.raises(ChangeRefusedError):
        service.receive(BUDI, sku, qty, cost, "PT Sosro")
    assert ledger.conn.execute("SELECT COUNT(*) FROM stock_receipts").fetchone()[0] == 0
    assert ledger.conn.execute("SELECT COUNT(*) FROM stock_moves").fetchone()[0] == 0


def test_adjustments_take_the_reasons_direction_and_negative_stock_is_flagged(
    service: StockReceiving, ledger: SqliteLedger
) -> None:
    service.receive(BUDI, "KOPI", 2, 8_000, "Kapal Api")
    assert service.adjust(BUDI, "KOPI", 1, "found")["qty"] == 3
    assert service.adjust(BUDI, "KOPI", -1, "expired")["qty"] == 2  # a loss either way
    done = service.adjust(BUDI, "KOPI", 5, "damaged")
    assert (done["qty"], done["delta"], done["negative"]) == (-3, -5, True)
    alerts = [json.loads(r[0]) for r in ledger.conn.execute(
        "SELECT payload FROM outbox WHERE topic = 'alert'")]  # fmt: skip
    assert [a["detail"] for a in alerts] == [{"sku": "KOPI", "qty": -3, "negative": True}]
    assert [a["by"] for a in journal(ledger.conn, "stock_adjust")] == ["Budi"] * 3
    with pytest.raises(ChangeRefusedError, match="reason must be one of"):
        service.adjust(BUDI, "KOPI", 1, "stolen")
    assert next(r for r in service.report() if r["sku"] == "KOPI")["negative"] is True


def test_the_report_suggests_an_order_from_the_recent_daily_rate(
    service: StockReceiving, ledger: SqliteLedger, clock: SettableClock
) -> None:
    service.receive(BUDI, "TEH", 20, 3_000, "PT Sosro")
    checkout = CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip
    for _ in range(7):  # two a day for a week
        checkout.add_sku("TEH", 2)
        checkout.pay_cash(10_000)
        checkout.complete()
        clock.at += timedelta(days=1)
    clock.at -= timedelta(days=1)
    (teh,) = [row for row in service.report() if row["sku"] == "TEH"]
    # demand 2/day: reorder point 2 x 3 + 2 = 8; on hand 6 -> 8 + 6 - 6 = 8
    assert (teh["qty"], teh["cost"], teh["reorder_point"], teh["suggested"]) == (6, 3_000, 8, 8)
    clock.at += timedelta(days=30)  # nothing sold recently: no demand, no suggestion
    (teh,) = [row for row in service.report() if row["sku"] == "TEH"]
    assert (teh["reorder_point"], teh["suggested"]) == (2, 0)


def test_a_stocktake_posts_the_variances_and_keeps_sales_made_while_counting(
    service: StockReceiving, ledger: SqliteLedger, clock: SettableClock
) -> None:
    service.receive(BUDI, "TEH", 20, 3_000, "PT Sosro")
    service.receive(BUDI, "KOPI", 5, 8_000, "Kapal Api")
    sheet = service.count_sheet()
    assert sheet == [{"sku": "KOPI", "expected": 5, "counted": None},
                     {"sku": "TEH", "expected": 20, "counted": None}]  # fmt: skip
    checkout = CheckoutService(catalog=Catalog(PRODUCTS), ledger=ledger, clock=clock,
                               config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip
    checkout.add_sku("TEH", 3)  # sold while the shelf is being counted
    checkout.pay_cash(15_000)
    checkout.complete()
    with pytest.raises(NotAllowedError):
        service.post_count(ANI, [("TEH", 20, 18)])
    assert service.post_count(BUDI, [("TEH", 20, 18), ("KOPI", 5, 5)]) == {"TEH": -2}
    levels = {row["sku"]: row["qty"] for row in service.report()}
    assert levels == {"TEH": 15, "KOPI": 5}  # 20 - 3 sold - 2 missing
    (move,) = journal(ledger.conn, "stock_adjust")
    assert (move["reason"], move["by"]) == ("stocktake", "Budi")
    with pytest.raises(ChangeRefusedError):
        service.post_count(BUDI, [("TEH", 15, -1)])
