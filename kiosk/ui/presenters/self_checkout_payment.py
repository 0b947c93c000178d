"""Paying at the self-checkout: the customer picks QRIS, card or (where a cash acceptor
is fitted) cash, the lane waits for the answer, then offers a printed or QR receipt.
A late answer for a payment that was cancelled is ignored (the terminal log keeps it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.receipt_link import receipt_link
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CardResult
from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Effects, complete_sale
from kiosk.ui.presenters.qris import HasQris
from kiosk.ui.presenters.refusals import card_refusal, shown_text


class SelfCheckoutPaymentMixin(HasQris):
    """Mixed into ``SelfCheckoutPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    effects: Effects
    lang: Language
    screen: str
    paying_method: str
    qr_payload: str
    last_sale: CompletedSale | None
    receipt_url: str
    loyalty: LoyaltyService | None

    if TYPE_CHECKING:

        def _go(self, screen: str) -> None: ...
        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...
        def touch(self) -> None: ...
        def _release_held(self) -> None: ...
        def _start_qris(self, due: int) -> None: ...
        def cancel_qris(self) -> None: ...

    @property
    def payment_methods(self) -> list[str]:
        qris = ["qris"] if self.qris.available() else []  # hidden while the bank is unreachable
        return [*qris, "card"] + (["cash"] if self.effects.cash_available else [])

    def choose_payment(self, method: str) -> None:
        self.touch()
        if method not in self.payment_methods:
            self._say(self.lang._("That payment method is not available here"), "error")
            self._changed()
            return
        try:
            tenders = self.checkout.start_payment()
        except CheckoutError as error:
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        self.paying_method = method
        self._go("paying")
        due = tenders.remaining
        if method == "card":
            self._say(self.lang._("Insert, tap or swipe your card on the terminal"), "attention")
            self.effects.start_card(due, self.checkout.basket.basket_id)
        elif method == "qris":
            self._start_qris(due)
        elif problem := self.effects.start_cash(due):
            self._payment_failed()
            self._say(problem, "error")
        else:
            self._say(self.lang._("Insert notes into the cash acceptor"), "info")
        self._changed()

    def card_result(self, result: CardResult) -> None:
        if self.screen != "paying" or self.paying_method != "card":
            return  # a late answer after a cancel; the terminal log has it
        if result.outcome != "approved":
            self._payment_failed()
            self._say(card_refusal(result, self.lang), "error")
            self._changed()
            return
        self.checkout.pay_card(
            result.amount,
            reference=result.rrn,
            approval_code=result.approval_code,
            masked_pan=result.masked_pan,
            terminal_id=result.terminal_id,
        )
        self._finish()

    @property
    def cash_due(self) -> int:
        """What is still to pay while the customer pays."""
        tenders = self.checkout.tenders
        return tenders.remaining if tenders is not None else 0

    def cash_inserted(self, amount: int) -> None:
        if self.screen != "paying" or self.paying_method != "cash":
            return
        self.checkout.pay_cash(amount)
        tenders = self.checkout.start_payment()
        if tenders.is_complete:
            self.effects.stop_cash()
            self._finish()
        else:
            due = self.lang.money(tenders.remaining)
            self._say(self.lang._("Still to pay: {due}").format(due=due), "attention")
            self._changed()

    def cancel_payment(self) -> None:
        if self.qris.active:
            self.cancel_qris()
            return
        self.touch()
        tenders = self.checkout.tenders
        if tenders is not None and tenders.points_spent and self.screen == "paying":
            if self.paying_method == "cash":  # points stay: the rest is chosen again
                self.effects.stop_cash()
            self._payment_failed()
            self._say(self.lang._("How would you like to pay?"), "info")
            self._changed()
            self._release_held()
            return
        try:
            self.checkout.cancel_payment()
        except CheckoutError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            if self.paying_method == "cash":
                self.effects.stop_cash()
            self._go("scan")
            self._say("", "info")
        self._changed()
        self._release_held()

    def _payment_failed(self) -> None:
        """Back to the choice of payment after a card, QRIS or cash attempt that did not
        pay: points already tendered stay on the sale; otherwise the payment starts over."""
        tenders = self.checkout.tenders
        if tenders is None or not tenders.points_spent:
            self.checkout.cancel_payment()
        self._go("payment")

    def _finish(self) -> None:
        self.last_sale = sale = complete_sale(self.checkout, self.loyalty)
        self.qris.applied(sale)  # its QRIS payment is settled now
        self.qr_payload = ""
        self._go("receipt")
        self._say(self.lang._("Paid. Thank you! Would you like a receipt?"), "ok")
        if sale.change and self.effects.give_change(sale.change):  # only cash gives change
            change = self.lang.money(sale.change)
            text = self.lang._("Paid. Please ask staff for your change of {change}.")
            self._say(text.format(change=change), "attention")
        self._changed()
        self._release_held()

    def receipt(self, choice: str) -> None:
        self.touch()
        sale = self.last_sale
        if sale is None:
            return
        if choice == "print":
            problem = self.effects.print_receipt(sale)
            if problem:
                self._say(
                    self.lang._("Printer problem: {problem}. Use the e-receipt.").format(
                        problem=problem
                    ),
                    "error",
                )
                self._changed()
                return
        elif choice == "qr" and self.receipt_url:
            self.qr_payload = receipt_link(
                self.receipt_url,
                sale_id=sale.sale_id,
                store_id=sale.store_id,
                device_id=sale.device_id,
            )
            self._go("thanks")
            self._changed()
            return
        self.qr_payload = ""
        self._go("thanks")
        self._changed()
