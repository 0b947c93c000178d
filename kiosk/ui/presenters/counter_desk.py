"""The counter's desk jobs beside the sale: the product search (with the stock on hand),
a price check for a customer (a scan that adds nothing), and a receipt printed again from
the ledger, marked as a copy."""

from __future__ import annotations

from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError
from kiosk.services.checkout import CheckoutService
from kiosk.services.shop_desk import ShopDesk
from kiosk.services.staff import StaffMember
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Effects
from kiosk.ui.presenters.keypad import Keypad, typed
from kiosk.ui.presenters.price_check import shown_price
from kiosk.ui.presenters.refusals import shown_text


class CounterDeskMixin:
    """Mixed into ``CounterPresenter``, which provides what is declared here."""

    checkout: CheckoutService
    effects: Effects
    lang: Language
    entry: Keypad
    cashier: StaffMember | None
    desk: ShopDesk | None
    price_checking: bool
    search_text: str
    overlay: str

    def _say(self, text: str, level: str = "info") -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        raise NotImplementedError

    def quick_key(self, sku: str) -> None:
        raise NotImplementedError

    # -- the product search -----------------------------------------------------------
    def search_key(self, key: str) -> None:
        self.search_text = typed(self.search_text, key)
        self._changed()

    def search_results(self, limit: int = 8) -> list[tuple[str, str, str]]:
        """(sku, name, price and stock) of the items matching what was typed."""
        found = self.checkout.catalog.search(self.search_text, limit)
        return [(p.sku, p.name, self._price_and_stock(p.sku, p.price)) for p in found if p.active]

    def pick(self, sku: str) -> None:
        """A search result chosen: added with the keypad quantity, search closed."""
        self.overlay = ""
        self.quick_key(sku)

    def _price_and_stock(self, sku: str, price: int, shown: str = "") -> str:
        text = shown or self.lang.money(price)
        level = self.desk.stock_level(sku) if self.desk is not None else None
        if level is None:
            return text
        return f"{text} · " + self.lang._("stock {count}").format(count=level)

    # -- price check --------------------------------------------------------------------
    def toggle_price_check(self) -> None:
        self.price_checking = not self.price_checking
        if self.price_checking:
            self._say(self.lang._("Price check: scan the item (nothing is added)"), "attention")
        else:
            self._say("", "info")
        self._changed()

    def price_check(self, code: str) -> None:
        """What the scanned item costs (per kg when weighed) and how many are in stock;
        the basket is left as it is and the mode ends."""
        self.price_checking = False
        try:
            found = self.checkout.lookup(code)
        except (ShownError, DeviceError) as error:
            self._say(shown_text(error, self.lang), "error")
        else:
            self._say(self.price_text(found), "ok")
        self._changed()

    def price_text(self, found: LookupResult) -> str:
        product = found.product
        price = self._price_and_stock(product.sku, 0, shown_price(found, self.lang))
        return self.lang._("{name}: {price}").format(name=product.name, price=price)

    # -- reprint ------------------------------------------------------------------------
    def reprint(self) -> None:
        """The receipt whose number was typed (the till's last one when none was) printed
        again, marked as a copy."""
        number = self.entry.value()
        self.entry.take()
        try:
            if self.desk is None:
                raise ShownError.of("receipt.none")
            sale = self.desk.reprint(self.cashier, number)
        except (ShownError, DeviceError) as error:
            self._say(shown_text(error, self.lang), "error")
            self._changed()
            return
        problem = self.effects.print_receipt(sale, reprint=True)
        if problem:
            self._say(self.lang._("Printer problem: {problem}").format(problem=problem), "error")
        else:
            text = self.lang._("Copy of receipt {number} printed")
            self._say(text.format(number=sale.receipt_no), "ok")
        self._changed()
