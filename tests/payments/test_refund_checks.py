"""A refund share blocked by a QRIS call of unknown outcome is cleared by a supervisor
(kiosk.services.refund_checks) only after the acquirer (the Midtrans fake over local
HTTP) is asked again: refunded, the next refund books it without a second call;
not refunded, it is released for a new call or the cash fallback. Without the
acquirer's word only a manager may settle it. Every clearing is journaled with who."""

from __future__ import annotations

import json

import pytest

from kiosk.domain.refunds import RefundError
from kiosk.payments.midtrans import MidtransGateway
from kiosk.services.books import Books
from kiosk.services.refund_checks import RefundChecks
from kiosk.services.staff import NotAllowedError, StaffMember
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock
from kiosk.testing.fake_acquirers import FakeMidtrans
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.counter_books import CounterBooks
from tests.payments.conftest import KEY
from tests.payments.test_refund_to_qris import SUPERVISOR, qris_sale, refund_rows

CASHIER = StaffMember("c1", "Ani", "cashier")
MANAGER = StaffMember("m1", "Sari", "manager")


def blocked_sale(books: Books, ledger: SqliteLedger, clock: SettableClock,
                 gateway: MidtransGateway, fake: FakeMidtrans, order_id: str,
                 faults: dict[str, object]) -> tuple[int, RefundChecks]:  # fmt: skip
    """A QRIS sale whose refund of one coffee got no word from the acquirer (``faults``
    on the refund call and the question after it): the share is blocked."""
    receipt = qris_sale(ledger, clock, gateway, fake, order_id)
    impatient = MidtransGateway(KEY, base_url=fake.url, timeout_s=0.3)
    books.refunds.gateway = impatient
    for name, value in {"slow_s": 1.0, **faults}.items():
        setattr(fake.faults, name, value)
    with pytest.raises(RefundError) as blocked:
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                             cash_approver=SUPERVISOR)  # fmt: skip
    assert blocked.value.code == "refund.qris_unknown"
    return receipt, RefundChecks(books.refunds.uow, clock, gateway=impatient)


def checks_journaled(ledger: SqliteLedger) -> list[dict[str, object]]:
    rows = ledger.conn.execute("SELECT payload FROM journal WHERE kind = 'refund_check'")
    return [json.loads(r[0]) for r in rows]


