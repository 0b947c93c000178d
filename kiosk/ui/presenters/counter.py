"""The staffed counter till: PIN login, sale, tender with change, no-sale, reports.

Screens: login -> sale <-> tender -> done (change in large type) -> sale; reports.
Role checks are the staff service's; every business rule is the checkout's."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.contract.orders import PICKUP_PREFIX
from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.ports import DeviceError, Scale
from kiosk.services.books import Books
from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.reporting import TillReport
from kiosk.services.shop_desk import ShopDesk
from kiosk.services.staff import StaffError, StaffMember, StaffService
from kiosk.services.weighing import needs_weight
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.basket_view import BasketView, basket_view
from kiosk.ui.presenters.cancel_sale import CancelSaleMixin
from kiosk.ui.presenters.common import Effects, Message, badge_sign_in, identify_member
from kiosk.ui.presenters.counter_books import CounterBooks, ReportPrinter
from kiosk.ui.presenters.counter_desk import CounterDeskMixin
from kiosk.ui.presenters.counter_office import CounterOfficeMixin
from kiosk.ui.presenters.counter_orders import CounterOrders
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.quick_keys import default_quick_keys
from kiosk.ui.presenters.refusals import shown_text
from kiosk.ui.presenters.tender import CounterTenderMixin
from kiosk.ui.presenters.weighing import WeighingMixin

_ERRORS = (ShownError, DeviceError)  # refusals (worded by their code), device failures


class CounterPresenter(
    WeighingMixin, CounterTenderMixin, CounterOfficeMixin, CounterDeskMixin, CancelSaleMixin
):
    def __init__(
        self,
        checkout: CheckoutService,
        staff: StaffService,
        effects: Effects,
        *,
        lang: str = "id",
        quick_keys: list[str] | None = None,
        reports: Callable[[], TillReport] | None = None,
        members: MemberService | None = None,
        scale: Scale | None = None,
        loyalty: LoyaltyService | None = None,
        books: Books | None = None,
        desk: ShopDesk | None = None,
        print_report: ReportPrinter | None = None,
    ) -> None:
        self.desk, self.price_checking = desk, False
        self.members = members
        self.books = books
        self.loyalty = loyalty
        self.scale = scale
        self.weighing: LookupResult | None = None
        self.reports = reports
        self.report: TillReport | None = None
        self.checkout = checkout
        self.staff = staff
        self.effects = effects
        self.lang = Language(lang)
        self.screen = "login"
        self.message = Message()
        self.till_warning = ""  # the till's own warnings (disk, clock) in words; app sets it
        self.cashier: StaffMember | None = None
        self.pin = Keypad(8, masked=True)
        self.badge_pending = ""  # a supervisor's or manager's badge: their PIN comes next
        self.entry = Keypad(12)
        self.selected: int | None = None
        self.search_text = ""
        self.overlay = ""  # "", "no_sale", "resume", "search", "cancel" or "supervisor"
        self.tab = "keypad"
        self.last_sale: CompletedSale | None = None
        self.held: deque[str] = deque()
        self.listeners: list[Callable[[], None]] = []
        self.quick_keys = default_quick_keys(checkout.catalog) if quick_keys is None else quick_keys
        self.basket: BasketView = basket_view(checkout.priced(), self.lang)
        # Shift, count, X/Z and refunds for staff (kiosk.ui.presenters.counter_books).
        self.books_desk = (
            None if books is None else
            CounterBooks(self, books, print_report or self._no_printer, checkout.config.device_id)
        )  # fmt: skip
        self.orders_desk: CounterOrders | None = None  # the online-orders queue (faces sets it)

    # -- plumbing ---------------------------------------------------------------------
    def _changed(self) -> None:
        self.basket = basket_view(self.checkout.priced(), self.lang)
        for listener in list(self.listeners):
            listener()

    def _say(self, text: str, level: str = "info") -> None:
        self.message = Message(text, level)

    def _run(self, action: Callable[[], Any], ok: str = "") -> bool:
        try:
            action()
        except _ERRORS as error:
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return False
        if ok:
            self._say(ok, "ok")
        self._changed()
        return True

    @property
    def busy(self) -> bool:
        tenders = self.checkout.tenders  # (or a QR is up: scans wait until it is done)
        return self.qris.active or (self.screen == "tender" and bool(tenders and tenders.records()))

    # -- login ----------------------------------------------------------------------------
    def pin_key(self, key: str) -> None:
        if key == "enter":
            badge, self.badge_pending = self.badge_pending, ""
            pin = self.pin.take()
            try:
                member = self.staff.login_badge(badge, pin) if badge else self.staff.login_pin(pin)
            except StaffError as error:
                self._say(shown_text(error, self.lang), "error")
                self._changed()
                return
            self._login(member)
            return
        self.pin.press(key)
        self._changed()

    def _login(self, member: StaffMember) -> None:
        self.cashier = member
        self.checkout.cashier = member.staff_id
        self.screen = "sale"
        self._say(self.lang._("Signed in: {name}").format(name=member.name), "ok")
        self._changed()

    def basket_restored(self) -> None:
        """The sale left open when the till last stopped is back in the basket."""
        self._say(self.lang._("The open sale was restored"), "attention")
        self._changed()

    def _badge(self, code: str) -> None:
        read = badge_sign_in(self.staff, code, self.lang)
        if isinstance(read, Message):
            self.badge_pending = code if read.level == "attention" else ""
            self.pin.take()
            self._say(read.text, read.level)
            self._changed()
            return
        self._login(read)

    def logout(self) -> None:
        if not self.checkout.basket.is_empty:
            self._say(self.lang._("Finish or suspend the sale before signing out"), "attention")
        else:
            self.cashier = None
            self.checkout.cashier = ""
            self.screen = "login"
            self._say("", "info")
        self._changed()

    # -- selling ----------------------------------------------------------------------------
    def _no_printer(self, _kind: str, _figures: dict[str, Any]) -> str:
        return self.lang._("no printer")

    def open_books(self) -> None:
        if self.books_desk is None:
            self._say(self.lang._("The books are not available on this till"), "error")
            self._changed()
            return
        self.books_desk.open()

    def scan(self, code: str) -> None:
        if self.screen == "books" and self.books_desk is not None:
            if self.books_desk.scan(code):  # a receipt to refund
                return
            self.books_desk.leave()  # an item: back to selling
        if self.overlay == "supervisor" and self.supervisor_badge(code):
            return  # a supervisor's badge on the approval pad: their PIN follows
        if self.screen == "login":
            if self.staff.by_badge(code) is not None:
                self._badge(code)
            else:
                self._say(self.lang._("Sign in first"), "attention")
                self._changed()
            return
        if self.screen in ("tender", "reports") or self.busy:
            self.held.append(code)  # applied when the till is back on the sale screen
            self._say(self.lang._("Scan saved for the next sale"), "attention")
            self._changed()
            return
        if self.orders_desk is not None and code.startswith(PICKUP_PREFIX):
            return self.orders_desk.collect(code)  # a customer's pickup QR
        if self.price_checking:  # for a customer: nothing goes on the sale
            self.price_check(code)
            return
        if self.screen == "done":
            self.new_sale()
        self.weighing = None  # a new scan replaces an item left unweighed
        try:
            found = self.checkout.lookup(code)
        except _ERRORS as error:
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        self._add_found(found)

    def _add_found(self, found: LookupResult, qty: int = 1) -> None:
        if needs_weight(found):
            self.ask_weight(found)
        else:
            self._add(lambda: self.checkout.add(found, qty))

    def _add_weighed(self, found: LookupResult, grams: int) -> int | None:
        return self.checkout.add_weighed(found, grams).line.gross

    def _add(self, action: Callable[[], Any]) -> None:
        try:
            result = action()
        except _ERRORS as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self.selected = None
            product = result.product
            note = self.lang._("Check ID: {age}+").format(age=product.age_restricted)
            if product.age_restricted:
                self._say(f"{product.name}: {note}", "attention")
            else:
                self._say(product.name, "ok")
        self._changed()

    def quick_key(self, sku: str) -> None:
        product = self.checkout.catalog.by_sku(sku)
        qty = self.entry.value() or 1
        self.entry.take()
        if product is None:
            self._add(lambda: self.checkout.add_sku(sku, qty))  # refused with its reason
        else:
            self._add_found(LookupResult(product, ""), qty)

    def show_tab(self, tab: str) -> None:
        self.tab = tab
        self._changed()

    def select(self, line_no: int) -> None:
        self.selected = None if self.selected == line_no else line_no
        self._changed()

    def key(self, key: str) -> None:
        self.entry.press(key)
        self._changed()

    def _target_line(self) -> int:
        if self.selected is not None:
            return self.selected
        if not self.basket.rows:
            raise CheckoutError.of("checkout.scan_first")
        return self.basket.last_line_no

    def set_qty(self) -> None:
        qty = self.entry.value()
        if qty is None:
            self._say(self.lang._("Type the quantity first"), "attention")
            self._changed()
            return
        self.entry.take()  # cleared before the screen shows the result, refused or not
        self._run(lambda: self.checkout.set_qty(self._target_line(), qty))

    def void(self) -> None:
        def act() -> None:
            member = StaffService.require(self.cashier, "void")
            self.checkout.void_line(self._target_line(), staff=member.staff_id)
            self.selected = None

        self._run(act, self.lang._("Line voided"))

    def discount(self, *, order: bool = False, by_amount: bool = False) -> None:
        value = self.entry.take()
        shown = self.lang.money(int(value or 0)) if by_amount else f"{value}%"

        def run(member: StaffMember | None) -> None:
            self._discount(value, member, order=order, by_amount=by_amount)

        if not value:  # nothing typed: said before anyone is asked to approve
            run(self.cashier)
        else:
            self.with_approval("discount", self.lang._("Discount {discount}").format(
                discount=shown), run)  # fmt: skip

    def _discount(
        self, value: str, member: StaffMember | None, *, order: bool, by_amount: bool
    ) -> None:
        def act() -> None:
            if not value:
                raise CheckoutError.of("checkout.type_discount")
            StaffService.require(member, "discount")
            percent, amount = (None, int(value)) if by_amount else (value, None)
            if order:
                self.checkout.discount_order(percent=percent, amount=amount)
            else:
                self.checkout.discount_line(self._target_line(), percent=percent, amount=amount)

        shown = self.lang.money(int(value or 0)) if by_amount else f"{value}%"
        self._run(act, self.lang._("Discount {discount} applied").format(discount=shown))

    def override_price(self) -> None:
        value = self.entry.take()
        note = self.lang._("New price {price}").format(price=self.lang.money(int(value or 0)))
        if not value:  # nothing typed: said before anyone is asked to approve
            self._new_price(value, self.cashier)
        else:
            self.with_approval("price_override", note, lambda m: self._new_price(value, m))

    def _new_price(self, value: str, member: StaffMember | None) -> None:
        def act() -> None:
            if not value:
                raise CheckoutError.of("checkout.type_price")
            member_ = StaffService.require(member, "price_override")
            self.checkout.override_price(self._target_line(), int(value), staff=member_.staff_id)

        shown = self.lang.money(int(value or 0))
        self._run(act, self.lang._("Price changed to {price}").format(price=shown))

    def set_member(self) -> None:
        number = self.entry.take()
        if not number:
            self._say(self.lang._("Type the member's phone number first"), "attention")
            self._changed()
            return
        member = identify_member(self.members, number)
        if member is None:
            self._say(self.lang._("No member with that phone number"), "error")
        else:
            self.checkout.set_member(member.member_id)
            self._say(self.lang._("Member: {name}").format(name=member.name), "ok")
        self._changed()

    def suspend(self) -> None:
        def act() -> None:
            StaffService.require(self.cashier, "suspend")
            basket_id = self.checkout.suspend(self.basket.total_text)
            self._say(self.lang._("Sale parked: {ref}").format(ref=basket_id[:8]), "ok")

        self._run(act)

    def suspended(self) -> list[dict[str, str]]:
        return self.checkout.ledger.list_suspended()

    def parked_label(self, parked: dict[str, str]) -> str:
        """A parked sale as the cashier reads it: its label (the total) and the time in
        the shop's time zone; never its internal id."""
        stamp = datetime.fromisoformat(parked["created_at"].replace("Z", "+00:00"))
        local = stamp.astimezone(ZoneInfo(self.checkout.config.timezone))
        return f"{parked['label'] or self.lang._('Parked sale')} · {local:%H:%M}"

    def resume(self, basket_id: str) -> None:
        self.overlay = ""
        self._run(lambda: self.checkout.resume(basket_id), self.lang._("Sale resumed"))

    # -- no sale --------------------------------------------------------------------
    def open_no_sale(self) -> None:
        self.overlay = "no_sale"
        self._changed()

    def open_resume(self) -> None:
        self.overlay = "resume"
        self._changed()

    def open_search(self) -> None:
        self.overlay = "search"
        self.search_text = ""
        self._changed()

    def close_overlay(self) -> None:
        self.overlay = ""
        self._changed()

    def _release_held(self) -> None:
        while self.held and self.screen == "sale":
            self.scan(self.held.popleft())
