"""Points at the self-checkout: a customer who said they are a member sees their points
on the payment screen and pays part or all of the basket with them, through the same
loyalty service as the counter's Points tender (its cap per sale, what the member may
spend offline). The rest is paid as usual; a sale paid in full with points completes at
once. Points tendered are booked only with the sale: going back to the basket gives them
back, and a card or QRIS that fails afterwards leaves them on the sale."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kiosk.domain.errors import ShownError
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refusals import shown_text


class SelfCheckoutPointsMixin:
    """Mixed into ``SelfCheckoutPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    lang: Language
    loyalty: LoyaltyService | None
    points_entry: Keypad
    _offer_seen: tuple[str, str, int, int] | None
    _offer: tuple[int, int]

    if TYPE_CHECKING:

        def _go(self, screen: str) -> None: ...
        def _say(self, text: str, level: str = "info") -> None: ...
        def _changed(self) -> None: ...
        def _finish(self) -> None: ...
        def touch(self) -> None: ...

    @property
    def points_offer(self) -> tuple[int, int]:
        """(the member's points, the most this sale can still take); (0, 0) without a
        member. Asked again only for another basket, member, points taken or total."""
        member_id = self.checkout.basket.member_id
        if self.loyalty is None or not member_id:
            return 0, 0
        tenders = self.checkout.tenders
        taken = tenders.points_spent if tenders is not None else 0
        seen = (self.checkout.basket.basket_id, member_id, taken, self.checkout.priced().total)
        if seen != self._offer_seen:
            self._offer_seen, self._offer = seen, self.loyalty.offer(self.checkout)
        return self._offer

    @property
    def points_text(self) -> str:
        """The member's points as the payment screen says them ("" without a member)."""
        if self.loyalty is None or not self.checkout.basket.member_id:
            return ""
        left, most = self.points_offer
        worth = self.lang.money(left * self.loyalty.rules.point_value)
        text = self.lang._("Your points: {points} (worth {value})").format(points=left, value=worth)
        if most:
            value = self.lang.money(most * self.loyalty.rules.point_value)
            more = self.lang._("Up to {points} points ({value}) on this purchase")
            return f"{text}\n{more.format(points=most, value=value)}"
        return f"{text}\n{self.lang._('No points can be used on this purchase')}"

    @property
    def due(self) -> int:
        """What is still to pay (the basket's total until something was tendered)."""
        tenders = self.checkout.tenders
        return tenders.remaining if tenders is not None else self.checkout.priced().total

    @property
    def due_text(self) -> str:
        return self.lang.money(self.due)

    def open_points(self) -> None:
        """The points keypad, holding the most this sale can take (the customer may type
        fewer)."""
        self.touch()
        most = self.points_offer[1]
        if not most:
            self._say(self.lang._("No points can be used on this purchase"), "attention")
        else:
            self.points_entry.take()
            for digit in str(most):
                self.points_entry.press(digit)
            self._go("points")
            text = self.lang._("How many points? Up to {points}").format(points=most)
            self._say(text, "info")
        self._changed()

    def points_key(self, key: str) -> None:
        self.touch()
        self.points_entry.press(key)
        self._changed()

    def use_points(self) -> None:
        self.touch()
        wanted = self.points_entry.value()
        loyalty = self.loyalty
        if not wanted or loyalty is None:
            self._say(self.lang._("Type the number of points first"), "attention")
            self._changed()
            return
        try:
            record = loyalty.redeem(self.checkout, wanted)
        except ShownError as error:  # more than they have or than the cap: said, nothing taken
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        self.points_entry.take()
        tenders = self.checkout.tenders
        if tenders is not None and tenders.is_complete:
            self._finish()  # paid in full with points
            return
        self._go("payment")
        text = self.lang._("{points} points paid {value}. Still to pay: {due}")
        shown = text.format(points=wanted, value=self.lang.money(record.amount), due=self.due_text)
        self._say(shown, "ok")
        self._changed()

    def points_back(self) -> None:
        self.touch()
        self.points_entry.take()
        self._go("payment")
        self._say(self.lang._("How would you like to pay?"), "info")
        self._changed()
