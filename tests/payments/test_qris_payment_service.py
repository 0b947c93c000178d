"""The QRIS payment service over a real ledger file: the simulated acquirer and the fake
Midtrans server; confirmations twice, after a cancel, and a till killed while waiting."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.sale import TenderRecord
from kiosk.payments.gateway import GatewayError, QrisStatus
from kiosk.payments.midtrans import MidtransGateway
from kiosk.payments.simulated import SimulatedGateway
from kiosk.services.qris_payment import Backoff, Outcome, QrisPaymentService
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.fake_acquirers import FakeMidtrans, sample_static_qris
from kiosk.testing.sales import build_sale, sale_line

KEY = "SB-Mid-server-TEST"


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    db = open_db(tmp_path / "ledger.db")
    yield db
    db.close()


@pytest.fixture
def fake() -> Iterator[FakeMidtrans]:
    with FakeMidtrans(KEY).serving() as server:
        assert isinstance(server, FakeMidtrans)
        yield server


class Ticker:
    """A clock that moves only when the service sleeps: the waits are exact and instant."""

    def __init__(self) -> None:
        self.t = 0.0
        self.slept: list[float] = []

    def sleep(self, s: float) -> None:
        self.slept.append(s)
        self.t += s

    def monotonic(self) -> float:
        return self.t


def service(
    conn: sqlite3.Connection, gateway: SimulatedGateway | MidtransGateway, ticker: Ticker
) -> QrisPaymentService:
    return QrisPaymentService(
        conn, gateway, sleep=ticker.sleep, monotonic=ticker.monotonic, backoff=Backoff(1, 8)
    )


def simulated(outcome: str = "approved", pay_after: int = 3) -> SimulatedGateway:
    return SimulatedGateway(sample_static_qris(), outcome=outcome, pay_after=pay_after)


def test_payment_is_in_the_ledger_before_the_qr_and_paid_after_polling_with_backoff(
    conn: sqlite3.Connection,
) -> None:
    ticker = Ticker()
    svc = service(conn, simulated(pay_after=5), ticker)
    charge = svc.begin("S-1", 27500)
    row = svc.payment("S-1")
    assert (row.state, row.amount, row.reference) == ("pending", 27500, charge.reference)
    assert row.qr_string == charge.qr_string
    paid = svc.wait("S-1", timeout_s=120)
    assert (paid.state, paid.confirmed_by) == ("paid", "poll")
    assert ticker.slept == [1, 2, 4, 8]  # doubling, capped at the backoff's maximum
    assert svc.applied("S-1", "sale-1") and not svc.applied("S-1", "sale-2")
    assert svc.payment("S-1").sale_id == "sale-1"


@pytest.mark.parametrize(("outcome", "state"), [("declined", "failed"), ("expired", "expired")])
def test_declined_and_expired_close_the_payment(
    conn: sqlite3.Connection, outcome: str, state: str
) -> None:
    svc = service(conn, simulated(outcome, pay_after=1), Ticker())
    svc.begin("S-2", 1000)
    assert svc.wait("S-2", timeout_s=60).state == state


def test_a_gateway_that_never_answers_is_cancelled_at_the_deadline(
    conn: sqlite3.Connection,
) -> None:
    ticker = Ticker()
    gw = simulated("timeout")
    svc = service(conn, gw, ticker)
    svc.begin("S-3", 1000)
    assert svc.wait("S-3", timeout_s=20).state == "cancelled"
    assert ticker.t == pytest.approx(20)
    assert gw.charges["S-3"].status is QrisStatus.CANCELLED


def test_payment_confirmed_twice_applies_once(conn: sqlite3.Connection) -> None:
    svc = service(conn, simulated(), Ticker())
    svc.begin("S-4", 5000)
    assert svc.confirm("S-4", QrisStatus.PAID, source="fleet") is Outcome.APPLY
    assert svc.confirm("S-4", QrisStatus.PAID, source="poll") is Outcome.ALREADY
    assert svc.confirm("S-4", QrisStatus.EXPIRED, source="fleet") is Outcome.ALREADY
    row = svc.payment("S-4")
    assert (row.state, row.confirmed_by, row.refund_due) == ("paid", "fleet", False)
    # The poll that was waiting sees the relayed confirmation and ends without asking.
    assert svc.wait("S-4", timeout_s=60).state == "paid"


def test_confirmation_after_cancel_is_flagged_for_refund_not_sold(
    conn: sqlite3.Connection,
) -> None:
    gw = simulated()
    svc = service(conn, gw, Ticker())
    svc.begin("S-5", 8000)
    assert svc.cancel("S-5").state == "cancelled"
    assert svc.confirm("S-5", QrisStatus.PAID, source="fleet") is Outcome.REFUND_DUE
    assert svc.confirm("S-5", QrisStatus.PAID, source="fleet") is Outcome.ALREADY
    row = svc.payment("S-5")
    assert (row.state, row.refund_due, row.confirmed_by) == ("cancelled", True, "fleet")
    assert [r.order_id for r in svc.refunds_due()] == ["S-5"]
    assert svc.confirm("S-404", QrisStatus.PAID, source="fleet") is Outcome.UNKNOWN


def test_a_refused_charge_is_closed_and_no_qr_is_shown(conn: sqlite3.Connection) -> None:
    gw = simulated()
    gw.reachable = False
    svc = service(conn, gw, Ticker())
    with pytest.raises(GatewayError):
        svc.begin("S-6", 1000)
    assert svc.payment("S-6").state == "failed"


def test_fake_midtrans_paid_by_relay_while_polling(
    conn: sqlite3.Connection, fake: FakeMidtrans
) -> None:
    ticker = Ticker()
    gw = MidtransGateway(KEY, base_url=fake.url, timeout_s=2)
    svc = service(conn, gw, ticker)
    svc.begin("M-1", 12000)

    def settle_on_third_look() -> bool:
        if len(ticker.slept) == 2:
            fake.settle("M-1")
        return False

    row = svc.wait("M-1", timeout_s=60, cancelled=settle_on_third_look)
    assert (row.state, row.confirmed_by) == ("paid", "poll")
    assert [r.path for r in fake.requests].count("/v2/M-1/status") == 3


def test_fake_midtrans_cancel_by_customer(conn: sqlite3.Connection, fake: FakeMidtrans) -> None:
    svc = service(conn, MidtransGateway(KEY, base_url=fake.url, timeout_s=2), Ticker())
    svc.begin("M-2", 3000)
    assert svc.wait("M-2", timeout_s=60, cancelled=lambda: True).state == "cancelled"
    assert fake.txns["M-2"].status == "cancel"


_WAITER = """
import sys
from kiosk.payments.midtrans import MidtransGateway
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.storage.db import open_db
svc = QrisPaymentService(open_db(sys.argv[1]), MidtransGateway(sys.argv[3], base_url=sys.argv[2]))
svc.begin(sys.argv[4], 15000)
print("waiting", flush=True)
svc.wait(sys.argv[4], timeout_s=600)
"""


def _killed_while_waiting(db: Path, fake: FakeMidtrans, order_id: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    proc = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(_WAITER), str(db), fake.url, KEY, order_id],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline() == "waiting\n"
        time.sleep(0.2)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()


def test_killed_while_waiting_then_paid_is_finished_on_start(
    tmp_path: Path, fake: FakeMidtrans
) -> None:
    db = tmp_path / "ledger.db"
    _killed_while_waiting(db, fake, "K-1")
    fake.settle("K-1")  # the customer paid while the till was down
    with open_db(db) as conn:
        svc = service(conn, MidtransGateway(KEY, base_url=fake.url, timeout_s=2), Ticker())
        assert svc.payment("K-1").state == "pending"
        asked_before = [r.path for r in fake.requests].count("/v2/K-1/status")
        assert [r.order_id for r in svc.recover()] == ["K-1"]  # paid: the till finishes it
        assert svc.payment("K-1").state == "paid"
        assert svc.recover()[0].order_id == "K-1"  # still to apply, not asked twice
        assert [r.path for r in fake.requests].count("/v2/K-1/status") == asked_before + 1
    conn.close()


def test_killed_while_waiting_unpaid_is_voided_on_start(tmp_path: Path, fake: FakeMidtrans) -> None:
    db = tmp_path / "ledger.db"
    _killed_while_waiting(db, fake, "K-2")
    with open_db(db) as conn:
        svc = service(conn, MidtransGateway(KEY, base_url=fake.url, timeout_s=2), Ticker())
        assert svc.recover() == []
        assert svc.payment("K-2").state == "cancelled"
        assert fake.txns["K-2"].status == "cancel"
        # The customer's app pays a moment too late: a refund, never a sale.
        assert svc.confirm("K-2", QrisStatus.PAID, source="fleet") is Outcome.REFUND_DUE
    conn.close()


def test_on_start_a_payment_already_in_a_committed_sale_is_marked_applied(
    conn: sqlite3.Connection,
) -> None:
    gw = simulated()
    svc = service(conn, gw, Ticker())
    svc.begin("S-7", 10000)
    sale = build_sale([sale_line(1, 10000)], [TenderRecord("qris", 10000, reference="S-7")])
    SqliteLedger(conn, "kiosk-1").commit_sale(sale)  # committed, then the till died
    assert svc.recover() == []
    row = svc.payment("S-7")
    assert (row.state, row.sale_id) == ("applied", sale.sale_id)
    assert gw.charges["S-7"].asked == 0  # nothing asked: the sale already holds it


def test_on_start_a_charge_never_created_at_the_gateway_is_voided(
    conn: sqlite3.Connection,
) -> None:
    from kiosk.storage import qris_payments

    qris_payments.insert(conn, "S-8", "simulated", 1000, "2026-11-30T00:00:00.000000Z")
    svc = service(conn, simulated(), Ticker())
    assert svc.recover() == []
    assert svc.payment("S-8").state == "cancelled"
