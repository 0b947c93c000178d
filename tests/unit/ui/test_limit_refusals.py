"""The till's limits on the counter screen: a typed price or cash beyond them is refused
in the screen's language, and the basket stays as it was."""

from __future__ import annotations

from kiosk.domain.error_codes import ERROR_TEXTS
from kiosk.services.checkout import LIMIT_CODES, CheckoutService
from kiosk.services.staff import StaffService
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects


def test_the_screen_knows_every_limit_text() -> None:
    assert len(set(LIMIT_CODES)) == 4 and set(LIMIT_CODES) <= set(ERROR_TEXTS)


def sign_in_and_scan(p: CounterPresenter, pin: str) -> None:
    for key in (*pin, "enter"):
        p.pin_key(key)
    product = p.checkout.catalog.by_sku("TEH")
    assert product is not None
    p.scan(product.barcodes[0])


def test_a_typed_price_over_the_limit_is_refused_in_indonesian(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> None:
    p = CounterPresenter(checkout, staff, effects, lang="id")
    sign_in_and_scan(p, "2222")  # a supervisor may override prices
    for key in "100000001":
        p.key(key)
    p.override_price()
    assert p.message.level == "error"
    assert p.message.text == "Harga melebihi batas kasir ini sebesar Rp100.000.000"
    assert p.basket.total == 5000


def test_cash_over_the_limit_is_refused_in_english(
    checkout: CheckoutService, staff: StaffService, effects: Effects
) -> None:
    p = CounterPresenter(checkout, staff, effects, lang="en")
    sign_in_and_scan(p, "1111")
    p.pay()
    p.tender_cash(100_000_001)
    assert p.message.text == "Cash given is above this till's limit of Rp100,000,000"
    assert p.screen == "tender" and checkout.tenders is not None
    assert checkout.tenders.records() == ()
    p.tender_cash(100_000_000)
    assert p.screen == "done" and p.last_sale is not None
    assert p.last_sale.change == 100_000_000 - 5000
