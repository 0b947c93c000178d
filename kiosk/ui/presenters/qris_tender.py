"""QRIS through the acquirer at the counter: the QR over the tender screen, its outcome
taken as a tender (split tenders allowed), or the basket left as it was."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_till import order_id_for
from kiosk.services.staff import StaffService
from kiosk.services.static_qris import confirm_static_qris
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.qris import HasQris
from kiosk.ui.qris_runner import QrisEvent


class CounterQrisMixin(HasQris):
    """Mixed into ``CounterPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    lang: Language
    entry: Keypad
    screen: str
    staff: StaffService

    if TYPE_CHECKING:  # provided by the presenter and CounterTenderMixin

        @property
        def due(self) -> int: ...
        def _run(self, action: Callable[[], Any], ok: str = "") -> bool: ...
        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...
        def _after_tender(self) -> None: ...

    def tender_qris(self) -> None:
        """Show the acquirer's QR for the typed amount (or all that is due)."""
        amount = min(self.entry.value() or self.due, self.due)
        self.entry.take()
        if self.qris.active:
            return
        if not self.qris.available():
            self._say(self.lang._("QRIS is not available right now: the bank cannot be reached"),
                      "error")  # fmt: skip
            self._changed()
            return
        if amount <= 0 or not self._run(self.checkout.start_payment):
            return
        self.qris.start(order_id_for(self.checkout.basket.basket_id), amount)
        self._say(self.qris.status_text(), "attention")
        self._changed()

    def cancel_qris(self) -> None:
        self.qris.cancel()
        self._say(self.qris.status_text(), "attention")
        self._changed()

    def simulate_qris_paid(self) -> None:
        self.qris.simulate_paid()

    # -- the shop's static QRIS, confirmed by staff ------------------------------------
    def tender_qris_static(self) -> None:
        """The customer pays the shop's printed QRIS; staff confirm it with a PIN once
        the money shows in the shop's QRIS app."""
        amount = min(self.entry.value() or self.due, self.due)
        self.entry.take()
        if self.qris.active or amount <= 0 or not self._run(self.checkout.start_payment):
            return
        self.qris.static_amount = amount
        self.qris.static_pin.take()
        self._say(self.qris.static_note(), "attention")
        self._changed()

    def static_pin_key(self, key: str) -> None:
        if key == "cancel":
            self.qris.static_amount = 0
            self._say("", "info")
        elif key == "enter":
            pin, amount = self.qris.static_pin.take(), self.qris.static_amount
            if self._run(lambda: confirm_static_qris(self.checkout, self.staff, pin, amount)):
                self.qris.static_amount = 0
                self._after_tender()
            return
        else:
            self.qris.static_pin.press(key)
        self._changed()

    def qris_event(self, event: QrisEvent) -> None:
        done = self.qris.event(event)
        if done is None:
            if self.qris.active:
                self._say(self.qris.status_text(), "error" if self.qris.slow else "attention")
            self._changed()
            return
        if done.kind == "done" and done.state == "paid":
            order_id, amount = done.order_id, done.amount
            if self._run(lambda: self.checkout.pay_qris(amount, reference=order_id)):
                self._after_tender()
            return
        self._say(self.qris.outcome_text(done), "error")
        self._changed()
