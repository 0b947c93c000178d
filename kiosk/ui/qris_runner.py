"""A QRIS payment's waiting, off the main thread: the till's side of ``QrisPaymentService``.

Asking an acquirer takes network time, so the charge and the polling run on a thread of
their own with their own SQLite connection; what happens comes back to the main thread
as ``qris`` events through the ``EventBridge`` (the QR to show, "waiting for the bank",
the outcome). The tender itself is taken on the main thread by the presenter, which then
calls ``applied``; a till killed in between is finished by ``recover_payments`` at start.
Plain Python (no Kivy): tested with the simulated acquirer and real SQLite files.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from kiosk.payments.gateway import GatewayError, QrisCharge
from kiosk.payments.simulated import SimulatedGateway
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.services.qris_till import Recovered

log = logging.getLogger("kiosk.qris")
LOOK_EVERY_S = 0.2  # how soon a relayed confirmation or a cancel is seen
PROBE_EVERY_S = 30.0  # how often an idle till checks that the acquirer answers


@dataclass(frozen=True)
class QrisEvent:
    """``kind``: "charge" (``charge`` to show), "slow" / "answering" (the acquirer did not
    answer / answers again), "done" (``state``: paid, expired, cancelled, failed) or
    "error" (no charge could be made: ``message``)."""

    kind: str
    order_id: str
    charge: QrisCharge | None = None
    state: str = ""
    amount: int = 0
    message: str = ""


class QrisRunner:
    """One payment at a time. ``make_service`` gives a service on a fresh connection (the
    worker closes it); ``main`` is the main thread's service, for ``applied``."""

    def __init__(
        self,
        make_service: Callable[[], QrisPaymentService],
        main: QrisPaymentService,
        post: Callable[[QrisEvent], object],
        *,
        wait_s: float = 300.0,
        static_payload: str = "",
    ) -> None:
        self.make_service = make_service
        self.main = main
        self.post = post
        self.wait_s = wait_s
        self.static_payload = static_payload  # the shop's printed QRIS, for staff-confirmed
        self.reachable = True  # the last charge or poll got an answer
        self.unreachable_at = 0.0  # monotonic time it last did not (see ``available``)
        self._wake = threading.Event()
        self._cancel = threading.Event()
        self._stop = threading.Event()
        self.thread: threading.Thread | None = None

    @property
    def simulated(self) -> bool:
        return isinstance(self.main.gateway, SimulatedGateway)

    @property
    def busy(self) -> bool:
        return self.thread is not None and self.thread.is_alive()

    def start(self, order_id: str, amount: int) -> None:
        self._cancel.clear()
        self._wake.clear()
        self.thread = threading.Thread(
            target=self._work, args=(order_id, amount), name="qris-wait", daemon=True
        )
        self.thread.start()

    def cancel(self) -> None:
        """The customer gave up: the worker cancels at the acquirer (a "paid" that came
        first still wins) and posts "done"."""
        self._cancel.set()
        self._wake.set()

    def simulate_paid(self, order_id: str) -> bool:
        """The demo's customer pays (simulated acquirer only); the wait sees it at once."""
        gateway = self.main.gateway
        if not isinstance(gateway, SimulatedGateway) or order_id not in gateway.charges:
            return False
        gateway.settle_now(order_id)
        self._wake.set()
        return True

    def applied(self, order_id: str, sale_id: str) -> None:
        self.main.applied(order_id, sale_id)

    def _pause(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._wake.clear()

    def _answered(self, order_id: str) -> Callable[[bool], None]:
        def on_poll(answered: bool) -> None:
            if answered != self.reachable:
                self.reachable = answered
                self.post(QrisEvent("answering" if answered else "slow", order_id))

        return on_poll

    def _work(self, order_id: str, amount: int) -> None:
        service = self.make_service()
        try:
            self._pay(service, order_id, amount)
        except Exception as error:  # a bug here must not leave the screen waiting forever
            log.exception("qris payment %s", order_id)
            self.post(QrisEvent("error", order_id, amount=amount, message=str(error)))
        finally:
            if service.conn is not self.main.conn:
                service.conn.close()

    def _pay(self, service: QrisPaymentService, order_id: str, amount: int) -> None:
        try:
            charge = service.begin(order_id, amount)
        except GatewayError as error:
            self.reachable = not error.retryable
            self.post(QrisEvent("error", order_id, amount=amount, message=str(error)))
            return
        self.reachable = True
        self.post(QrisEvent("charge", order_id, charge=charge, amount=amount))
        row = service.wait(
            order_id,
            timeout_s=min(self.wait_s, charge.expires_in_s),
            cancelled=self._cancel.is_set,
            on_poll=self._answered(order_id),
            pause=self._pause,
            look_every_s=LOOK_EVERY_S,
        )
        state = row.state
        if state == "cancelled" and not self._cancel.is_set():
            state = "expired"  # our wait ran out: the QR was withdrawn at the acquirer
        self.post(QrisEvent("done", order_id, state=state, amount=row.amount))

    # -- can the acquirer be reached? (self-checkout hides QRIS while it cannot) -------
    def probe(self) -> bool:
        """Ask the acquirer about an order that does not exist: any answer, "not found"
        included, means it can be reached; no answer in time means it cannot."""
        try:
            self.main.gateway.status(QrisCharge(f"PROBE-{secrets.token_hex(4)}", "", 1, ""))
        except GatewayError as error:
            answered = not error.retryable
        else:
            answered = True
        if not self.busy:  # a running payment's own polls say it better
            self.reachable = answered
            if not answered:
                self.unreachable_at = time.monotonic()
        return answered

    def keep_probing(self, every_s: float = PROBE_EVERY_S) -> None:
        """Probe now and then on a thread of its own while no payment runs."""

        def loop() -> None:
            while True:
                if not self.busy:
                    self.probe()
                if self._stop.wait(every_s):
                    return

        threading.Thread(target=loop, name="qris-probe", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)


class QrisTill(Protocol):
    def qris_service(self, *, own_connection: bool = False) -> QrisPaymentService: ...

    @property
    def settings(self) -> Any: ...


def qris_runner(till: QrisTill, post: Callable[[QrisEvent], object]) -> QrisRunner | None:
    """The till's runner over the acquirer the settings choose; None when none can be
    built from them (QRIS is then not offered)."""
    try:
        main = till.qris_service()
    except (GatewayError, KeyError, ValueError) as error:
        log.warning("QRIS is not available: %s", error)
        return None
    wait_s = float(till.settings.get("payments.qris.wait_seconds"))
    static = str(till.settings.get("payments.qris.static_payload") or "")
    return QrisRunner(lambda: till.qris_service(own_connection=True), main, post,
                      wait_s=wait_s, static_payload=static)  # fmt: skip


class QrisFace(Protocol):
    """A face presenter as ``start_qris`` needs it."""

    @property
    def qris(self) -> Any: ...

    def qris_event(self, event: QrisEvent) -> None: ...

    def recovered(self, recovered: list[Recovered]) -> None: ...


class RecoveringTill(QrisTill, Protocol):
    def recover_payments(self) -> list[Recovered]: ...


def start_qris(
    till: RecoveringTill, face: QrisFace, post: Callable[[Callable[[], None]], None]
) -> QrisRunner | None:
    """At the till's start, after the open basket was restored: the runner for the face
    (its events applied on the main thread through ``post``), and the payments a killed
    run left waiting finished or voided (the face says what happened)."""
    runner = qris_runner(till, lambda event: post(lambda: face.qris_event(event)))
    face.qris.port = runner
    if runner is not None:
        runner.keep_probing()
    if recovered := till.recover_payments():
        face.recovered(recovered)
    return runner
