"""Suspend/resume keeps every detail of a basket, old documents get the defaults, and
refusals say what to do (written for the mutants of kiosk.domain.basket that survived
`make mutation`)."""

from __future__ import annotations

import pytest

from kiosk.domain.basket import BASKET_SCHEMA, Basket, BasketError
from kiosk.domain.catalog import Catalog, Product

TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",))
RICE = Product("RICE", "Beras 5kg", 75000)
BEEF = Product("BEEF", "Daging Sapi", 150000, sold_by_weight=True)


def full_basket() -> Basket:
    basket = Basket("b7")
    basket.member_id = "M0001"
    basket.add(TEA, 3, barcode="8992761111113")
    basket.add(RICE, price_override=70000)
    basket.add(BEEF, weight_g=1250)
    basket.add(RICE)
    basket.set_line_discount(1, amount=500)
    basket.set_line_discount(2, percent="10")
    basket.void(4)
    basket.set_order_discount(percent="5")
    return basket


def test_a_resumed_basket_is_the_suspended_one() -> None:
    stored = full_basket().to_dict()
    assert stored["schema"] == BASKET_SCHEMA
    back = Basket.from_dict(stored)
    assert back.to_dict() == stored
    assert back.member_id == "M0001"
    assert [(x.qty, x.barcode, x.price_override, x.voided) for x in back.lines] == [
        (3, "8992761111113", None, False), (1, "", 70000, False),
        (1, "", None, False), (1, "", None, True),
    ]  # fmt: skip
    assert [(x.discount_amount, x.discount_percent) for x in back.lines[:2]] == [
        (500, None),
        (None, "10"),
    ]
    assert back.order_discount is not None and back.order_discount.percent == "5"


def test_an_order_discount_amount_survives_and_none_stays_none() -> None:
    basket = Basket("b8")
    basket.add(RICE)
    assert basket.to_dict()["order_discount"] is None
    basket.set_order_discount(amount=2500)
    stored = basket.to_dict()
    assert stored["order_discount"] == {"percent": None, "amount": 2500}
    assert Basket.from_dict(stored).order_discount == basket.order_discount


def test_a_minimal_stored_line_gets_the_defaults() -> None:
    stored = {"basket_id": "b9", "lines": [{"sku": "TEA"}, {"product": {"sku": "X", "name": "X",
                                                                         "price": 1000}}]}  # fmt: skip
    basket = Basket.from_dict(stored, Catalog([TEA]))
    first, second = basket.lines
    assert (basket.member_id, basket.order_discount) == ("", None)
    assert (first.product, first.qty, first.barcode, first.voided) == (TEA, 1, "", False)
    assert (first.price_override, first.discount_amount, first.discount_percent) == (None,) * 3
    assert (second.line_no, second.product.barcodes) == (2, ())


def test_a_line_stored_under_another_number_is_refused() -> None:
    stored = full_basket().to_dict()
    stored["lines"][1]["line_no"] = 3
    with pytest.raises(BasketError, match=r"^line 2 is stored as number 3$"):
        Basket.from_dict(stored)


def test_refusals_say_what_to_do() -> None:
    basket = Basket("b1")
    with pytest.raises(BasketError, match=r"^the basket is empty; scan an item first$"):
        basket.set_last_qty(2)
    basket.add(BEEF, weight_g=500)
    with pytest.raises(BasketError, match=r"^line 1 is weighed; its price comes from the scale$"):
        basket.override_price(1, 1000)
    basket.add(RICE)
    with pytest.raises(BasketError, match=r"^price must be a whole rupiah amount above 0, got 0$"):
        basket.override_price(2, 0)
    with pytest.raises(BasketError, match=r"^order discount percent 'x' is not a number$"):
        basket.set_order_discount(percent="x")
