"""A QRIS refund call whose answer never comes (a timeout, a 5xx) may still have paid the
customer back, so the drawer never pays on top of it without the acquirer's word: the
till asks the acquirer about that refund id (the Midtrans fake over local HTTP, its
status listing each refund by key). Made: the share went back to the QRIS. Not there:
cash may be offered, with a supervisor's approval. No word: the share stays blocked,
even with a supervisor at hand, until the acquirer answers."""

from __future__ import annotations

import pytest

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


def provider_states(ledger: SqliteLedger) -> list[str]:
    rows = ledger.conn.execute("SELECT state FROM provider_refunds ORDER BY created_at")
    return [str(r[0]) for r in rows]


def refund_calls(fake: FakeMidtrans, order_id: str) -> int:
    return [r.path for r in fake.requests].count(f"/v2/{order_id}/refund")


def test_a_timeout_after_the_acquirer_refunded_is_taken_as_refunded_not_paid_in_cash(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "T-100")
    impatient(books, fake)
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


def test_a_timeout_the_acquirer_never_saw_may_be_paid_in_cash_with_a_supervisor(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "T-200")
    impatient(books, fake)
    fake.faults.slow, fake.faults.lose = 1, True  # the refund is lost on the way
    with pytest.raises(RefundError) as refused:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert refused.value.code == "refund.cash_needs_supervisor"
    assert refund_rows(ledger.conn) == 0 and fake.txns["T-200"].refunds == {}
    fake.faults.slow = 1  # lost again; this time a supervisor approves the cash
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "unreached")
    assert tender["via"]["asked"] == "the acquirer has no such refund"
    assert share_way(tender, Language("en")) == "Pay out cash (the QRIS did not take it back)"
    assert (body["cash"], body["cash_approved_by"]) == (12_500, "Budi")
    assert fake.txns["T-200"].refunds == {}  # the customer got the money once: in cash
    assert provider_states(ledger) == ["unreached", "unreached"]


def test_while_the_acquirer_gives_no_word_the_share_stays_blocked_even_with_a_supervisor(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "T-300")
    impatient(books, fake)
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


def test_a_5xx_with_no_refund_behind_it_is_called_again_once_the_acquirer_answers(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt = qris_sale(ledger, clock, gateway, fake, "T-400")
    fake.faults.fail = 10  # every answer a 5xx: the refund and the question after it
    with pytest.raises(RefundError) as blocked:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert blocked.value.code == "refund.qris_unknown" and refund_rows(ledger.conn) == 0
    fake.faults.fail = 0
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=False)
    (tender,) = body["tenders"]
    assert tender["paid_as"] == "qris" and "taken_again" not in tender["via"]
    assert fake.txns["T-400"].refunds == {tender["via"]["refund_id"]: 12_500}
    assert sorted(provider_states(ledger)) == ["done", "refused"]  # the first never happened
