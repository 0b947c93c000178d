"""QRIS through the acquirer at the self-checkout: the whole basket in one QR; paid ->
the sale is committed; expired, cancelled or unreachable -> back to the payment choice
with the basket intact (and QRIS hidden while the acquirer cannot be reached)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.services.checkout import CheckoutService
from kiosk.services.qris_till import order_id_for
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.qris import HasQris
from kiosk.ui.qris_runner import QrisEvent


class SelfCheckoutQrisMixin(HasQris):
    """Mixed into ``SelfCheckoutPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    lang: Language
    screen: str
    paying_method: str

    if TYPE_CHECKING:  # provided by the presenter

        def _go(self, screen: str) -> None: ...
        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...
        def _finish(self) -> None: ...
        def _payment_failed(self) -> None: ...
        def _release_held(self) -> None: ...
        def touch(self) -> None: ...

    def _start_qris(self, due: int) -> None:
        self.qris.start(order_id_for(self.checkout.basket.basket_id), due)
        self._say(self.qris.status_text(), "info")

    def cancel_qris(self) -> None:
        """Withdraw the QR; the lane returns to the basket once the acquirer answered (a
        payment that was made just before still completes the sale)."""
        self.touch()
        self.qris.cancel()
        self._say(self.qris.status_text(), "attention")
        self._changed()

    def simulate_qris_paid(self) -> None:
        self.touch()
        self.qris.simulate_paid()

    def qris_event(self, event: QrisEvent) -> None:
        done = self.qris.event(event)
        if done is None:
            if self.qris.active:
                self._say(self.qris.status_text(), "attention" if self.qris.slow else "info")
            self._changed()
            return
        if done.kind == "done" and done.state == "paid":
            self.checkout.pay_qris(done.amount, reference=done.order_id)
            self._finish()
            return
        self._payment_failed()  # points already tendered stay on the sale
        self._say(self.qris.outcome_text(done), "error")
        self._changed()
        self._release_held()
