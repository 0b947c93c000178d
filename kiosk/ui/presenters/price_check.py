"""A price check for the customer at the self-checkout: a scan or a typed barcode shows
the item's name and price in the customer's language and adds nothing; Done (or a short
while with no touch) returns to where they were. Also the price's words the counter's
price check uses."""

from __future__ import annotations

from collections.abc import Callable

from kiosk.domain.catalog import LookupResult
from kiosk.domain.errors import ShownError
from kiosk.ports import DeviceError
from kiosk.services.checkout import CheckoutService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.common import Message
from kiosk.ui.presenters.keypad import Keypad
from kiosk.ui.presenters.refusals import shown_text

PRICE_CHECK_S = 15.0  # an untouched price check returns to the customer's screen


def shown_price(found: LookupResult, lang: Language) -> str:
    """What a scan costs: a price label's own price, per kg for a weighed item, else the
    shelf price."""
    product = found.product
    if found.price_override is not None:
        return lang.money(found.price_override)
    if product.sold_by_weight:
        return lang._("{price} per kg").format(price=lang.money(product.price))
    return lang.money(product.price)


class PriceCheckMixin:
    """Part of SelfCheckoutPresenter (self_checkout.py)."""

    checkout: CheckoutService
    lang: Language
    screen: str
    message: Message
    price_entry: Keypad
    price_name: str
    price_shown: str
    price_from: str
    touch: Callable[[], None]
    _go: Callable[[str], None]
    _say: Callable[..., None]
    _changed: Callable[[], None]

    @property
    def busy(self) -> bool:  # the presenter's: a payment runs or staff are needed
        raise NotImplementedError

    def open_price_check(self) -> None:
        self.touch()
        if self.busy:
            return
        self.price_from = self.screen if self.screen in ("attract", "scan") else "scan"
        self.price_entry.take()
        self.price_name = self.price_shown = ""
        self._go("price_check")
        self._say(self.lang._("Scan the item or type its barcode: nothing goes in your basket"))
        self._changed()

    def price_key(self, key: str) -> None:
        self.touch()
        if key == "enter":
            code = self.price_entry.take()
            if code:
                self.check_price(code)
                return
        else:
            self.price_entry.press(key)
        self._changed()

    def check_price(self, code: str) -> None:
        """A scan or a typed barcode on the price check: its name and price; the basket
        is left as it is."""
        self.touch()
        try:
            found = self.checkout.lookup(code)
        except (ShownError, DeviceError) as error:
            self.price_name = self.price_shown = ""
            self._say(shown_text(error, self.lang), "error")
        else:
            self.price_name = found.product.name
            self.price_shown = shown_price(found, self.lang)
            text = self.lang._("{name}: {price}")
            self._say(text.format(name=self.price_name, price=self.price_shown), "ok")
        self._changed()

    def close_price_check(self) -> None:
        if self.screen != "price_check":
            return
        self.touch()
        self.price_name = self.price_shown = ""
        self._go(self.price_from)
        self._say("", "info")
        self._changed()
