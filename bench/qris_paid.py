"""From the acquirer's "paid" to the sale committed at the till, two ways (issue 13).

The real pieces run: a SQLite ledger in a temporary directory, the checkout, the till's
``QrisRunner`` (a worker thread with its own connection, the production backoff: 2 s
doubling to 10 s) over the simulated acquirer, and the presenter's part on the main
thread (tender, commit, payment marked applied). For each sample the customer pays at a
different moment after the QR is shown; then either
- polling: nothing else happens; the runner's next status question finds it, or
- relay: the kiosk side of the fleet relay writes the confirmation into the ledger from
  another connection, as ``kiosk agent`` does on ``cmd/payment`` (the HTTP and broker hops
  before it are not in this figure; on a LAN they are milliseconds).
The baseline, in the same run, is the commit alone: a sale paid by a QRIS tender already
known (the floor under both).
"""

from __future__ import annotations

import queue
import statistics
import tempfile
import time
from pathlib import Path

from kiosk.domain.catalog import Catalog, Product
from kiosk.payments.gateway import QrisStatus
from kiosk.payments.simulated import SAMPLE_STATIC_QRIS, SimulatedGateway
from kiosk.ports import SystemClock
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.qris_payment import QrisPaymentService, confirm_payment
from kiosk.services.qris_till import order_id_for
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.qris_runner import QrisEvent, QrisRunner

PAY_AFTER_S = (1.0, 3.0, 7.0, 12.0)  # when the customer pays, after the QR is up


class Till:
    def __init__(self, folder: Path) -> None:
        self.path = folder / "ledger.sqlite"
        self.ledger = SqliteLedger(self.path, "bench-1")
        catalog = Catalog([Product("TEH", "Teh", 5000, ("8991000000010",))])
        self.checkout = CheckoutService(catalog=catalog, ledger=self.ledger, clock=SystemClock(),
                                        config=CheckoutConfig("store-1", "bench-1"))  # fmt: skip
        self.gateway = SimulatedGateway(SAMPLE_STATIC_QRIS, pay_after=10**9)
        self.events: queue.Queue[QrisEvent] = queue.Queue()
        main = QrisPaymentService(self.ledger.conn, self.gateway)

        def own() -> QrisPaymentService:
            return QrisPaymentService(open_db(self.path, migrate=False), self.gateway)

        self.runner = QrisRunner(own, main, self.events.put, wait_s=300)

    def event(self, kind: str) -> QrisEvent:
        while True:
            event = self.events.get(timeout=60)
            if event.kind == kind:
                return event

    def commit(self, order_id: str, amount: int) -> None:
        self.checkout.pay_qris(amount, reference=order_id)
        sale = self.checkout.complete()
        self.runner.applied(order_id, sale.sale_id)

    def one(self, pay_after: float, *, relay: bool) -> float:
        """Seconds from "paid" at the acquirer to the sale committed."""
        self.checkout.add_sku("TEH")
        due = self.checkout.start_payment().remaining
        order_id = order_id_for(self.checkout.basket.basket_id)
        self.runner.start(order_id, due)
        self.event("charge")
        time.sleep(pay_after)
        paid_at = time.perf_counter()
        self.gateway.charges[order_id].status = QrisStatus.PAID  # the customer's bank paid
        if relay:  # what the agent applies when the fleet relays the notification
            agent = open_db(self.path, migrate=False)
            confirm_payment(
                agent, order_id, QrisStatus.PAID, source="fleet", at="2026-11-30T00:00:00Z"
            )
            agent.close()
        done = self.event("done")
        assert done.state == "paid", done
        self.commit(order_id, done.amount)
        took = time.perf_counter() - paid_at
        self.runner.join(5)
        return took

    def commit_only(self) -> float:
        self.checkout.add_sku("TEH")
        due = self.checkout.start_payment().remaining
        start = time.perf_counter()
        self.checkout.pay_qris(due, reference=f"BASE-{time.monotonic_ns()}")
        self.checkout.complete()
        return time.perf_counter() - start

    def close(self) -> None:
        self.ledger.close()


def measure(pay_after: tuple[float, ...] = PAY_AFTER_S) -> dict[str, list[float]]:
    with tempfile.TemporaryDirectory() as folder:
        till = Till(Path(folder))
        try:
            base = [till.commit_only() for _ in range(20)]
            polling = [till.one(t, relay=False) for t in pay_after]
            relay = [till.one(t, relay=True) for t in pay_after]
        finally:
            till.close()
    return {"baseline": base, "polling": polling, "relay": relay}


def report(samples: dict[str, list[float]]) -> str:
    base = statistics.median(samples["baseline"]) * 1000
    poll = statistics.median(samples["polling"]) * 1000
    relay = statistics.median(samples["relay"]) * 1000
    worst_poll = max(samples["polling"]) * 1000
    worst_relay = max(samples["relay"]) * 1000
    return (
        f"paid -> committed: polling median {poll:.0f} ms (worst {worst_poll:.0f}), "
        f"relay median {relay:.0f} ms (worst {worst_relay:.0f}), commit alone {base:.2f} ms; "
        f"ratios vs commit: polling {poll / base:.0f}x, relay {relay / base:.0f}x; "
        f"polling / relay {poll / relay:.1f}x"
    )
