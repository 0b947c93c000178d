"""The ``pay`` step of a replay script at the self-checkout, through the real UI: the
customer picks the method on the payment screen (after a ``member`` step, and a
``redeem`` step that left some to pay, it is already there), the simulated terminal,
acquirer or cash acceptor pays, then the receipt choice and the thank-you screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kiosk.ui.script_bench import Action
from kiosk.ui.script_counter_steps import StepError
from kiosk.ui.touch import find_action, tap


class SelfCheckoutPayMixin:
    """Mixed into ``ScriptRunner`` (which provides these)."""

    app: Any

    if TYPE_CHECKING:

        @property
        def p(self) -> Any: ...
        def press(self, action: str) -> Action: ...
        def until(self, predicate: Callable[[], bool]) -> Action: ...
        def _settle(self) -> bool: ...
        def _shot(self, name: str) -> None: ...
        def _qris_paid(self) -> Iterator[Action]: ...

    def _self_checkout_pay(self, step: dict[str, Any]) -> Iterator[Action]:
        pay = step["pay"]
        method = str(pay.get("method", ""))
        if "amount" in pay and int(pay["amount"]) != self.p.due:
            raise StepError("a self-checkout pays what is due in one tender")
        if method not in ("qris", "card", "cash"):
            raise StepError(f"a self-checkout pays by qris, card or cash, not {method!r}")
        if method == "cash" and "cash" not in self.p.payment_methods:  # else a 15 s wait
            raise StepError("this self-checkout takes no cash: it has no cash acceptor")
        if self.p.screen != "payment":  # a member step went there already
            yield self.press("pay")
            yield self.press("member_skip")
        yield self.press(f"pay_{method}")
        if method == "qris":
            yield from self._qris_paid()
        elif method == "cash":
            yield self._feed_cash()
        yield from self._self_checkout_paid()

    def _self_checkout_paid(self) -> Iterator[Action]:
        """From the moment the sale is paid to the next customer's attract screen."""
        yield self.until(lambda: self.p.screen == "receipt")
        yield self._settle
        yield lambda: self._shot("paid")
        # The e-receipt where the shop has set its address (receipt.url), else none.
        yield self.press("receipt_qr" if self.p.receipt_url else "receipt_none")
        yield self.until(lambda: self.p.screen == "thanks")
        yield self._settle
        yield lambda: self._shot("thanks")
        yield self.press("thanks_done")
        yield self.until(lambda: self.p.screen == "attract")

    def _feed_cash(self) -> Action:
        """Tap the simulated acceptor's button one note at a time, each after the last
        one was taken, until the basket is paid."""
        seen = [-1]

        def run() -> bool:
            if self.p.screen != "paying":
                return True
            taken = self._tender_count()
            if taken == seen[0]:
                return False  # the last note is still on its way to the checkout
            widget = find_action(self.app.root_widget, "cash_simulate")
            if widget is not None and not widget.disabled:
                seen[0] = taken
                tap(widget)
            return False

        return run

    def _tender_count(self) -> int:
        tenders = self.p.checkout.tenders
        return len(tenders.records()) if tenders is not None else 0
