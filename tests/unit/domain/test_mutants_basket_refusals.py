"""Every refusal of the basket with its code, its parameters and its words, exactly, at
its edge, and an online order kept through suspend and resume (written for the mutants of
kiosk.domain.basket that survived the fourth mutation run: the codes and messages of
``BasketError.of`` that no test read)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from kiosk.domain.basket import Basket, BasketError
from kiosk.domain.catalog import Catalog, Product

TEA = Product("TEA", "Teh Botol", 4000)
BEEF = Product("BEEF", "Daging Sapi", 150000, sold_by_weight=True)


def with_tea_and_beef() -> Basket:
    basket = Basket("b1")
    basket.add(TEA)
    basket.add(BEEF, weight_g=500)
    return basket


def with_a_voided_line() -> Basket:
    basket = Basket("b1")
    basket.add(TEA)
    basket.void(1)
    return basket


STORED = {"basket_id": "b1", "lines": [{"sku": "TEA", "qty": 1}]}
REFUSALS: list[tuple[str, Callable[[], Any], str, dict[str, object], str]] = [
    ("a percent that is no number", lambda: Basket("b").set_order_discount(percent="abc"),
     "basket.percent_not_number", {"percent": "abc"},
     "order discount percent 'abc' is not a number"),
    ("a percent of 0", lambda: with_tea_and_beef().set_line_discount(1, percent="0"),
     "basket.percent_range", {},
     "line 1 discount percent must be more than 0 and at most 100, got 0"),
    ("a percent of infinity", lambda: Basket("b").set_order_discount(percent="Infinity"),
     "basket.percent_range", {},
     "order discount percent must be more than 0 and at most 100, got Infinity"),
    ("no grams", lambda: Basket("b").add(BEEF, weight_g=0), "basket.weight_range", {},
     "weight must be a whole number of grams above 0, got 0"),
    ("a new price of 0", lambda: with_tea_and_beef().override_price(1, 0),
     "basket.new_price", {}, "price must be a whole rupiah amount above 0, got 0"),
    ("a discount of Rp0", lambda: Basket("b").set_order_discount(amount=0),
     "basket.amount_range", {}, "order discount must be a whole rupiah amount above 0, got 0"),
    ("a line discount of Rp-1", lambda: with_tea_and_beef().set_line_discount(1, amount=-1),
     "basket.amount_range", {}, "line 1 discount must be a whole rupiah amount above 0, got -1"),
    ("a quantity of 0", lambda: Basket("b").add(TEA, 0), "basket.qty_range", {"max": 9999},
     "quantity must be a whole number from 1 to 9999, got 0"),
    ("a price label below 0", lambda: Basket("b").add(TEA, price_override=-1),
     "basket.price_range", {}, "price must be whole rupiah >= 0, got -1"),
    ("two weighed at once", lambda: Basket("b").add(BEEF, 2, weight_g=500),
     "basket.weighed_qty", {}, "a weighed item is rung up once with its weight, not a quantity"),
    ("meat not weighed", lambda: Basket("b").add(BEEF), "basket.sold_by_weight",
     {"name": "Daging Sapi"}, "Daging Sapi is sold by weight: weigh it or scan its label"),
    ("a line number as text", lambda: with_tea_and_beef().line("1"),  # type: ignore[arg-type]
     "basket.line_not_number", {}, "line number must be a whole number, got '1'"),
    ("line 3 of 2", lambda: with_tea_and_beef().line(3), "basket.no_line",
     {"line": 3, "count": 2}, "line 3 does not exist; the basket has 2 lines"),
    ("line 0 of 1", lambda: with_a_voided_line().void(0), "basket.no_line",
     {"line": 0, "count": 1}, "line 0 does not exist; the basket has 1 line"),
    ("a voided line", lambda: with_a_voided_line().set_qty(1, 2), "basket.line_voided",
     {"line": 1}, "line 1 is voided"),
    ("a weighed line's quantity", lambda: with_tea_and_beef().set_qty(2, 2),
     "basket.line_weighed", {"line": 2}, "line 2 is weighed; void it and weigh again"),
    ("x3 with every line voided", lambda: with_a_voided_line().set_last_qty(3),
     "basket.empty_scan_first", {}, "the basket is empty; scan an item first"),
    ("a weighed line's price", lambda: with_tea_and_beef().override_price(2, 1000),
     "basket.weighed_price", {"line": 2}, "line 2 is weighed; its price comes from the scale"),
    ("a percent and an amount", lambda: with_tea_and_beef().set_line_discount(
        2, percent="5", amount=100), "basket.discount_both", {},
     "line 2 discount: give a percent or an amount, not both"),
    ("both on the order", lambda: Basket("b").set_order_discount(percent="5", amount=100),
     "basket.discount_both", {}, "order discount: give a percent or an amount, not both"),
    ("a stored line under another number",
     lambda: Basket.from_dict({"basket_id": "b1", "lines": [{"sku": "TEA", "line_no": 5}]},
                              Catalog([TEA])),
     "basket.stored_line", {"line": 1}, "line 1 is stored as number 5"),
    ("a stored basket without its id", lambda: Basket.from_dict({"lines": []}),
     "basket.stored_malformed", {}, "suspended basket is malformed: KeyError('basket_id')"),
    ("a stored sku the catalog lacks", lambda: Basket.from_dict(STORED, Catalog([])),
     "basket.stored_product", {},
     "suspended line for sku TEA has no product and it is not in the catalog"),
    ("a stored sku and no catalog", lambda: Basket.from_dict(STORED), "basket.stored_product",
     {}, "suspended line for sku TEA has no product and it is not in the catalog"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("action", "code", "params", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in REFUSALS],
)
def test_each_refusal_says_its_code_parameters_and_words(
    action: Callable[[], Any], code: str, params: dict[str, object], message: str
) -> None:
    with pytest.raises(BasketError) as caught:
        action()
    assert (caught.value.code, caught.value.params, str(caught.value)) == (code, params, message)


def test_a_stored_sku_comes_from_the_catalog_or_the_resolver() -> None:
    assert Basket.from_dict(STORED, Catalog([TEA])).lines[0].product == TEA
    assert Basket.from_dict(STORED, {"TEA": TEA}.get).lines[0].product == TEA


def test_an_online_order_being_collected_survives_suspend_and_resume() -> None:
    basket = Basket("b1")
    basket.add(TEA)
    basket.order = {"order_id": "W-17", "channel": "web"}
    stored = basket.to_dict()
    assert stored["order"] == {"order_id": "W-17", "channel": "web"}
    assert Basket.from_dict(stored).order == {"order_id": "W-17", "channel": "web"}
    # written by another version with a number for the id: read back as text
    assert Basket.from_dict({**stored, "order": {"order_id": 17}}).order == {"order_id": "17"}
    assert "order" not in Basket("b2").to_dict()
