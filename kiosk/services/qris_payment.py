"""A QRIS payment from charge to tender: the till's side of the acquirer.

The payment is written to the ledger before the QR is shown, so a till killed while the
customer pays finds it again on start (``recover``). The outcome comes from polling the
gateway with backoff (``wait``) or from the fleet relaying the acquirer's notification
(``confirm``), whichever comes first; the ledger's conditional updates make the first
"paid" the only one that applies the tender. A "paid" for a payment already cancelled or
expired is kept and flagged for a refund, never turned into a second sale.
"""

from __future__ import annotations

import enum
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from kiosk.domain.sale import iso_utc
from kiosk.payments.gateway import GatewayError, QrisCharge, QrisGateway, QrisStatus
from kiosk.storage import qris_payments as store
from kiosk.storage.db import transaction
from kiosk.storage.qris_payments import PaymentRow

_CLOSED_BY = {
    QrisStatus.EXPIRED: "expired",
    QrisStatus.CANCELLED: "cancelled",
    QrisStatus.FAILED: "failed",
}


class Outcome(enum.Enum):
    APPLY = "apply"  # first "paid": the caller takes the tender (reference = order id)
    ALREADY = "already"  # nothing new: a repeat, or a regression after a final state
    REFUND_DUE = "refund_due"  # paid after it was closed: recorded, to give back
    CLOSED = "closed"  # expired, cancelled or failed now
    PENDING = "pending"
    UNKNOWN = "unknown"  # no such payment on this till


class PaymentNotFoundError(LookupError):
    def __str__(self) -> str:
        return f"no QRIS payment {self.args[0]} on this till"


def _utc_now() -> str:
    return iso_utc(datetime.now(UTC))


@dataclass(frozen=True)
class Backoff:
    """Polling delays: ``first_s``, doubling up to ``max_s`` (Midtrans asks >= ~10 s)."""

    first_s: float = 2.0
    max_s: float = 10.0

    def delays(self) -> Callable[[], float]:
        delay = [self.first_s / 2]

        def next_delay() -> float:
            delay[0] = min(delay[0] * 2, self.max_s)
            return delay[0]

        return next_delay


class VirtualTime:
    """Time that passes only when the service waits: a replayed script's QR expiry takes
    no real time (``sleep`` and ``monotonic`` for ``QrisPaymentService``)."""

    def __init__(self) -> None:
        self.t = 0.0

    def sleep(self, seconds: float) -> None:
        self.t += seconds

    def monotonic(self) -> float:
        return self.t


