"""Refunds of card sales go back to the card through the simulated terminal on a real pty
pair: a void while the batch holds the sale, a refund after settlement; a decline goes
to the drawer only with a supervisor's approval (none: refused, nothing booked); a lost
void answer is never followed by anything; and a card refund whose books did not commit
is taken by the next attempt instead of being made twice."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta

import pytest
import serial

from drivers.card_terminal import SerialCardTerminal
from drivers.sim.card_peer import SimulatedCardTerminalPeer
from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.refunds import RefundError
from kiosk.ports import CardResult
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.staff import NotAllowedError, StaffMember
from kiosk.storage import books as books_storage
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refund_ways import refund_ways, share_way

SUPERVISOR = StaffMember("s1", "Budi", "supervisor")
CASHIER = StaffMember("c1", "Ani", "cashier")


@pytest.fixture
def peer() -> Iterator[SimulatedCardTerminalPeer]:
    p = SimulatedCardTerminalPeer()
    yield p
    p.close()


@pytest.fixture
def terminal(peer: SimulatedCardTerminalPeer) -> Iterator[SerialCardTerminal]:
    port = serial.Serial(peer.port_name, 115200, timeout=0.02)
    t = SerialCardTerminal(port, ack_timeout=0.2, response_timeout=0.6, retries=2)
    yield t
    t.close()


@pytest.fixture
def checkout(ledger: SqliteLedger, clock: SettableClock) -> CheckoutService:
    return CheckoutService(catalog=Catalog([Product("KOPI", "Kopi", 12_500)]), ledger=ledger,
                           clock=clock, config=CheckoutConfig(store_id="s1", device_id="k1"))  # fmt: skip


@pytest.fixture
def books(ledger: SqliteLedger, clock: SettableClock, terminal: SerialCardTerminal) -> Books:
    service = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    service.refunds.terminal = lambda: terminal
    return service


def card_sale(
    checkout: CheckoutService, clock: SettableClock, terminal: SerialCardTerminal, qty: int
) -> int:
    clock.at += timedelta(minutes=1)
    checkout.add_sku("KOPI", qty)
    result = terminal.sale(checkout.start_payment().remaining, f"K01-{qty:06d}")
    assert result.outcome == "approved"
    checkout.pay_card(result.amount, reference=result.rrn, approval_code=result.approval_code,
                      masked_pan=result.masked_pan, terminal_id=result.terminal_id)  # fmt: skip
    return checkout.complete().receipt_no


def counts(conn: sqlite3.Connection) -> tuple[int, int]:
    refunds = conn.execute("SELECT count(*) FROM refunds").fetchone()[0]
    moves = conn.execute("SELECT count(*) FROM stock_moves").fetchone()[0]
    return int(refunds), int(moves)


def test_a_whole_card_sale_is_voided_and_a_part_after_settlement_is_refunded(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["amount"], tender["via"]["kind"]) == ("card", -12_500, "void")
    assert peer.received[-1].command == "02"  # a void, not cash
    assert body["cash"] == 0 and "cash_approved_by" not in body
    masked = tender["via"]["masked_pan"]
    assert "*" in masked and len(masked.replace("*", "")) <= 10
    stored = ledger.conn.execute("SELECT body FROM refunds").fetchone()[0]
    assert masked in stored
    # The counter tells the cashier where it went: the card by its last four digits.
    assert refund_ways(body, Language("en")) == [
        (f"Back to card •••• {masked[-4:]}", "Rp12,500", False)]  # fmt: skip
    assert share_way(tender, Language("id")) == f"Kembali ke kartu •••• {masked[-4:]}"
    second = card_sale(checkout, clock, terminal, 2)
    peer.settle()
    part = books.refunds.refund(SUPERVISOR, second, [(1, 1)], restock=False)
    (tender,) = part["tenders"]
    assert (tender["paid_as"], tender["amount"], tender["via"]["kind"]) == (
        "card",
        -12_500,
        "refund",
    )
    assert peer.received[-1].command == "05" and peer.received[-1].fields["AMT"] == "000001250000"
    calls = ledger.conn.execute("SELECT state, refund_id IS NOT NULL FROM provider_refunds")
    assert [tuple(row) for row in calls] == [("done", 1), ("done", 1)]
    z = books_storage.z_report(ledger.conn, "2026-11-20", "k1")
    assert z["refunds"]["paid_as"] == {"card": -25_000}  # nothing from the drawer
    credits = {e.account: e.credit for e in books_storage.day_accounts(z) if e.credit}
    assert credits["card_clearing"] == 25_000 and "cash" not in credits


def test_a_declined_card_refund_goes_to_cash_only_with_a_supervisor(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    peer.mode = "decline"
    before = counts(ledger.conn)
    with pytest.raises(RefundError, match="needs a supervisor's approval") as refused:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert refused.value.code == "refund.cash_needs_supervisor"
    assert counts(ledger.conn) == before  # no refund, no stock back
    with pytest.raises(NotAllowedError):  # a cashier cannot approve cash
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True, cash_approver=CASHIER)
    assert counts(ledger.conn) == before
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "refused")
    assert (body["cash"], body["cash_approved_by"]) == (12_500, "Budi")
    assert refund_ways(body, Language("id")) == [
        ("Bayarkan tunai (kartu tidak menerima pengembaliannya)", "Rp12.500", True)]  # fmt: skip
    (payload,) = ledger.conn.execute(
        "SELECT payload FROM journal WHERE kind = 'refund'"
    ).fetchone()  # the journal's (and the fleet's) record says who approved the cash
    journaled = json.loads(payload)
    assert journaled["cash_approved_by"] == "Budi"
    assert journaled["tenders"][0]["via"]["fallback"] == "refused"


def test_a_lost_void_answer_is_never_followed_by_a_refund_or_cash(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    peer.mode = "no_ack"
    before = counts(ledger.conn)
    for _ in range(2):  # the second try does not even ask the terminal
        sent = len(peer.received)
        with pytest.raises(RefundError) as refused:
            books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                 cash_approver=SUPERVISOR)  # fmt: skip
        assert refused.value.code == "refund.provider_unknown"
        assert all(m.command != "05" for m in peer.received[sent:])
    assert len(peer.received) == sent
    assert counts(ledger.conn) == before


def test_a_card_refund_whose_books_failed_is_taken_not_made_twice(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    uow = books.refunds.uow
    real_insert = uow.books.insert_refund

    def broken(body: dict[str, object]) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(uow.books, "insert_refund", broken)
    with pytest.raises(sqlite3.OperationalError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert counts(ledger.conn)[0] == 0
    voids = [m for m in peer.received if m.command in ("02", "05")]
    assert len(voids) == 1
    monkeypatch.setattr(uow.books, "insert_refund", real_insert)
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["taken_again"]) == ("card", True)
    assert [m for m in peer.received if m.command in ("02", "05")] == voids  # not again
    assert counts(ledger.conn)[0] == 1


def test_a_lost_void_is_settled_by_the_terminals_last_transaction(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    peer.mode = "no_ack"  # the void never reaches it, and the till cannot tell
    with pytest.raises(RefundError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    peer.mode = "approve"  # back: its last transaction is still the sale itself
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert (body["tenders"][0]["paid_as"], body["tenders"][0]["via"]["kind"]) == ("card", "void")
    assert [m.command for m in peer.received] == ["01", "04", "02"]  # asked, then voided once
    states = ledger.conn.execute("SELECT state FROM provider_refunds ORDER BY created_at")
    assert sorted(str(r[0]) for r in states) == ["done", "refused"]


def test_a_void_whose_answer_was_lost_but_ran_is_taken_not_repeated(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    real_last = terminal.last_transaction
    monkeypatch.setattr(terminal, "last_transaction", lambda: CardResult("unknown"))
    peer.mode = "timeout"  # the void runs, its answer is lost, and the inquiry too
    with pytest.raises(RefundError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    monkeypatch.setattr(terminal, "last_transaction", real_last)
    peer.mode = "approve"
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    via = body["tenders"][0]["via"]
    assert (via["taken_again"], via["resolved_by"]) == (True, "last_transaction")
    assert [m.command for m in peer.received].count("02") == 1  # voided once, not twice


def test_a_till_that_died_during_the_void_takes_it_from_the_terminal_not_again(
    books: Books, checkout: CheckoutService, clock: SettableClock,
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer, ledger: SqliteLedger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    receipt = card_sale(checkout, clock, terminal, 1)
    uow = books.refunds.uow

    def died(*_args: object) -> None:  # the void ran; its answer never got written
        raise sqlite3.OperationalError("the till lost power")

    monkeypatch.setattr(uow.books, "provider_answer", died)
    with pytest.raises(sqlite3.OperationalError):
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    monkeypatch.undo()
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    via = body["tenders"][0]["via"]
    assert (via["resolved_by"], via["taken_again"]) == ("last_transaction", True)
    assert [m.command for m in peer.received] == ["01", "02", "04"]  # voided once, then asked
