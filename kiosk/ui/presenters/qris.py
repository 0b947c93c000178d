"""The QR screen's state, shared by both faces: a QRIS payment through the acquirer.

connecting -> showing (the QR, the amount, the merchant, a countdown; "waiting for the
bank" while the acquirer does not answer) -> done (paid: the face takes the tender and
commits; expired, cancelled or failed: the basket stays open for another tender). Cancel
asks the acquirer to withdraw the QR; a "paid" that came first still wins.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from math import inf
from typing import TYPE_CHECKING, Protocol

from kiosk.domain import qris
from kiosk.domain.sale import CompletedSale
from kiosk.services.qris_till import Recovered
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.qris_runner import QrisEvent

RETRY_AFTER_S = 60.0  # an unreachable acquirer is offered again after this long


class QrisPort(Protocol):
    """What the flow needs of the till's payment runner (``kiosk.ui.qris_runner``)."""

    reachable: bool
    unreachable_at: float
    wait_s: float  # how long the till waits for a payment (the charge's expiry may be sooner)
    static_payload: str  # the shop's printed QRIS, "" when it has none

    @property
    def simulated(self) -> bool: ...

    def start(self, order_id: str, amount: int) -> None: ...

    def cancel(self) -> None: ...

    def simulate_paid(self, order_id: str) -> bool: ...

    def applied(self, order_id: str, sale_id: str) -> None: ...


class QrisFlow:
    """The state of one face's QR screen; ``port`` is the till's runner (None: no
    acquirer set up, QRIS not offered)."""

    def __init__(
        self,
        port: QrisPort | None,
        lang: Language,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.port = port
        self.lang = lang
        self.clock = clock
        self.state = ""  # "", "connecting", "showing", "cancelling"
        self.order_id = ""
        self.amount = 0
        self.payload = ""
        self.merchant = ""
        self.deadline = 0.0
        self.slow = False
        self.static_amount = 0  # > 0 while staff confirm a static QRIS payment
        self.static_pin = Keypad(8, masked=True)

    @property
    def static_payload(self) -> str:
        """The shop's printed QRIS (settings), shown while staff confirm a payment."""
        return self.port.static_payload if self.port is not None else ""

    def static_note(self) -> str:
        amount = self.lang.money(self.static_amount)
        text = self.lang._("Customer pays {amount} to the shop's QRIS. Once it shows in the "
                           "shop's QRIS app, staff enter their PIN")  # fmt: skip
        return text.format(amount=amount)

    @property
    def active(self) -> bool:
        return bool(self.state)

    def available(self) -> bool:
        """QRIS can be offered: an acquirer is set up and answered lately."""
        port = self.port
        if port is None:
            return False
        if port.reachable:
            return True
        return self.clock() - port.unreachable_at >= RETRY_AFTER_S

    def start(self, order_id: str, amount: int) -> None:
        if self.port is None:
            raise RuntimeError("no QRIS acquirer")
        self.state, self.order_id, self.amount = "connecting", order_id, amount
        self.payload, self.merchant, self.slow = "", "", False
        self.port.start(order_id, amount)

    def cancel(self) -> None:
        if self.state in ("connecting", "showing") and self.port is not None:
            self.state = "cancelling"
            self.port.cancel()

    def simulate_paid(self) -> bool:
        return self.port is not None and self.port.simulate_paid(self.order_id)

    def applied(self, sale: CompletedSale) -> None:
        """The sale holding our QRIS tenders is committed: their payments are settled."""
        if self.port is None:
            return
        for tender in sale.tenders:
            if tender.method == "qris" and tender.reference.startswith("QR-"):
                self.port.applied(tender.reference, sale.sale_id)

    def event(self, event: QrisEvent) -> QrisEvent | None:
        """Apply what the runner said; the "done" or "error" event of this payment is
        returned for the face to act on (take the tender, or reopen the basket)."""
        if event.order_id != self.order_id or not self.state:
            return None  # a payment this screen no longer shows (it was recorded)
        if event.kind == "charge" and event.charge is not None:
            self.payload = event.charge.qr_string
            self.merchant = _merchant(event.charge.qr_string)
            runner_wait = self.port.wait_s if self.port is not None else inf
            wait = min(event.charge.expires_in_s, runner_wait)
            self.deadline = self.clock() + wait
            if self.state == "connecting":
                self.state = "showing"
        elif event.kind in ("slow", "answering"):
            self.slow = event.kind == "slow"
            if self.port is not None and self.slow:
                self.port.unreachable_at = self.clock()
        elif event.kind in ("done", "error"):
            if event.kind == "error" and self.port is not None and not self.port.reachable:
                self.port.unreachable_at = self.clock()
            self.state, self.payload = "", ""
            return event
        return None

    # -- what the screen shows ----------------------------------------------------------
    def seconds_left(self) -> int:
        if self.state != "showing":
            return 0
        return max(0, int(self.deadline - self.clock() + 0.999))

    def countdown_text(self) -> str:
        left = self.seconds_left()
        return f"{left // 60}:{left % 60:02d}"

    def status_text(self) -> str:
        _ = self.lang._
        if self.state == "connecting":
            return _("Connecting to the bank...")
        if self.state == "cancelling":
            return _("Cancelling the QRIS payment...")
        if self.slow:
            return _("Waiting for the bank...")
        return _("Scan the QR code with your banking or e-wallet app")

    def outcome_text(self, event: QrisEvent) -> str:
        """What to say when a payment ended without being paid."""
        _ = self.lang._
        if event.kind == "error":
            return _("QRIS is not available right now: the bank cannot be reached")
        if event.state == "expired":
            return _("The QR code expired. Nothing was paid; choose how to pay")
        if event.state == "cancelled":
            return _("QRIS payment cancelled. Nothing was paid")
        return _("The QRIS payment did not go through. Nothing was paid")


def _merchant(payload: str) -> str:
    try:
        return qris.parse(payload).merchant_name
    except qris.QrisError:
        return ""


def recovered_text(recovered: list[Recovered], lang: Language) -> str:
    """What the till says at start about the payments the last run left waiting."""
    _ = lang._
    texts = []
    for item in recovered:
        amount = lang.money(item.amount)
        if item.sale is not None:
            texts.append(_("QRIS payment of {amount} received before the restart: "
                           "sale complete, receipt {number}").format(
                               amount=amount, number=item.sale.receipt_no))  # fmt: skip
        else:
            texts.append(_("QRIS payment of {amount} received for no open sale: "
                           "it is listed for a refund").format(amount=amount))  # fmt: skip
    return " · ".join(texts)


class HasQris:
    """Gives a face presenter its ``qris`` flow, made on first use; the app hands it the
    runner (``kiosk.ui.qris_runner.start_qris``)."""

    lang: Language
    _qris: QrisFlow | None = None

    if TYPE_CHECKING:  # provided by the presenter

        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...

    @property
    def qris(self) -> QrisFlow:
        if self._qris is None:
            self._qris = QrisFlow(None, self.lang)
        return self._qris

    def recovered(self, recovered: list[Recovered]) -> None:
        """Say what the start did with the QRIS payments the last run left waiting."""
        self._say(recovered_text(recovered, self.lang), "attention")
        self._changed()
