"""The customer's price check at the self-checkout, over real services (no Kivy; the
screen is tested under Xvfb in tests/ui/test_price_check_ui.py): a scan or a typed
barcode says the name and price in the customer's language and adds nothing; Done, or
the lane left untouched, returns to where the customer was."""

from __future__ import annotations

from kiosk.services.self_checkout import SelfCheckoutService
from kiosk.storage.ledger import SqliteLedger
from kiosk.ui.presenters.price_check import PRICE_CHECK_S
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from tests.unit.pieces import Effects
from tests.unit.ui.test_self_checkout_presenter import at, code, make


def shopping(lane: SelfCheckoutService, effects: Effects, lang: str) -> SelfCheckoutPresenter:
    """A customer in ``lang`` with one tea in the basket."""
    p = make(lane, effects)
    p.start(lang)
    p.scan(code(p, "TEH"))
    return p


def test_a_scan_on_the_price_check_says_the_price_and_adds_nothing(
    lane: SelfCheckoutService, effects: Effects, ledger: SqliteLedger
) -> None:
    p = shopping(lane, effects, "id")
    p.open_price_check()
    assert p.screen == "price_check" and p.message.text.startswith("Pindai barangnya")
    p.scan(code(p, "MIE"))
    assert p.basket.item_count == 1 and len(p.checkout.basket.lines) == 1
    assert (p.price_name, p.price_shown) == ("Indomie Goreng", "Rp3.500")
    assert (p.message.text, p.message.level) == ("Indomie Goreng: Rp3.500", "ok")
    p.close_price_check()
    assert p.screen == "scan" and p.basket.item_count == 1 and p.message.text == ""
    assert ledger.sale_count() == 0


def test_a_typed_code_in_english_and_an_unknown_one(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = make(lane, effects)
    p.set_language("en")
    p.open_price_check()  # from the attract screen, before shopping
    for key in "12345":
        p.price_key(key)
    p.price_key("back")
    p.price_key("enter")
    assert p.message.level == "error" and "1234" in p.message.text
    assert p.price_shown == "" and p.screen == "price_check"
    for key in code(p, "TEH"):
        p.price_key(key)
    assert p.price_entry.text == code(p, "TEH")
    p.price_key("enter")
    assert p.message.text.endswith(": Rp" + p.price_shown.removeprefix("Rp"))
    assert p.price_entry.text == "" and p.checkout.basket.is_empty
    p.close_price_check()
    assert p.screen == "attract"


def test_a_price_check_left_alone_returns_to_the_basket(
    lane: SelfCheckoutService, effects: Effects
) -> None:
    p = shopping(lane, effects, "en")
    at(p, 1.0)
    p.open_price_check()
    at(p, PRICE_CHECK_S - 1)
    assert p.screen == "price_check"
    at(p, PRICE_CHECK_S + 2)
    assert p.screen == "scan" and p.basket.item_count == 1