def test_a_blocked_share_the_acquirer_made_is_cleared_as_refunded_and_booked_once(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt, checks = blocked_sale(books, ledger, clock, gateway, fake, "C-100", {"slow": 2})
    (call,) = checks.blocked()
    assert (call["receipt_no"], call["method"], call["amount"], call["state"]) == (
        receipt, "qris", 12_500, "unknown")  # fmt: skip
    with pytest.raises(NotAllowedError):  # a cashier may not clear it
        checks.resolve(CASHIER, call["call_id"])
    fake.faults.fail = 2  # the acquirer still cannot say
    still = checks.resolve(SUPERVISOR, call["call_id"])
    assert still["outcome"] == "still_unknown" and checks.blocked() != []
    with pytest.raises(NotAllowedError):  # a supervisor's word alone does not settle it
        checks.resolve(SUPERVISOR, call["call_id"], verdict="not_refunded")
    assert checks_journaled(ledger) == []
    fake.faults.fail = 0
    cleared = checks.resolve(SUPERVISOR, call["call_id"])
    assert (cleared["outcome"], cleared["checked_by"]) == ("refunded", "Budi")
    assert checks.blocked() == []
    (journaled,) = checks_journaled(ledger)
    assert journaled == {"by": "Budi", "sale_id": journaled["sale_id"], "method": "qris",
                         "amount": 12_500, "was": "unknown", "state": "done",
                         "resolved_by": "acquirer_query"}  # fmt: skip
    asked = [r.path for r in fake.requests].count("/v2/C-100/refund")
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    (tender,) = body["tenders"]
    assert (tender["paid_as"], tender["via"]["taken_again"]) == ("qris", True)
    assert tender["via"]["checked_by"] == "Budi" and body["cash"] == 0
    assert [r.path for r in fake.requests].count("/v2/C-100/refund") == asked == 1
    assert sum(fake.txns["C-100"].refunds.values()) == 12_500 and refund_rows(ledger.conn) == 1
    with pytest.raises(RefundError) as done:
        checks.resolve(SUPERVISOR, call["call_id"])
    assert done.value.code == "refund.not_blocked"


def test_a_blocked_share_the_acquirer_never_made_is_released_for_cash_or_a_new_call(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt, checks = blocked_sale(books, ledger, clock, gateway, fake, "C-200", {"fail": 2})
    (call,) = checks.blocked()
    fake.txns["C-200"].status = "deny"  # from now on the acquirer will not refund it
    early = checks.resolve(SUPERVISOR, call["call_id"])  # "no such refund" at once: too soon
    assert early["outcome"] == "check_again" and checks.blocked() != []
    assert checks_journaled(ledger) == []
    clock.advance(60)
    cleared = checks.resolve(SUPERVISOR, call["call_id"])
    assert cleared["outcome"] == "released" and fake.txns["C-200"].refunds == {}
    (journaled,) = checks_journaled(ledger)
    assert (journaled["by"], journaled["state"]) == ("Budi", "unreached")
    with pytest.raises(RefundError) as refused:  # a new call, refused: cash needs a yes
        books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert refused.value.code == "refund.cash_needs_supervisor"
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True,
                                cash_approver=SUPERVISOR)  # fmt: skip
    assert (body["tenders"][0]["paid_as"], body["cash"]) == ("cash", 12_500)
    assert fake.txns["C-200"].refunds == {}  # paid once, in cash


def test_a_manager_settles_what_the_acquirer_cannot_confirm_by_its_records(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    _receipt, checks = blocked_sale(books, ledger, clock, gateway, fake, "C-300", {"fail": 2})
    (call,) = checks.blocked()
    fake.faults.fail = 10  # the acquirer cannot answer at all
    with pytest.raises(RefundError) as bad:
        checks.resolve(MANAGER, call["call_id"], verdict="maybe")
    assert bad.value.code == "refund.verdict"
    cleared = checks.resolve(MANAGER, call["call_id"], verdict="not_refunded")
    assert (cleared["outcome"], cleared["checked_by"]) == ("released", "Sari")
    (journaled,) = checks_journaled(ledger)
    assert (journaled["by"], journaled["state"], journaled["resolved_by"]) == (
        "Sari", "refused", "supervisor")  # fmt: skip
    assert checks.blocked() == []
    with pytest.raises(RefundError) as unknown:
        checks.resolve(MANAGER, "no-such-call")
    assert unknown.value.code == "refund.no_call"


class Owner:
    """The counter as the desk sees it: who is signed in and what the screen says."""

    screen = "books"
    effects = None

    def __init__(self) -> None:
        self.lang = Language("id")
        self.cashier: StaffMember | None = CASHIER
        self.said: list[tuple[str, str]] = []

    def _say(self, text: str, level: str = "info") -> None:
        self.said.append((text, level))

    def _changed(self) -> None:
        return None


def test_the_counter_desk_lists_blocked_shares_and_a_supervisor_clears_one(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    receipt, checks = blocked_sale(books, ledger, clock, gateway, fake, "C-400", {"slow": 2})
    owner = Owner()
    desk = CounterBooks(owner, books, lambda _kind, _figures: "", "k1")  # type: ignore[arg-type]
    ((call_id, label),) = desk.blocked()
    assert label == f"Struk {receipt}: Rp12.500 ke QRIS"
    desk.start_checks()
    desk.check(call_id)  # a cashier: refused, nothing changes
    assert owner.said[-1] == (
        "Ani (kasir) tidak boleh membuka refund yang tertahan; perlu supervisor", "error")  # fmt: skip
    assert len(desk.blocked()) == 1
    owner.cashier = SUPERVISOR
    desk.check(call_id)
    assert owner.said[-1] == (
        "Rp12.500 sudah kembali ke QRIS: refund barang yang sama lagi untuk mencatatnya", "ok")  # fmt: skip
    assert desk.blocked() == [] and checks.blocked() == []
    assert checks_journaled(ledger)[0]["by"] == "Budi"


def test_the_desk_says_to_check_again_while_the_acquirer_does_not_list_the_refund_yet(
    books: Books, ledger: SqliteLedger, clock: SettableClock, gateway: MidtransGateway,
    fake: FakeMidtrans,
) -> None:  # fmt: skip
    fake.list_late = True  # the refund is made but still in process at the acquirer
    receipt, _checks = blocked_sale(books, ledger, clock, gateway, fake, "C-500", {"slow": 2})
    owner = Owner()
    owner.cashier = SUPERVISOR
    desk = CounterBooks(owner, books, lambda _kind, _figures: "", "k1")  # type: ignore[arg-type]
    ((call_id, _label),) = desk.blocked()
    desk.start_checks()
    desk.check(call_id)
    assert owner.said[-1] == (
        "Penyedia belum mencatat refund Rp12.500 ke QRIS: mungkin masih diproses."
        " Periksa lagi sebentar lagi (sekitar satu menit)", "attention")  # fmt: skip
    assert len(desk.blocked()) == 1 and checks_journaled(ledger) == []
    clock.advance(90)
    fake.list_refunds()  # listed now: refunded, never released for cash
    desk.check(call_id)
    assert owner.said[-1] == (
        "Rp12.500 sudah kembali ke QRIS: refund barang yang sama lagi untuk mencatatnya", "ok")  # fmt: skip
    body = books.refunds.refund(SUPERVISOR, receipt, [(1, 1)], restock=True)
    assert (body["tenders"][0]["paid_as"], body["cash"]) == ("qris", 0)
    assert sum(fake.txns["C-500"].refunds.values()) == 12_500
