"""The counter's tender screen: cash with quick-cash buttons, card, QRIS, split tender,
the change due; and the quick-cash amounts a cashier taps."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CardResult
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.basket_view import BasketView
from kiosk.ui.presenters.common import Effects, complete_sale
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.qris_tender import CounterQrisMixin
from kiosk.ui.presenters.refusals import card_refusal, shown_text

NOTES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


def quick_cash(due: int, count: int = 4) -> list[int]:
    """Exact amount first, then the next round sums a customer is likely to hand over."""
    if due <= 0:
        return []
    options = [due]
    for step in (5_000, 10_000, 20_000, 50_000, 100_000):
        rounded = -(-due // step) * step
        if rounded not in options:
            options.append(rounded)
        if len(options) >= count:
            break
    return sorted(options)[:count]


class CounterTenderMixin(CounterQrisMixin):
    """Mixed into ``CounterPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    effects: Effects
    lang: Language
    entry: Keypad
    screen: str
    basket: BasketView
    last_sale: CompletedSale | None
    loyalty: LoyaltyService | None

    def _run(self, action: Callable[[], Any], ok: str = "") -> bool:
        raise NotImplementedError

    def _say(self, text: str, level: str = "info") -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def _release_held(self) -> None:
        raise NotImplementedError

    def pay(self) -> None:
        if self._run(self.checkout.start_payment):
            self.screen = "tender"
            self.entry.take()
            self._say("", "info")
            self._changed()

    @property
    def due(self) -> int:
        tenders = self.checkout.tenders
        return tenders.remaining if tenders is not None else self.basket.total

    def quick_cash(self) -> list[int]:
        return quick_cash(self.due)

    def tender_cash(self, amount: int | None = None) -> None:
        given = amount if amount is not None else self.entry.value()
        self.entry.take()
        if not given:
            self._say(self.lang._("Type the cash amount or tap a quick-cash button"), "attention")
            self._changed()
            return
        if self._run(lambda: self.checkout.pay_cash(given)):
            self._after_tender()

    def tender_card(self) -> None:
        amount = self.entry.value() or self.due
        self.entry.take()
        self._say(self.lang._("Waiting for the card terminal..."), "attention")
        self._changed()
        self.effects.start_card(amount, self.checkout.basket.basket_id[:12])

    def card_result(self, result: CardResult) -> None:
        if self.screen != "tender":
            return
        if result.outcome != "approved":
            self._say(card_refusal(result, self.lang), "error")
            self._changed()
            return
        details = {
            "reference": result.rrn,
            "approval_code": result.approval_code,
            "masked_pan": result.masked_pan,
            "terminal_id": result.terminal_id,
        }
        if self._run(lambda: self.checkout.pay_card(result.amount, **details)):
            self._after_tender()

    def tender_points(self) -> None:
        """The member on the sale pays part of it with the points typed on the keypad."""
        wanted = self.entry.value()
        self.entry.take()
        if self.loyalty is None or not self.checkout.basket.member_id:
            self._say(self.lang._("Put a member on the sale before paying with points"), "error")
        elif not wanted:
            self._say(self.lang._("Type the number of points first"), "attention")
        else:
            loyalty = self.loyalty
            if self._run(lambda: loyalty.redeem(self.checkout, wanted)):
                self._after_tender()
            return
        self._changed()

    def _after_tender(self) -> None:
        tenders = self.checkout.tenders
        if tenders is None or not tenders.is_complete:
            due = self.lang.money(self.due)
            self._say(self.lang._("Still to pay: {due}").format(due=due), "attention")
            self._changed()
            return
        try:
            self.last_sale = complete_sale(self.checkout, self.loyalty)
        except ShownError as error:
            if error.code != "checkout.order_cancelled":
                raise
            # Its cancel reached the till first: the order's basket goes, nothing is sold.
            self.checkout.abandon("online order cancelled before its sale")
            self.screen = "sale"
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        self.qris.applied(self.last_sale)  # its QRIS payments are settled now
        if any(t.method == "cash" for t in self.last_sale.tenders):
            self.effects.open_drawer("sale")
        self.screen = "done"
        self._say(self.lang._("Sale complete"), "ok")
        self._changed()

    def back_to_sale(self) -> None:
        if self.qris.active:  # a QR is up: withdraw it first (a "paid" that came first wins)
            self.qris.cancel()
            self._changed()
            return
        self._run(self.checkout.cancel_payment)
        if self.checkout.tenders is None:
            self.screen = "sale"
            self._release_held()
        self._changed()

    def print_receipt(self) -> None:
        if self.last_sale is not None:
            problem = self.effects.print_receipt(self.last_sale)
            if problem:
                self._say(
                    self.lang._("Printer problem: {problem}").format(problem=problem), "error"
                )
            else:
                self._say(self.lang._("Receipt printed"), "ok")
            self._changed()

    def new_sale(self) -> None:
        self.screen = "sale"
        self.last_sale = None
        self._say("", "info")
        self._changed()
        self._release_held()
