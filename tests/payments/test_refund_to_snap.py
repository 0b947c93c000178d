"""A sale paid through a BI-SNAP QRIS acquirer is refunded end to end through the refund
service: the SNAP fake over local HTTP takes the access token only with our RSA
signature and each refund only with its HMAC-SHA512 signature over the minified body,
so a refund that goes through was signed as the acquirer requires. A refund whose answer
is lost is settled by the query's refund history, never paid in cash on top."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kiosk.domain.refunds import RefundError
from kiosk.payments import snap_signing
from kiosk.payments.gateway import QrisCharge
from kiosk.payments.snap import SnapGateway
from kiosk.services.books import Books, books_services
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock
from kiosk.testing.fake_acquirers import FakeSnapAcquirer
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.refund_ways import share_way
from tests.payments.test_refund_to_qris import SUPERVISOR, qris_sale, refund_rows
from tests.payments.test_snap_gateway import KEY, PEM


@pytest.fixture
def acquirer() -> Iterator[FakeSnapAcquirer]:
    with FakeSnapAcquirer(public_key=KEY.public_key()).serving() as server:
        assert isinstance(server, FakeSnapAcquirer)
        yield server


def snap(
    acquirer: FakeSnapAcquirer, *, secret: str = "secret-1", timeout_s: float = 2.0
) -> SnapGateway:
    return SnapGateway(base_url=acquirer.url, client_id="client-1", client_secret=secret,
                       private_key_pem=PEM, partner_id="partner-1", merchant_id="M-0001",
                       timeout_s=timeout_s)  # fmt: skip


@pytest.fixture
def books(ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer) -> Books:
    service = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    service.refunds.gateway = snap(acquirer)
    return service


def snap_sale(ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer,
              order_id: str, cash: int = 0) -> int:  # fmt: skip
    """Two coffees paid by a SNAP QRIS the fake acquirer settled (and ``cash``)."""
    return qris_sale(ledger, clock, snap(acquirer), acquirer, order_id, cash)


def impatient(books: Books, acquirer: FakeSnapAcquirer, order_id: str) -> None:
    """A gateway that gives up after 0.3 s, holding its access token already (so the
    slow answer the test sets up is the refund's, not the token's)."""
    gateway = snap(acquirer, timeout_s=0.3)
    txn = acquirer.txns[order_id]
    gateway.status(QrisCharge(order_id, txn.reference, txn.amount, ""))
    books.refunds.gateway = gateway


def refunds_asked(acquirer: FakeSnapAcquirer) -> list[dict[str, object]]:
    return [r.body or {} for r in acquirer.requests if r.path.endswith("/qr-mpm-refund")]


def test_a_snap_sale_is_refunded_through_the_refund_service_with_signed_requests(
    books: Books, ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer
) -> None:
    receipt = snap_sale(ledger, clock, acquirer, "SN-100", cash=5_000)
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["method"], tender["paid_as"], tender["amount"]) == ("qris", "qris", -12_500)
    via = tender["via"]
    assert (via["order_id"], via["gateway"]) == ("SN-100", "snap")
    assert via["reference"].startswith("R") and body["cash"] == 0
    assert share_way(tender, Language("en")) == "Back to QRIS (e-wallet)"
    assert share_way(tender, Language("id")) == "Kembali ke QRIS (dompet digital)"
    (asked,) = refunds_asked(acquirer)
    txn = acquirer.txns["SN-100"]
    assert asked == {"merchantId": "M-0001", "originalPartnerReferenceNo": "SN-100",
                     "originalReferenceNo": txn.reference, "partnerRefundNo": via["refund_id"],
                     "refundAmount": {"value": "12500.00", "currency": "IDR"},
                     "reason": "refund of a sale"}  # fmt: skip
    request = next(r for r in acquirer.requests if r.path.endswith("/qr-mpm-refund"))
    token = request.headers["Authorization"].removeprefix("Bearer ")
    assert request.headers["X-SIGNATURE"] == snap_signing.sign_request(
        "secret-1", "POST", "/v1.0/qr/qr-mpm-refund", token, request.raw,
        stamp=request.headers["X-TIMESTAMP"])  # fmt: skip
    assert txn.refunds == {via["refund_id"]: 12_500} and txn.status == "00"
    rest = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert [(t["method"], t["paid_as"], t["amount"]) for t in rest["tenders"]] == [
        ("qris", "qris", -7_500), ("cash", "cash", -5_000)]  # fmt: skip
    assert txn.status == "04" and sum(txn.refunds.values()) == 20_000  # all of it: refunded
    assert refund_rows(ledger.conn) == 2


def test_a_refund_the_acquirer_refuses_for_its_signature_goes_to_cash_only_with_a_supervisor(
    books: Books, ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer
) -> None:
    receipt = snap_sale(ledger, clock, acquirer, "SN-200")
    books.refunds.gateway = snap(acquirer, secret="not-the-secret")
    with pytest.raises(RefundError) as refused:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True)
    assert refused.value.code == "refund.cash_needs_supervisor"
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 2)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "refused")
    assert tender["via"]["code"] == "4017800"  # the acquirer's word: bad signature
    assert acquirer.txns["SN-200"].refunds == {} and body["cash"] == 25_000


def test_a_snap_refund_whose_answer_was_lost_is_found_in_the_query_refund_history(
    books: Books, ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer
) -> None:
    receipt = snap_sale(ledger, clock, acquirer, "SN-300")
    impatient(books, acquirer, "SN-300")
    acquirer.faults.slow, acquirer.faults.slow_s = 1, 1.0  # refunded; the answer too late
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["resolved_by"]) == ("qris", "acquirer_query")
    assert body["cash"] == 0 and len(refunds_asked(acquirer)) == 1
    assert acquirer.requests[-1].path.endswith("/qr-mpm-query")


def test_a_snap_refund_in_the_history_only_a_moment_later_is_taken_not_paid_in_cash(
    books: Books, ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer
) -> None:
    receipt = snap_sale(ledger, clock, acquirer, "SN-350")
    impatient(books, acquirer, "SN-350")
    acquirer.list_late = True  # refunded, but not in the query's history yet
    acquirer.faults.slow, acquirer.faults.slow_s = 1, 1.0  # and the answer too late
    with pytest.raises(RefundError) as early:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert early.value.code == "refund.qris_check_again" and refund_rows(ledger.conn) == 0
    clock.advance(15)
    acquirer.list_refunds()
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["taken_again"]) == ("qris", True)
    assert body["cash"] == 0 and len(refunds_asked(acquirer)) == 1
    assert sum(acquirer.txns["SN-350"].refunds.values()) == 12_500


def test_a_snap_refund_lost_on_the_way_is_not_in_the_history_so_cash_may_pay_it(
    books: Books, ledger: SqliteLedger, clock: SettableClock, acquirer: FakeSnapAcquirer
) -> None:
    receipt = snap_sale(ledger, clock, acquirer, "SN-400")
    impatient(books, acquirer, "SN-400")
    acquirer.faults.slow, acquirer.faults.slow_s, acquirer.faults.lose = 1, 1.0, True
    with pytest.raises(RefundError) as early:  # not in the history at once: maybe in process
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert early.value.code == "refund.qris_check_again"
    clock.advance(60)  # still not there a minute after the lost call: it never arrived
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["fallback"]) == ("cash", "unreached")
    assert acquirer.txns["SN-400"].refunds == {} and body["cash"] == 12_500
