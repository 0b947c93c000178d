"""Every refusal the counter's books desk can show (shifts, cash in and out, X and Z,
refunds), driven through the desk as its screen drives it, over the real services on
SQLite and the simulated card terminal on a pty: each is worded from its error code
(kiosk.domain.error_codes) in Bahasa Indonesia, with no English message and no internal
id on the screen."""

from __future__ import annotations

import pytest

from drivers.card_terminal import SerialCardTerminal
from drivers.sim.card_peer import SimulatedCardTerminalPeer
from kiosk.domain.errors import ShownError
from kiosk.domain.refunds import RefundError
from kiosk.domain.shift import MAX_PIECES, ShiftError
from kiosk.services.books import books_services
from kiosk.services.checkout import CheckoutService
from kiosk.services.shifts import MAX_CASH
from kiosk.services.staff import StaffService, not_allowed
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.counter_books import CASH_REASONS, CounterBooks
from kiosk.ui.presenters.refusals import shown_text
from kiosk.ui.text_audit import text_problems
from tests.drivers.test_refund_to_card import peer, terminal
from tests.unit.pieces import Effects
from tests.unit.ui.test_counter_books import cash_sale, count, login

__all__ = ["peer", "terminal"]  # fixtures used here
INDONESIAN = Language("id")


def said(p: CounterPresenter, error: ShownError) -> None:
    """The desk said ``error`` from its code, in Indonesian, and nothing else."""
    text = p.message.text
    assert p.message.level == "error", text
    assert text == shown_text(error, INDONESIAN)
    assert error.message not in text, "the service's English shows"
    assert error.code not in text
    assert text_problems([text], "id") == []


def refused(call: object) -> ShownError:
    """The refusal the service itself gives for the same request."""
    assert callable(call)
    with pytest.raises(ShownError) as caught:
        call()
    return caught.value


def desk_of(p: CounterPresenter) -> CounterBooks:
    p.open_books()
    assert p.books_desk is not None and p.screen == "books"
    return p.books_desk


def type_on(keys: object, digits: str) -> None:
    assert callable(keys)
    for key in digits:
        keys(key)


def test_every_refusal_of_the_books_desk_is_said_in_indonesian_from_its_code(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger,
    peer: SimulatedCardTerminalPeer, terminal: SerialCardTerminal,
) -> None:  # fmt: skip
    books = books_services(SqliteUnitOfWork(ledger), checkout.clock, "Asia/Jakarta")
    books.refunds.terminal = lambda: terminal
    p = CounterPresenter(checkout, staff, effects, lang="id", books=books,
                         print_report=lambda kind, figures: "")  # fmt: skip
    login(p, "2222")
    budi = p.cashier
    desk = desk_of(p)

    # The float: more pieces of a note than a drawer holds, then more than a drawer's cash.
    desk.start_float()
    desk.pick(100_000)
    type_on(desk.count_key, "100001")
    said(p, ShiftError.of("shift.pieces", value=100_000, max=MAX_PIECES))
    assert desk.counts == {100_000: 10_000}  # the last key was not taken
    desk.pick(100)
    desk.count_key("1")
    desk.confirm_count()
    said(p, refused(lambda: books.shifts.open(budi, MAX_CASH + 100)))
    assert books.shifts.uow.books.open_shift() is None
    desk.start_float()
    count(p, {100_000: 2})
    desk.confirm_count()
    assert books.shifts.uow.books.open_shift() is not None

    # Ani, a cashier, on Budi's shift: cash in, the count, X, Z, a refund.
    sale = cash_sale(p, "ROTI", 1, 20_000)
    p.logout()
    login(p, "1111")
    ani = p.cashier
    desk = desk_of(p)
    desk.start_cash()
    type_on(desk.cash_key, "5000")
    desk.cash_reason(CASH_REASONS[0])
    desk.confirm_cash("in")
    said(p, refused(lambda: books.shifts.cash_move(ani, "in", 5_000, CASH_REASONS[0])))
    desk.start_close()
    count(p, {100_000: 2})
    desk.confirm_count()
    said(p, refused(lambda: books.shifts.close(ani, 200_000)))
    assert ani is not None
    desk.print_x()
    said(p, not_allowed(ani, "reports"))
    desk.close_day()
    said(p, not_allowed(ani, "z_close"))
    desk.start_refund()
    type_on(desk.refund_key, str(sale.receipt_no))
    desk.refund_key("enter")
    desk.tap_line(1)
    desk.confirm_refund()
    said(p, not_allowed(ani, "refund"))
    desk.start_refund()
    type_on(desk.refund_key, "99")
    desk.refund_key("enter")
    said(p, refused(lambda: books.refunds.lookup(99)))
    assert desk.sale is None

    # Budi again: cash beyond a drawer, the Z taken twice, a card refund whose answer is lost.
    p.logout()
    login(p, "2222")
    desk = desk_of(p)
    desk.start_cash()
    type_on(desk.cash_key, "2000000000")
    desk.cash_reason(CASH_REASONS[3])
    desk.confirm_cash("out")
    said(p, refused(lambda: books.shifts.cash_move(budi, "out", 2_000_000_000, "Other")))
    desk.close_day()
    assert p.message.level == "ok"
    desk.close_day()
    said(p, refused(lambda: books.day_close.close(budi)))
    desk.leave()
    checkout.add_sku("ROTI")
    result = terminal.sale(checkout.start_payment().remaining, "K01-000002")
    checkout.pay_card(result.amount, reference=result.rrn, approval_code=result.approval_code,
                      masked_pan=result.masked_pan, terminal_id=result.terminal_id)  # fmt: skip
    card_sale = checkout.complete()
    peer.mode = "no_ack"  # the void is sent and nothing comes back: it may have run
    desk = desk_of(p)
    desk.start_refund()
    type_on(desk.refund_key, str(card_sale.receipt_no))
    desk.refund_key("enter")
    desk.tap_line(1)
    desk.confirm_refund()
    said(p, RefundError.of("refund.provider_unknown"))
    assert ledger.conn.execute("SELECT count(*) FROM refunds").fetchone()[0] == 0
