"""The books steps of a replay script through the real counter UI: ``shift_open``
(the float counted note by note on the denomination counter), ``shift_close`` (the blind
count the same way), ``z_close`` and ``refund`` (the receipt's barcode scanned, the lines
tapped). The desk does what ``kiosk replay`` does, through the same services."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from kiosk.ui.presenters.counter_books import CASH_REASONS, COUNTED

Action = Callable[[], bool | None]  # returns False to be called again next frame


def pieces(amount: int) -> dict[int, int]:
    """Notes and coins for ``amount`` (largest first); a remainder below Rp100 cannot be
    counted in rupiah notes and coins."""
    if amount % 100:
        raise ValueError("a drawer count is in notes and coins: a multiple of Rp100")
    out = {}
    for denomination in COUNTED:
        out[denomination], amount = divmod(amount, denomination)
    return {d: n for d, n in out.items() if n}


class BooksStepMixin:
    """Mixed into ``ScriptRunner`` (which provides these)."""

    p: Any

    def press(self, action: str) -> Action:
        raise NotImplementedError

    def keys(self, prefix: str, text: str) -> list[Action]:
        raise NotImplementedError

    def until(self, predicate: Callable[[], bool]) -> Action:
        raise NotImplementedError

    def scan(self, code: str) -> list[Action]:
        raise NotImplementedError

    def _to_desk(self) -> Iterator[Action]:
        if self.p.screen == "done":
            yield self.press("new_sale")
        # Planned before any of it runs: the conditions read the screen as the step began.
        if self.p.screen == "books" and self.p.books_desk.view != "menu":
            yield self.press("desk_close")  # a view's result (a refund's): back to selling
            yield self.until(lambda: self.p.screen == "sale")
        if self.p.screen != "books" or self.p.books_desk.view != "menu":
            yield self.press("books")
            yield self.until(lambda: self.p.screen == "books")

    def _count(self, amount: int, start: str) -> Iterator[Action]:
        yield from self._to_desk()
        yield self.press(start)
        yield self.until(lambda: self.p.books_desk.view in ("float", "count"))
        for denomination, number in pieces(amount).items():
            yield self.press(f"denom_{denomination}")
            yield from self.keys("desk", str(number))
        yield self.press("desk_ok")

    def _counter_shift_open(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._count(int(step["shift_open"]["float"]), "desk_float")
        yield self.until(
            lambda: self.p.books_desk.view == "menu" or self.p.message.level == "error"
        )

    def _counter_shift_close(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._count(int(step["shift_close"]["counted"]), "desk_count")
        yield self.until(
            lambda: self.p.books_desk.view == "closed" or self.p.message.level == "error"
        )

    def _counter_cash_in(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._cash("in", step["cash_in"])

    def _counter_cash_out(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._cash("out", step["cash_out"])

    def _cash(self, direction: str, spec: dict[str, Any]) -> Iterator[Action]:
        """The amount typed, the reason tapped (one of the screen's; "Other" for any
        other text), then Cash in or Cash out."""
        reason = str(spec.get("reason", ""))
        index = CASH_REASONS.index(reason) if reason in CASH_REASONS else len(CASH_REASONS) - 1
        yield from self._to_desk()
        yield self.press("desk_cash")
        yield from self.keys("desk", str(int(spec["amount"])))
        yield self.press(f"cash_reason_{index}")
        yield self.press(f"desk_cash_{direction}")
        yield self.until(
            lambda: self.p.books_desk.view == "menu" or self.p.message.level == "error"
        )

    def _counter_z_close(self, _step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_desk()
        yield self.press("desk_z")

    def _counter_x(self, _step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_desk()
        yield self.press("desk_x")

    def _counter_refund(self, step: dict[str, Any]) -> Iterator[Action]:
        spec = step["refund"]
        yield from self._to_desk()
        yield self.press("desk_refund")
        device = self.p.checkout.config.device_id
        yield from self.scan(f"{device}-{int(spec['receipt_no']):06d}")
        yield self.until(
            lambda: self.p.books_desk.sale is not None or self.p.message.level == "error"
        )
        for line_no, qty in spec["lines"]:
            for _ in range(int(qty)):
                yield self.press(f"refund_line_{int(line_no)}")
        if spec.get("restock", True) is False:
            yield self.press("desk_restock")
        yield self.press("desk_ok")
        yield self.until(
            lambda: self.p.books_desk.view == "refunded" or self.p.message.level == "error"
        )