class QrisPaymentService:
    def __init__(
        self,
        conn: sqlite3.Connection,
        gateway: QrisGateway,
        *,
        now: Callable[[], str] = _utc_now,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
        backoff: Backoff = Backoff(),
    ) -> None:
        self.conn = conn
        self.gateway = gateway
        self._now, self._sleep, self._monotonic = now, sleep, monotonic
        self.backoff = backoff

    # -- the till's flow ---------------------------------------------------------------
    def begin(self, order_id: str, amount: int) -> QrisCharge:
        """Create the charge; the payment is in the ledger before the QR can be shown."""
        with transaction(self.conn):
            store.insert(self.conn, order_id, self.gateway.name, amount, self._now())
        try:
            charge = self.gateway.create(order_id, amount)
        except GatewayError:
            with transaction(self.conn):
                store.move(self.conn, order_id, ("creating",), "failed", self._now())
            raise
        with transaction(self.conn):
            store.set_charge(self.conn, charge, self._now())
        return charge

    def now(self) -> str:
        """The time stamp this service writes (UTC, ISO)."""
        return self._now()

    def payment(self, order_id: str) -> PaymentRow:
        row = store.get(self.conn, order_id)
        if row is None:
            raise PaymentNotFoundError(order_id)
        return row

    def wait(
        self,
        order_id: str,
        *,
        timeout_s: float,
        cancelled: Callable[[], bool] = lambda: False,
        on_poll: Callable[[bool], None] = lambda _answered: None,
        pause: Callable[[float], None] | None = None,
        look_every_s: float = 0.0,
    ) -> PaymentRow:
        """Poll until paid, closed, cancelled by the customer or ``timeout_s`` has passed
        (then the charge is cancelled at the gateway). ``on_poll(False)`` after a status
        question the gateway did not answer ("waiting for the bank"), True once it does.
        Between questions the ledger is looked at every ``look_every_s`` (0: only after
        the whole delay), so a relayed confirmation or a cancel ends the wait early.
        ``pause`` replaces the service's sleep for this wait (a till's wakeable wait)."""
        deadline = self._monotonic() + timeout_s
        next_delay = self.backoff.delays()
        sleep = pause or self._sleep
        while True:
            row = self.payment(order_id)
            if row.state not in {"creating", "pending"}:
                return row
            if cancelled() or self._monotonic() >= deadline:
                return self.cancel(order_id)
            try:
                status = self.gateway.status(row.charge)
            except GatewayError:
                on_poll(False)  # slow or down: ask again after the delay
            else:
                on_poll(True)
                self.confirm(order_id, status, source="poll")
            ask_at = self._monotonic() + next_delay()
            while True:
                row = self.payment(order_id)
                now = self._monotonic()
                if row.state not in {"creating", "pending"} or cancelled() or now >= deadline:
                    break
                if now >= ask_at:
                    break
                step = min(ask_at, deadline) - now
                sleep(min(step, look_every_s) if look_every_s > 0 else step)

    def cancel(self, order_id: str) -> PaymentRow:
        """Cancel at the gateway, then close here. If the gateway says it was paid just
        before, it is paid (the tender applies); if the gateway cannot be reached it is
        closed here all the same, and a later "paid" becomes a refund."""
        row = self.payment(order_id)
        if row.state in {"creating", "pending"}:
            status = QrisStatus.CANCELLED
            if row.state == "pending":
                try:
                    status = self.gateway.cancel(row.charge)
                except GatewayError:
                    status = QrisStatus.CANCELLED
            if status is QrisStatus.PENDING:
                status = QrisStatus.CANCELLED
            self.confirm(order_id, status, source="cancel")
        return self.payment(order_id)

    def applied(self, order_id: str, sale_id: str) -> bool:
        """The sale holding this payment's tender is committed."""
        with transaction(self.conn):
            return store.mark_applied(self.conn, order_id, sale_id, self._now())

    # -- confirmations: the poll, the fleet's relay, a cancel ------------------------------
    def confirm(self, order_id: str, status: QrisStatus, *, source: str) -> Outcome:
        return confirm_payment(self.conn, order_id, status, source=source, at=self._now())

    def refunds_due(self) -> list[PaymentRow]:
        return store.refunds_due(self.conn)

    # -- start of the till ----------------------------------------------------------------
    def recover(self) -> list[PaymentRow]:
        """Finish what a killed till left: a payment whose sale is committed is applied; a
        pending one is asked at the gateway and becomes paid (returned, for the till to
        finish the sale with its kept basket) or is voided (cancelled at the gateway).
        Returns the payments still paid and not yet in a sale."""
        for row in store.open_payments(self.conn):
            sale_id = store.sale_with_tender(self.conn, row.order_id)
            if sale_id is not None:
                with transaction(self.conn):
                    at = self._now()
                    store.move(self.conn, row.order_id, ("creating", "pending"), "paid", at)
                    store.mark_applied(self.conn, row.order_id, sale_id, at)
                continue
            if row.state == "paid":
                continue
            try:
                status = self._ask(row)
            except GatewayError as err:
                if err.retryable:
                    continue  # unreachable: asked again at the next start
                status = QrisStatus.CANCELLED  # the acquirer never made it
            if status is QrisStatus.PENDING:
                self.cancel(row.order_id)
            else:
                self.confirm(row.order_id, status, source="recover")
        return [r for r in store.open_payments(self.conn) if r.state == "paid"]

    def _ask(self, row: PaymentRow) -> QrisStatus:
        if row.state == "creating":  # killed before the answer: void it whatever it was
            return self.gateway.cancel(row.charge)
        return self.gateway.status(row.charge)


def confirm_payment(
    conn: sqlite3.Connection, order_id: str, status: QrisStatus, *, source: str, at: str
) -> Outcome:
    """Record what the acquirer says of a payment; only the first "paid" of an open
    payment is ``APPLY``. Joins the caller's transaction (a fleet command's)."""
    with transaction(conn):
        row = store.get(conn, order_id)
        if row is None:
            return Outcome.UNKNOWN
        if status is QrisStatus.PENDING:
            return Outcome.PENDING
        if status is QrisStatus.PAID:
            if store.move(conn, order_id, ("creating", "pending"), "paid", at, source):
                return Outcome.APPLY
            if row.state in {"paid", "applied"}:
                return Outcome.ALREADY
            if store.flag_refund(conn, order_id, at, source):
                return Outcome.REFUND_DUE
            return Outcome.ALREADY
        closed = _CLOSED_BY.get(status)
        if closed and store.move(conn, order_id, ("creating", "pending"), closed, at):
            return Outcome.CLOSED
        return Outcome.ALREADY
