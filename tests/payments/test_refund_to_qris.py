"""Refunds of QRIS sales go back through the acquirer (the Midtrans fake over local HTTP)
with the original order id; a refusal or an acquirer that cannot be reached sends the
share to the drawer only with a supervisor's approval, and without one nothing is
booked. A refund the acquirer made whose books failed is not asked for again; one whose
answer was lost is settled by asking the acquirer about its refund id
(tests/payments/test_qris_refund_timeout.py)."""

from __future__ import annotations

import socket
import sqlite3
from datetime import timedelta

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.refunds import RefundError
from kiosk.payments.gateway import QrisGateway
from kiosk.payments.midtrans import MidtransGateway
from kiosk.services.books import Books
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.staff import StaffMember
from kiosk.storage import qris_payments
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock
from kiosk.testing.fake_acquirers import FakeMidtrans, FakeSnapAcquirer
from tests.payments.conftest import KEY

SUPERVISOR = StaffMember("s1", "Budi", "supervisor")


def qris_sale(
    ledger: SqliteLedger, clock: SettableClock, gateway: QrisGateway,
    fake: FakeMidtrans | FakeSnapAcquirer, order_id: str, cash: int = 0,
) -> int:  # fmt: skip
    """A sale of two coffees paid by a QRIS charge the fake acquirer settled (and ``cash``)."""
    checkout = CheckoutService(catalog=Catalog([Product("KOPI", "Kopi", 12_500)]), ledger=ledger,
                               clock=clock, config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip
    clock.at += timedelta(minutes=1)
    checkout.add_sku("KOPI", 2)
    amount = checkout.start_payment().remaining - cash
    at = "2026-11-20T03:00:00.000000Z"
    qris_payments.insert(ledger.conn, order_id, gateway.name, amount, at)
    qris_payments.set_charge(ledger.conn, gateway.create(order_id, amount), at)
    ledger.conn.commit()
    fake.settle(order_id)
    checkout.pay_qris(amount, reference=order_id)
    if cash:
        checkout.pay_cash(cash)
    return checkout.complete().receipt_no


def refund_rows(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM refunds").fetchone()[0])


def test_a_qris_sale_is_refunded_through_the_acquirer_with_its_order_id(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "S-100", cash=5_000)
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]  # QRIS first, before the drawer
    assert (tender["method"], tender["paid_as"], tender["amount"]) == ("qris", "qris", -12_500)
    assert tender["via"]["order_id"] == "S-100"
    assert fake.requests[-1].path == "/v2/S-100/refund"
    assert fake.txns["S-100"].refunds == {tender["via"]["refund_id"]: 12_500}
    assert body["cash"] == 0
    rest = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert [(t["method"], t["paid_as"], t["amount"]) for t in rest["tenders"]] == [
        ("qris", "qris", -7_500), ("cash", "cash", -5_000)]  # fmt: skip
    assert fake.txns["S-100"].status == "refund" and rest["cash"] == 5_000


def test_a_refusal_goes_to_cash_with_a_supervisor_and_without_one_nothing_changes(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "S-200")
    fake.txns["S-200"].status = "deny"  # the acquirer will not refund it
    with pytest.raises(RefundError) as refused:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True)
    assert refused.value.code == "refund.cash_needs_supervisor"
    assert refund_rows(ledger.conn) == 0 and fake.txns["S-200"].refunds == {}
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "refused")
    assert (body["cash"], body["cash_approved_by"]) == (25_000, "Budi")


def test_an_acquirer_that_cannot_be_reached_is_a_cash_fallback_too(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "S-300")
    # No connection could be made: the refund never left the till, so cash cannot pay twice.
    books.refunds.gateway = MidtransGateway(KEY, base_url=closed_port(), timeout_s=2.0)
    with pytest.raises(RefundError, match="needs a supervisor's approval"):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False)
    assert refund_rows(ledger.conn) == 0
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False,
                                cash_approver=SUPERVISOR)  # fmt: skip
    assert body["tenders"][0]["via"]["fallback"] == "unreached"
    assert fake.txns["S-300"].refunds == {}


def closed_port() -> str:
    """The address of a local port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def test_an_acquirer_refund_whose_books_failed_is_not_asked_for_again(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "S-400")
    uow = books.refunds.uow

    def broken(body: dict[str, object]) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(uow.books, "insert_refund", broken)
    with pytest.raises(sqlite3.OperationalError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    monkeypatch.undo()
    asked = [r.path for r in fake.requests].count("/v2/S-400/refund")
    with pytest.raises(RefundError) as other:  # other lines would not match what went back
        books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True)
    assert other.value.code == "refund.provider_pending"
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert body["tenders"][0]["via"]["taken_again"] is True
    assert [r.path for r in fake.requests].count("/v2/S-400/refund") == asked == 1
    assert sum(fake.txns["S-400"].refunds.values()) == 12_500 and refund_rows(ledger.conn) == 1


def test_a_till_that_died_during_the_acquirer_call_asks_the_acquirer_about_its_refund_id(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "S-500")
    uow = books.refunds.uow

    def died(*_args: object) -> None:  # the acquirer refunded; its answer never got written
        raise sqlite3.OperationalError("the till lost power")

    monkeypatch.setattr(uow.books, "provider_answer", died)
    with pytest.raises(sqlite3.OperationalError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    monkeypatch.undo()
    (state,) = ledger.conn.execute("SELECT state FROM provider_refunds").fetchone()
    assert state == "calling" and refund_rows(ledger.conn) == 0
    (key,) = fake.txns["S-500"].refunds
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    via = body["tenders"][0]["via"]
    assert (via["refund_id"], via["resolved_by"], via["taken_again"]) == (
        key, "acquirer_query", True)  # fmt: skip
    assert fake.txns["S-500"].refunds == {key: 12_500}  # asked about, not refunded again
    assert [r.path for r in fake.requests].count("/v2/S-500/refund") == 1
    assert refund_rows(ledger.conn) == 1
