"""The QR flow of both faces over the real runner: a worker thread with its own SQLite
connection asks the simulated acquirer; its events are applied as the app applies them
(main thread, in order). Paid, expired, cancelled, cancelled-but-paid-first, the bank
unreachable (QRIS hidden, offered again later), slow ("waiting for the bank") and a
confirmation relayed through the ledger by the fleet."""

from __future__ import annotations

import contextlib
import queue
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.payments.gateway import QrisStatus
from kiosk.payments.simulated import SAMPLE_STATIC_QRIS, SimulatedGateway
from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_payment import Backoff, QrisPaymentService, confirm_payment
from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.qris import RETRY_AFTER_S
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from kiosk.ui.qris_runner import QrisEvent, QrisRunner
from tests.unit.pieces import Effects


class Rig:
    """A runner over the simulated acquirer and the test's ledger, and its event queue."""

    def __init__(self, ledger: SqliteLedger, path: Path, wait_s: float = 300.0) -> None:
        self.gateway = SimulatedGateway(SAMPLE_STATIC_QRIS, pay_after=1_000_000)
        self.events: queue.Queue[QrisEvent] = queue.Queue()
        fast = Backoff(first_s=0.1, max_s=0.2)
        main = QrisPaymentService(ledger.conn, self.gateway, backoff=fast)

        def own() -> QrisPaymentService:
            return QrisPaymentService(open_db(path, migrate=False), self.gateway, backoff=fast)

        self.runner = QrisRunner(own, main, self.events.put, wait_s=wait_s)
        self.path = path

    def pump(self, apply: Callable[[QrisEvent], None], until: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 10
        while not until():
            assert time.monotonic() < deadline, "the QRIS flow did not get there in 10 s"
            with contextlib.suppress(queue.Empty):
                apply(self.events.get(timeout=0.05))

    def rows(self) -> list[tuple[str, str, str | None]]:
        conn = open_db(self.path, migrate=False)
        try:
            return conn.execute("SELECT order_id, state, sale_id FROM qris_payments").fetchall()
        finally:
            conn.close()


@pytest.fixture
def rig(ledger: SqliteLedger, tmp_path: Path) -> Iterator[Rig]:
    made = Rig(ledger, tmp_path / "ledger.sqlite")
    yield made
    made.runner.cancel()
    made.runner.join(5)


def lane_at_qr(lane: SelfCheckoutService, effects: Effects, rig: Rig) -> SelfCheckoutPresenter:
    p = SelfCheckoutPresenter(lane, effects, lang="en")
    p.qris.port = rig.runner  # as kiosk.ui.qris_runner.start_qris does
    p.start("en")
    p.scan(lane.checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.go_pay()
    p.member_done(skip=True)
    assert "qris" in p.payment_methods
    p.choose_payment("qris")
    assert p.screen == "paying" and p.qris.state == "connecting"
    rig.pump(p.qris_event, lambda: p.qris.state == "showing")
    return p


def test_paid_commits_the_sale_once_and_marks_the_payment_applied(
    lane: SelfCheckoutService, effects: Effects, rig: Rig, ledger: SqliteLedger
) -> None:
    p = lane_at_qr(lane, effects, rig)
    assert p.qris.payload.startswith("000201") and p.qris.merchant == "TOKO SARI"
    assert p.qris.amount == 5000 and p.qris.countdown_text() in ("5:00", "4:59")
    assert p.qris.simulate_paid()
    rig.pump(p.qris_event, lambda: p.screen == "receipt")
    sale = p.last_sale
    assert sale is not None and [(t.method, t.amount) for t in sale.tenders] == [("qris", 5000)]
    ((order_id, state, sale_id),) = rig.rows()
    assert state == "applied" and sale_id == sale.sale_id and sale.tenders[0].reference == order_id
    assert ledger.conn.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 1


def test_expired_qr_leaves_the_basket_open(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger, tmp_path: Path
) -> None:
    rig = Rig(ledger, tmp_path / "ledger.sqlite", wait_s=0.5)
    p = lane_at_qr(lane, effects, rig)
    rig.pump(p.qris_event, lambda: not p.qris.active)
    assert p.screen == "payment" and p.message.level == "error"
    assert p.message.text == "The QR code expired. Nothing was paid; choose how to pay"
    assert p.checkout.tenders is None and p.basket.total == 5000
    ((order_id, state, _),) = rig.rows()
    assert state == "cancelled" and rig.gateway.charges[order_id].status is QrisStatus.CANCELLED
    assert ledger.conn.execute("SELECT COUNT(*) FROM sales").fetchone()[0] == 0


def test_cancel_withdraws_the_qr_but_a_payment_made_first_still_completes(
    lane: SelfCheckoutService, effects: Effects, rig: Rig
) -> None:
    p = lane_at_qr(lane, effects, rig)
    p.cancel_payment()
    assert p.qris.state == "cancelling" and p.message.text == "Cancelling the QRIS payment..."
    rig.pump(p.qris_event, lambda: not p.qris.active)
    assert p.screen == "payment" and "cancelled" in p.message.text
    assert p.checkout.tenders is None
    # Again, but the customer's bank paid a moment before the cancel reached the acquirer.
    p.choose_payment("qris")
    rig.pump(p.qris_event, lambda: p.qris.state == "showing")
    rig.gateway.charges[p.qris.order_id].status = QrisStatus.PAID  # unseen by the till yet
    p.cancel_payment()
    rig.pump(p.qris_event, lambda: p.screen == "receipt")
    assert p.last_sale is not None and p.last_sale.tenders[0].method == "qris"
    assert sorted(state for _, state, _ in rig.rows()) == ["applied", "cancelled"]


def test_unreachable_bank_hides_qris_until_it_may_answer_again(
    lane: SelfCheckoutService, effects: Effects, rig: Rig
) -> None:
    now = [1000.0]
    p = SelfCheckoutPresenter(lane, effects, lang="id", clock=lambda: now[0])
    p.qris.port, p.qris.clock = rig.runner, lambda: now[0]
    p.start("id")
    p.scan(lane.checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.go_pay()
    p.member_done(skip=True)
    rig.gateway.reachable = False
    p.choose_payment("qris")
    rig.pump(p.qris_event, lambda: not p.qris.active)
    assert p.screen == "payment" and p.message.level == "error"
    assert p.message.text == "QRIS sedang tidak tersedia: bank tidak dapat dihubungi"
    assert "qris" not in p.payment_methods and p.basket.total == 5000
    now[0] += RETRY_AFTER_S
    rig.gateway.reachable = True
    assert "qris" in p.payment_methods


def test_slow_bank_says_waiting_then_carries_on(
    lane: SelfCheckoutService, effects: Effects, rig: Rig
) -> None:
    p = lane_at_qr(lane, effects, rig)
    rig.gateway.reachable = False
    rig.pump(p.qris_event, lambda: p.qris.slow)
    assert p.qris.status_text() == "Waiting for the bank..." and p.message.level == "attention"
    rig.gateway.reachable = True
    rig.pump(p.qris_event, lambda: not p.qris.slow)
    assert p.qris.state == "showing"


def test_a_relayed_confirmation_ends_the_wait_without_the_poll(
    lane: SelfCheckoutService, effects: Effects, rig: Rig, tmp_path: Path
) -> None:
    rig.runner.main.backoff = Backoff(first_s=60, max_s=60)  # the poll would take a minute
    p = lane_at_qr(lane, effects, rig)
    agent = open_db(tmp_path / "ledger.sqlite", migrate=False)  # as `kiosk agent` applies it
    confirm_payment(
        agent, p.qris.order_id, QrisStatus.PAID, source="fleet", at="2026-11-30T01:00:00Z"
    )
    agent.close()
    started = time.monotonic()
    rig.pump(p.qris_event, lambda: p.screen == "receipt")
    assert time.monotonic() - started < 2.0
    assert [state for _, state, _ in rig.rows()] == ["applied"]


def test_counter_takes_qris_as_one_of_split_tenders(
    checkout: CheckoutService, staff: StaffService, effects: Effects, rig: Rig
) -> None:
    p = CounterPresenter(checkout, staff, effects, lang="en")
    p.qris.port = rig.runner
    for key in "2222":
        p.pin_key(key)
    p.pin_key("enter")
    p.scan(checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.scan(checkout.catalog.by_sku("MIE").barcodes[0])  # type: ignore[union-attr]
    p.pay()
    p.tender_cash(3000)
    p.tender_qris()
    rig.pump(p.qris_event, lambda: p.qris.state == "showing")
    assert p.qris.amount == 5500 and p.busy
    p.back_to_sale()  # the QR is withdrawn first; the cash stays taken
    rig.pump(p.qris_event, lambda: not p.qris.active)
    assert p.screen == "tender" and p.due == 5500
    p.tender_qris()
    rig.pump(p.qris_event, lambda: p.qris.state == "showing")
    p.simulate_qris_paid()
    rig.pump(p.qris_event, lambda: p.screen == "done")
    assert p.last_sale is not None
    assert [(t.method, t.amount) for t in p.last_sale.tenders] == [("cash", 3000), ("qris", 5500)]
    assert sorted(state for _, state, _ in rig.rows()) == ["applied", "cancelled"]


def test_an_idle_lane_probes_the_acquirer_and_hides_qris_while_it_does_not_answer(
    lane: SelfCheckoutService, effects: Effects, rig: Rig
) -> None:
    p = SelfCheckoutPresenter(lane, effects, lang="en")
    p.qris.port = rig.runner
    p.start("en")
    p.scan(lane.checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.go_pay()
    p.member_done(skip=True)
    assert "qris" in p.payment_methods
    rig.gateway.reachable = False  # the shop's internet is down
    assert rig.runner.probe() is False
    assert p.payment_methods == ["card"]  # no QR that could never be confirmed
    rig.gateway.reachable = True
    rig.runner.keep_probing(every_s=0.05)
    deadline = time.monotonic() + 5
    while "qris" not in p.payment_methods:
        assert time.monotonic() < deadline, "the probe did not bring QRIS back"
        time.sleep(0.02)
    rig.runner.stop()
    assert rig.gateway.charges == {}  # probing made no charge
