"""The counter's script steps (``kiosk replay`` through the real UI): each step becomes
the taps a cashier would make on the keypad, the lines and the tender buttons."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from kiosk.ui.script_bench import Action


class StepError(Exception):
    """A script step the UI cannot play; the runner reports it with the script line."""


class CounterStepsMixin:
    """Mixed into ``ScriptRunner``, which provides what is declared here."""

    p: Any  # the app's presenter

    if TYPE_CHECKING:

        def press(self, action: str) -> Action: ...
        def scan(self, code: str) -> list[Action]: ...
        def keys(self, prefix: str, text: str) -> list[Action]: ...
        def until(self, predicate: Callable[[], bool]) -> Action: ...
        def _show_line(self, line: int) -> None: ...
        def _press_result(self, sku: str) -> Action: ...
        def _tender_count(self) -> int: ...
        def _settle(self) -> bool: ...
        def _shot(self, name: str) -> None: ...

    def _qris_paid(self) -> Iterator[Action]:
        """Both faces: once the acquirer's QR is up, a screenshot, then the simulated
        customer pays."""
        yield self.until(lambda: self.p.qris.state == "showing")
        yield self._settle
        yield lambda: self._shot("qris")
        yield self.press("qris_simulate")

    def _to_sale(self) -> Iterator[Action]:
        if self.p.screen == "done":
            yield self.press("new_sale")
        if self.p.tab != "keypad":
            yield self.press("tab_keypad")

    def _digits(self, number: int) -> Iterator[Action]:
        yield from self.keys("key", str(number))

    def _counter_scan(self, step: dict[str, Any]) -> Iterator[Action]:
        if self.p.screen == "done":
            yield self.press("new_sale")
        yield from self.scan(str(step["scan"]))

    def _counter_sku(self, step: dict[str, Any]) -> Iterator[Action]:
        sku = str(step["sku"])
        yield from self._to_sale()
        qty = int(step.get("qty", 1))
        if qty > 1:
            yield from self._digits(qty)
        yield self.press("open_search")
        yield from self.keys("kbd", sku.upper())
        yield self._press_result(sku)
        yield self.until(lambda: self.p.overlay == "")

    def _counter_qty(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_sale()
        if self.p.selected is not None:  # the step means the last line
            yield self.press(f"line_{self.p.selected}")
        yield from self._digits(int(step["qty"]))
        yield self.press("qty")

    def _select(self, line: int) -> Iterator[Action]:
        yield lambda: self._show_line(line)
        if self.p.selected != line:
            yield self.press(f"line_{line}")

    def _counter_void(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_sale()
        yield from self._select(int(step["void"]))
        yield self.press("void")

    def _counter_discount(self, step: dict[str, Any]) -> Iterator[Action]:
        spec = step["discount"]
        if not isinstance(spec, dict) or ("percent" in spec) == ("amount" in spec):
            raise StepError("discount needs exactly one of percent or amount")
        yield from self._to_sale()
        value: Any = spec.get("percent", spec.get("amount"))
        if str(value) != str(int(float(value))):
            raise StepError("the keypad takes whole numbers only")
        if spec.get("order") is True:
            yield from self._digits(int(value))
            yield self.press("disc_order_amount" if "amount" in spec else "disc_order")
        elif "line" in spec:
            if "amount" in spec:
                raise StepError("the till discounts a line by percent")
            yield from self._select(int(spec["line"]))
            yield from self._digits(int(value))
            yield self.press("disc_line")
        else:
            raise StepError('discount needs "line": n or "order": true')

    def _counter_pay(self, step: dict[str, Any]) -> Iterator[Action]:
        pay = step["pay"]
        method = str(pay.get("method", ""))
        if method not in ("cash", "card", "qris"):
            raise StepError(f"unknown payment method {method!r}; use cash, card or qris")
        if self.p.screen != "tender":
            yield self.press("pay")
        if "amount" in pay:
            yield from self._digits(int(pay["amount"]))
        before = self._tender_count()
        yield self.press(f"tender_{method}")
        if method == "qris":
            yield from self._qris_paid()
        yield self.until(
            lambda: (
                self._tender_count() > before
                or self.p.screen == "done"
                or self.p.message.level == "error"
            )
        )

    def _counter_suspend(self, _step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_sale()
        yield self.press("suspend")

    def _counter_resume(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_sale()
        yield self.press("resume")
        yield self.press(f"resume_{step['resume']}")
