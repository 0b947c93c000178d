"""The basket's limits at their edges and the refusals a cashier reads (written for
mutants of kiosk.domain.basket that survived `make mutation`)."""

from __future__ import annotations

import pytest

from kiosk.domain.basket import MAX_QTY, Basket, BasketError
from kiosk.domain.catalog import Product

TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",))
BEEF = Product("BEEF", "Daging Sapi", 150000, sold_by_weight=True)


def refusal(call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(BasketError) as caught:
        call(*args, **kwargs)  # type: ignore[operator]
    return str(caught.value)


def test_a_new_basket_is_empty_and_has_no_member() -> None:
    stored = Basket("b1").to_dict()
    assert (stored["basket_id"], stored["member_id"], stored["lines"]) == ("b1", "", [])
    assert stored["order_discount"] is None


def test_the_largest_quantity_is_accepted_one_more_is_not() -> None:
    basket = Basket("b")
    assert basket.add(TEA, MAX_QTY).qty == MAX_QTY
    assert refusal(basket.set_qty, 1, MAX_QTY + 1) == (
        f"quantity must be a whole number from 1 to {MAX_QTY}, got {MAX_QTY + 1}"
    )


@pytest.mark.parametrize(("percent", "shown"), [("0.5", "0.5"), ("100", "100"), ("1", "1")])
def test_percents_above_zero_up_to_a_hundred(percent: str, shown: str) -> None:
    basket = Basket("b")
    basket.add(TEA)
    assert basket.set_line_discount(1, percent=percent).discount_percent == shown


@pytest.mark.parametrize("percent", ["0", "100.5", "-5"])
def test_percents_outside_are_refused_with_the_line_named(percent: str) -> None:
    basket = Basket("b")
    basket.add(TEA)
    assert refusal(basket.set_line_discount, 1, percent=percent) == (
        f"line 1 discount percent must be more than 0 and at most 100, got {percent}"
    )


def test_discount_amounts_must_be_whole_rupiah_above_zero() -> None:
    basket = Basket("b")
    basket.add(TEA)
    assert refusal(basket.set_line_discount, 1, amount=0) == (
        "line 1 discount must be a whole rupiah amount above 0, got 0"
    )
    assert refusal(basket.set_order_discount, amount=True) == (
        "order discount must be a whole rupiah amount above 0, got True"
    )
    basket.set_order_discount(amount=1)
    assert basket.order_discount is not None and basket.order_discount.amount == 1


def test_a_price_label_may_be_zero_but_not_negative_or_a_flag() -> None:
    basket = Basket("b")
    assert basket.add(TEA, price_override=0).gross == 0
    for bad in (-1, True, 1.5):
        assert refusal(basket.add, TEA, price_override=bad) == (
            f"price must be whole rupiah >= 0, got {bad!r}"
        )


def test_weighing_refusals() -> None:
    basket = Basket("b")
    assert refusal(basket.add, BEEF, weight_g=0) == (
        "weight must be a whole number of grams above 0, got 0"
    )
    assert refusal(basket.add, BEEF, 2, weight_g=500) == (
        "a weighed item is rung up once with its weight, not a quantity"
    )


def test_line_numbers_are_whole_numbers_that_exist() -> None:
    basket = Basket("b")
    assert refusal(basket.void, 1) == "line 1 does not exist; the basket has 0 lines"
    basket.add(TEA)
    assert refusal(basket.void, 2) == "line 2 does not exist; the basket has 1 line"
    basket.add(BEEF, weight_g=500)
    assert refusal(basket.void, 3) == "line 3 does not exist; the basket has 2 lines"
    assert refusal(basket.void, "1") == "line number must be a whole number, got '1'"
    assert refusal(basket.void, True) == "line number must be a whole number, got True"
