"""A QRIS refund call whose answer never comes (a timeout, a 5xx) may still have paid the
customer back, so the drawer never pays on top of it without the acquirer's word: the
till asks the acquirer about that refund id (the Midtrans fake over local HTTP, its
status listing each refund by key). Made: the share went back to the QRIS. Not there
right after the call: the acquirer may still be processing it and not list it yet, so
the share stays blocked ("check again shortly"); still not there a minute after the call
(the till's clock, not a sleep): cash may be offered, with a supervisor's approval. No
word: the share stays blocked, even with a supervisor at hand, until the acquirer answers."""

from __future__ import annotations

import pytest

from kiosk.domain.error_codes import english
from kiosk.domain.refunds import RefundError
from kiosk.payments.midtrans import MidtransGateway
from kiosk.services.books import Books
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock
from kiosk.testing.fake_acquirers import FakeMidtrans
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refund_ways import share_way
from tests.payments.conftest import KEY
from tests.payments.test_refund_to_qris import SUPERVISOR, qris_sale, refund_rows


def impatient(books: Books, fake: FakeMidtrans) -> None:
    """The till gives up on the acquirer after 0.3 s; slow answers come after 1 s."""
    books.refunds.gateway = MidtransGateway(KEY, base_url=fake.url, timeout_s=0.3)
    fake.faults.slow_s = 1.0


def impatient_sale(books: Books, ledger: SqliteLedger, clock: SettableClock,
                   gateway: MidtransGateway, fake: FakeMidtrans, order_id: str) -> int:  # fmt: skip
    """A QRIS sale (its receipt number) refunded by an impatient till."""
    receipt = qris_sale(ledger, clock, gateway, fake, order_id)
    impatient(books, fake)
    return receipt


def told_to_check_again(books: Books, receipt: int) -> RefundError:
    """A refund of one coffee, a supervisor at hand: refused, the acquirer may still be
    processing the earlier call's refund."""
    with pytest.raises(RefundError) as refused:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert refused.value.code == "refund.qris_check_again"
    return refused.value


def provider_states(ledger: SqliteLedger) -> list[str]:
    rows = ledger.conn.execute("SELECT state FROM provider_refunds ORDER BY created_at")
    return [str(r[0]) for r in rows]


def refund_calls(fake: FakeMidtrans, order_id: str) -> int:
    return [r.path for r in fake.requests].count(f"/v2/{order_id}/refund")


def test_a_timeout_after_the_acquirer_refunded_is_taken_as_refunded_not_paid_in_cash(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = impatient_sale(books, ledger, clock, gateway, fake, "T-100")
    fake.faults.slow = 1  # the refund is made, its answer comes too late
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["amount"]) == ("qris", -25_000)
    assert tender["via"]["resolved_by"] == "acquirer_query"
    assert body["cash"] == 0 and "cash_approved_by" not in body
    assert fake.txns["T-100"].refunds == {tender["via"]["refund_id"]: 25_000}
    assert fake.requests[-1].path == "/v2/T-100/status"  # asked, not refunded again
    assert refund_calls(fake, "T-100") == 1 and provider_states(ledger) == ["done"]


def test_a_refund_the_acquirer_lists_a_moment_later_is_taken_and_no_cash_is_offered(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = impatient_sale(books, ledger, clock, gateway, fake, "T-150")
    fake.list_late = True  # the refund is in process: "no such refund" for now
    fake.faults.slow = 1  # and its answer comes too late
    early = told_to_check_again(books, receipt)  # even with a supervisor: no cash now
    assert english(early.code, early.params) == (
        "The acquirer does not list Rp12.500 back to the QRIS yet: it may still be processing"
        " it, so nothing is paid in cash now. Check again in a minute")  # fmt: skip
    assert refund_rows(ledger.conn) == 0 and provider_states(ledger) == ["unknown"]
    clock.advance(20)
    fake.list_refunds()  # a moment later the acquirer lists it as made
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["taken_again"]) == ("qris", True)
    assert tender["via"]["resolved_by"] == "acquirer_query"
    assert body["cash"] == 0 and "cash_approved_by" not in body
    assert refund_calls(fake, "T-150") == 1 and provider_states(ledger) == ["done"]
    assert sum(fake.txns["T-150"].refunds.values()) == 12_500  # paid back once, to the QRIS


def test_a_refund_still_not_there_a_minute_after_the_lost_call_may_be_paid_in_cash(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = impatient_sale(books, ledger, clock, gateway, fake, "T-200")
    fake.faults.slow, fake.faults.lose = 1, True  # the refund is lost on the way
    told_to_check_again(books, receipt)
    clock.advance(59)  # asked again too soon: still blocked, and not called again
    told_to_check_again(books, receipt)
    assert refund_rows(ledger.conn) == 0 and provider_states(ledger) == ["unknown"]
    clock.advance(1)  # a minute after the lost call it is still not there: it never arrived
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "unreached")
    assert tender["via"]["asked"] == "the acquirer has no such refund (asked twice)"
    assert share_way(tender, Language("en")) == "Pay out cash (the QRIS did not take it back)"
    assert (body["cash"], body["cash_approved_by"]) == (12_500, "Budi")
    assert fake.txns["T-200"].refunds == {}  # the customer got the money once: in cash
    assert refund_calls(fake, "T-200") == 1 and provider_states(ledger) == ["unreached"]
    statuses = [r.path for r in fake.requests].count("/v2/T-200/status")
    assert statuses == 3  # right after the call, too soon, and after the wait


def test_while_the_acquirer_gives_no_word_the_share_stays_blocked_even_with_a_supervisor(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = impatient_sale(books, ledger, clock, gateway, fake, "T-300")
    fake.faults.slow = 2  # the refund is made, and the question after it times out too
    with pytest.raises(RefundError) as blocked:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert blocked.value.code == "refund.qris_unknown"
    assert "until a supervisor checks it" in str(blocked.value)
    assert refund_rows(ledger.conn) == 0 and provider_states(ledger) == ["unknown"]
    fake.faults.fail = 2  # the acquirer still cannot answer: blocked again, no new call
    with pytest.raises(RefundError) as again:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert again.value.code == "refund.qris_unknown"
    assert refund_calls(fake, "T-300") == 1 and refund_rows(ledger.conn) == 0
    fake.faults.fail = 0  # it answers: the refund was made, so the next attempt books it
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["taken_again"]) == ("qris", True)
    assert sum(fake.txns["T-300"].refunds.values()) == 12_500 and body["cash"] == 0
    assert refund_calls(fake, "T-300") == 1 and provider_states(ledger) == ["done"]


def test_a_5xx_with_no_refund_behind_it_is_called_again_once_the_wait_is_over(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "T-400")
    fake.faults.fail = 10  # every answer a 5xx: the refund and the question after it
    with pytest.raises(RefundError) as blocked:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert blocked.value.code == "refund.qris_unknown" and refund_rows(ledger.conn) == 0
    fake.faults.fail = 0  # it answers "no such refund" at once: too soon to believe
    told_to_check_again(books, receipt)
    clock.advance(60)
    with pytest.raises(RefundError) as cash:  # released: cash would need a supervisor's yes
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False)
    assert cash.value.code == "refund.cash_needs_supervisor"
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False)
    (tender,) = body["tenders"]
    assert tender["paid_as"] == "qris" and "taken_again" not in tender["via"]
    assert fake.txns["T-400"].refunds == {tender["via"]["refund_id"]: 12_500}
    assert sorted(provider_states(ledger)) == ["done", "unreached"]  # the first never happened
