"""The loyalty steps of a replay script through the real UI: ``member`` (a card or phone
typed on the keypad) and ``redeem`` (points typed on the counter's tender keypad, or on
the self-checkout's points keypad). The sale they complete earns and spends points
through the same loyalty service as ``kiosk replay``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

Action = Callable[[], bool | None]  # returns False to be called again next frame


class LoyaltyStepMixin:
    """Mixed into ``ScriptRunner`` (which provides these)."""

    p: Any

    def press(self, action: str) -> Action:
        raise NotImplementedError

    def keys(self, prefix: str, text: str) -> list[Action]:
        raise NotImplementedError

    def until(self, predicate: Callable[[], bool]) -> Action:
        raise NotImplementedError

    def later(self, plan: Callable[[], Iterator[Action]]) -> Action:
        raise NotImplementedError

    def _settle(self) -> bool:
        raise NotImplementedError

    def _shot(self, name: str) -> None:
        raise NotImplementedError

    if TYPE_CHECKING:  # script_self_checkout.py, later in the runner's bases

        def _self_checkout_paid(self) -> Iterator[Action]: ...

    def _to_sale(self) -> Iterator[Action]:
        raise NotImplementedError

    def _counter_member(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._to_sale()
        yield from self.keys("key", _digits(step["member"]))
        yield self.press("member")
        yield self.until(lambda: bool(self.p.checkout.basket.member_id))

    def _counter_redeem(self, step: dict[str, Any]) -> Iterator[Action]:
        if self.p.screen != "tender":
            yield self.press("pay")
        yield from self.keys("key", str(int(step["redeem"])))
        yield self.press("tender_points")
        yield self.until(
            lambda: (
                self._points_taken() or self.p.screen == "done" or self.p.message.level == "error"
            )
        )

    def _self_checkout_member(self, step: dict[str, Any]) -> Iterator[Action]:
        """The customer says they are a member on the way to paying (the next ``pay`` step
        goes on from the payment screen)."""
        yield self.press("pay")
        yield from self.keys("member", _digits(step["member"]))
        yield self.press("member_ok")
        yield self.until(lambda: self.p.screen == "payment")

    def _self_checkout_redeem(self, step: dict[str, Any]) -> Iterator[Action]:
        """On the payment screen a member step reached: Points, the number typed over the
        most the sale can take, confirmed. Paid in full, the receipt screen follows as
        after a ``pay`` step; otherwise a ``pay`` step pays the rest."""
        if self.p.screen != "payment":
            raise ValueError("at the self-checkout a redeem step follows a member step")
        yield self.press("pay_points")
        yield self.until(lambda: self.p.screen == "points")
        yield self.press("points_clear")
        yield from self.keys("points", str(int(step["redeem"])))
        yield self._settle
        yield lambda: self._shot("points")
        yield self.press("points_ok")
        yield self.until(
            lambda: self.p.screen in ("payment", "receipt") or self.p.message.level == "error"
        )
        yield self.later(
            lambda: self._self_checkout_paid() if self.p.screen == "receipt" else iter(())
        )

    def _points_taken(self) -> bool:
        tenders = self.p.checkout.tenders
        return tenders is not None and tenders.points_spent > 0


def _digits(value: Any) -> str:
    text = str(value)
    if not text.isdigit():
        raise ValueError("the keypad types a phone number's digits only")
    return text
