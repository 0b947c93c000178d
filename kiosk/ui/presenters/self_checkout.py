"""The customer's self-checkout flow, and the attendant who unlocks it.

attract -> scan (search, price check) -> member -> payment (points) -> paying -> receipt ->
thanks -> attract (paying and the receipt: self_checkout_payment.py; points:
self_checkout_points.py; the attendant: attendant.py; the price check: price_check.py).
Interventions and calls for help stop the flow until staff act; an idle customer is asked
"still there?" and then the basket is abandoned (journaled) and the lane returns to attract.
Scans that arrive while a payment runs or an intervention waits are held, in order, and
applied once the lane is free again: never lost, never applied twice.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable

from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.ports import Scale
from kiosk.services.checkout import CheckoutError
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import ScanOutcome, SelfCheckoutService
from kiosk.services.staff import StaffMember
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.attendant import AttendantMixin
from kiosk.ui.presenters.basket_view import BasketView, basket_view
from kiosk.ui.presenters.common import Effects, Message, identify_member, intervention_text
from kiosk.ui.presenters.keypad import Keypad, typed
from kiosk.ui.presenters.price_check import PRICE_CHECK_S, PriceCheckMixin
from kiosk.ui.presenters.qris_self_checkout import SelfCheckoutQrisMixin
from kiosk.ui.presenters.refusals import shown_text
from kiosk.ui.presenters.self_checkout_payment import SelfCheckoutPaymentMixin
from kiosk.ui.presenters.self_checkout_points import SelfCheckoutPointsMixin
from kiosk.ui.presenters.weighing import WeighingMixin

SCREENS = ("attract", "scan", "search", "price_check", "member", "payment", "points", "paying",
           "receipt", "thanks")  # fmt: skip
CUSTOMER_SCREENS = ("scan", "search", "member", "payment", "points", "receipt")


class SelfCheckoutPresenter(
    WeighingMixin, AttendantMixin, SelfCheckoutQrisMixin, SelfCheckoutPaymentMixin,
    PriceCheckMixin, SelfCheckoutPointsMixin,
):  # fmt: skip
    def __init__(
        self,
        lane: SelfCheckoutService,
        effects: Effects,
        *,
        lang: str = "id",
        idle_prompt_s: float = 45.0,
        idle_clear_s: float = 20.0,
        thanks_s: float = 6.0,
        receipt_url: str = "",  # setting receipt.url: "" offers no e-receipt
        clock: Callable[[], float] = time.monotonic,
        members: MemberService | None = None,
        scale: Scale | None = None,
        loyalty: LoyaltyService | None = None,
    ) -> None:
        self._clock = clock
        self.loyalty = loyalty
        self.scale = scale
        self.weighing: LookupResult | None = None
        self.members = members
        self.lane = lane
        self.checkout = lane.checkout
        self.staff = lane.staff
        self.effects = effects
        self.default_lang = lang
        self.lang = Language(lang)
        self.idle_prompt_s = idle_prompt_s
        self.idle_clear_s = idle_clear_s
        self.thanks_s = thanks_s
        self.receipt_url = receipt_url
        self.screen = "attract"
        self.message = Message()
        self.basket: BasketView = basket_view(self.checkout.priced(), self.lang)
        self.still_there = False
        self.attendant: StaffMember | None = None
        self.attendant_prompt = False
        self.pin = Keypad(8, masked=True)
        self.member_entry = Keypad(15)
        self.price_entry = Keypad(14)
        self.price_name = self.price_shown = ""
        self.price_from = "scan"
        self.points_entry = Keypad(7)
        self._offer_seen: tuple[str, str, int, int] | None = None
        self._offer = (0, 0)
        self.search_text = ""
        self.category = ""
        self.paying_method = ""
        self.qr_payload = ""
        self.last_sale: CompletedSale | None = None
        self.held: deque[str] = deque()
        self.listeners: list[Callable[[], None]] = []
        self._last_activity = clock()
        self._entered_at = self._last_activity

    # -- plumbing ---------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self.screen == "paying" or self.lane.pending is not None

    @property
    def intervention_text(self) -> str:
        pending = self.lane.pending
        if pending is None:
            return ""
        return intervention_text(pending, self.lang, staff_view=self.attendant is not None)

    def _go(self, screen: str) -> None:
        self.screen = screen
        self._entered_at = self._clock()
        self.still_there = False

    def _say(self, text: str, level: str = "info") -> None:
        self.message = Message(text, level)

    def _changed(self) -> None:
        self.basket = basket_view(self.checkout.priced(), self.lang)
        for listener in list(self.listeners):
            listener()

    def touch(self) -> None:
        """Any touch or scan counts as the customer still being there."""
        self._last_activity = self._clock()
        if self.still_there:
            self.still_there = False
            self._changed()

    # -- attract, language --------------------------------------------------------------
    def start(self, lang: str | None = None) -> None:
        if lang:
            self.lang.set(lang)
        if self.lane_closed:
            self._say(self.closed_text(), "attention")
            self._changed()
            return
        self._go("scan")
        self._say(self.lang._("Scan your first item"), "ok")
        self.touch()
        self._changed()

    def basket_restored(self) -> None:
        """The customer's basket, left open when the till last stopped, is back."""
        self._go("scan")
        self._say(self.lang._("The open sale was restored"), "attention")
        self.touch()
        self._changed()

    def set_language(self, lang: str) -> None:
        self.lang.set(lang)
        self._changed()

    # -- scanning -----------------------------------------------------------------------
    def scan(self, code: str) -> None:
        self.touch()
        if self.staff.by_badge(code) is not None:
            self._badge(code)  # attendant.py: a supervisor's badge asks for the PIN
            return
        if self.busy:
            self.held.append(code)
            self._say(self.lang._("Scan saved; it will be added in a moment"), "attention")
            self._changed()
            return
        if self.screen == "member":
            self._identify(code)
            return
        if self.screen == "price_check":
            self.check_price(code)  # price_check.py: nothing goes in the basket
            return
        if self.lane_closed and self.screen in ("attract", "thanks"):
            self._say(self.closed_text(), "attention")
            self._changed()
            return
        if self.screen in ("attract", "thanks", "search", "receipt"):
            if self.screen in ("thanks", "receipt") and self.last_sale is not None:
                self.last_sale = None  # the next customer: the last one's QR goes too
                self.qr_payload = ""
            self._go("scan")
        self.weighing = None  # a new scan replaces an item left unweighed
        self._apply(self.lane.scan(code))

    def pick(self, sku: str, qty: int = 1) -> None:
        """An item without a barcode, chosen from the picture grid or the search."""
        self.touch()
        if self.busy:
            self._say(self.lang._("Please wait for staff"), "attention")
            self._changed()
            return
        self._go("scan")
        self._apply(self.lane.add_sku(sku, qty))

    def _add_weighed(self, found: LookupResult, grams: int) -> int | None:
        outcome = self.lane.add_weighed(found, grams)
        if outcome.added is not None:
            return outcome.added.line.gross
        self._apply(outcome)
        return None

    def _apply(self, outcome: ScanOutcome) -> None:
        if outcome.weigh is not None:
            self.ask_weight(outcome.weigh)
            return
        if outcome.added is not None:
            name = outcome.added.product.name
            self._say(self.lang._("Added: {name}").format(name=name), "ok")
        elif outcome.misread:
            self._say(self.lang._("Could not read that barcode. Please scan again."), "error")
        elif outcome.intervention is not None:
            self._say(self.intervention_text, "attention")
        self._changed()

    def set_qty(self, line_no: int, qty: int) -> None:
        self.touch()
        try:
            self.lane.set_qty(line_no, qty)
        except ShownError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            if self.lane.pending is not None:
                self._say(self.intervention_text, "attention")
        self._changed()

    def request_void(self, line_no: int) -> None:
        self.touch()
        try:
            self.lane.request_void(line_no)
        except CheckoutError as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self._say(self.intervention_text, "attention")
        self._changed()

    def call_help(self) -> None:
        self.touch()
        self.lane.call_help()
        self._say(self.intervention_text, "attention")
        self._changed()

    # -- search (items without a barcode) -----------------------------------------------
    def open_search(self) -> None:
        self.touch()
        self.search_text = ""
        self.category = ""
        self._go("search")
        self._changed()

    def search_key(self, key: str) -> None:
        self.touch()
        self.search_text = typed(self.search_text, key)
        self._changed()

    def choose_category(self, category: str) -> None:
        self.touch()
        self.category = category
        self.search_text = ""
        self._changed()

    def search_results(self, limit: int = 12) -> list[tuple[str, str, str]]:
        catalog = self.checkout.catalog
        if self.search_text.strip():
            found = catalog.search(self.search_text, limit)
        else:
            found = [
                p
                for p in catalog
                if p.active and (not self.category or p.category == self.category)
            ][:limit]
        return [(p.sku, p.name, self.lang.money(p.price)) for p in found if p.active]

    def back_to_scan(self) -> None:
        self.touch()
        if self.screen == "payment" and self.checkout.tenders is not None:
            try:
                self.checkout.cancel_payment()  # points tendered go back to the member
            except CheckoutError as error:
                self._say(shown_text(error, self.lang), "error")
                self._changed()
                return
        self._go("scan")
        self._changed()

    # -- member, payment ----------------------------------------------------------------
    def go_pay(self) -> None:
        self.touch()
        if self.busy:
            return
        if not self.basket.rows:
            self._say(self.lang._("Scan an item first"), "attention")
        else:
            self.member_entry.take()
            self._go("member")
            self._say(self.lang._("Scan your member card or type your phone number"), "info")
        self._changed()

    def member_key(self, key: str) -> None:
        self.touch()
        self.member_entry.press(key)
        self._changed()

    def member_done(self, skip: bool = False) -> None:
        self.touch()
        phone = self.member_entry.take()
        if not skip:
            self._identify(phone)
            return
        self._go("payment")
        self._say(self.lang._("How would you like to pay?"), "info")
        self._changed()

    def _identify(self, card_or_phone: str) -> None:
        """A scanned member card or a typed phone: welcome the member, or stay and say why."""
        member = identify_member(self.members, card_or_phone)
        if member is None:
            self._say(self.lang._("We could not find that member. Try again or skip."), "error")
        else:
            self.checkout.set_member(member.member_id)
            self._go("payment")
            self._say(self.lang._("Welcome, {name}!").format(name=member.name), "ok")
        self._changed()

    # -- time -------------------------------------------------------------------------
    def tick(self) -> None:
        """Called about once a second: the thank-you timeout and the idle customer."""
        now = self._clock()
        if self.screen == "price_check":
            if now - self._last_activity >= PRICE_CHECK_S:
                self.close_price_check()
            return
        if self.screen == "thanks":
            # The e-receipt QR stays until the customer leaves: Done, the next customer's
            # first scan, or nobody touching the lane for the idle time.
            if self.qr_payload:
                if now - self._last_activity >= self.idle_prompt_s:
                    self._to_attract()
            elif now - self._entered_at >= self.thanks_s:
                self._to_attract()
            return
        if self.busy or self.attendant is not None:
            self._last_activity = now  # staff or a payment have the lane: no idle prompt
            return
        if self.screen not in CUSTOMER_SCREENS:
            return
        idle = now - self._last_activity
        if self.screen == "receipt" and idle >= self.idle_prompt_s:
            self._to_attract()  # paid and walked off: nothing to ask
        elif idle >= self.idle_prompt_s + self.idle_clear_s:
            self.lane.abandon("inactivity")
            self._to_attract()
        elif idle >= self.idle_prompt_s and not self.still_there:
            self.still_there = True
            self._changed()

    def finish_thanks(self) -> None:
        if self.screen == "thanks":
            self._to_attract()

    def _to_attract(self) -> None:
        self.last_sale = None
        self.qr_payload = ""
        self.lang.set(self.default_lang)
        self._go("attract")
        self._say("", "info")
        self._changed()
