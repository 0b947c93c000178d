from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.basket import Basket
from kiosk.domain.catalog import Product
from kiosk.domain.pricing import TaxConfig, price_basket
from kiosk.domain.promotions import MixMatch, MultiBuy, SpendThreshold
from kiosk.domain.sale import TaxLine

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))
TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",), category="Minuman")
RICE = Product("RICE", "Beras 5kg", 75000, category="Sembako", tax_rate_percent="0")
BEEF = Product("BEEF", "Daging Sapi", 150000, category="Daging", sold_by_weight=True)
BEER = Product("BEER", "Bir", 30000, age_restricted=21, tax_rate_percent="11.0")
TEA3 = MultiBuy(promo_id="TEA3", name="3 for 10rb", skus=frozenset({"TEA"}), qty=3, price=10000)


def test_plain_basket_with_mixed_rates() -> None:
    basket = Basket("b")
    basket.add(TEA, 2, barcode="8992761111113")
    basket.add(RICE)
    priced = price_basket(basket, [], AT, TaxConfig())
    assert priced.total == priced.gross == 83000
    assert priced.discount_total == 0
    assert [line.tax_rate_percent for line in priced.lines] == ["11", "0"]
    assert priced.taxes == (TaxLine("0", 75000, 75000, 0), TaxLine("11", 8000, 7207, 793))
    first = priced.lines[0]
    assert (first.basket_line_no, first.sku, first.barcode, first.qty, first.unit_price) == (
        1,
        "TEA",
        "8992761111113",
        2,
        4000,
    )
    assert priced.item_count == 3 and priced.ppn_total == 793


def test_store_that_is_not_pkp_charges_no_ppn() -> None:
    basket = Basket("b")
    basket.add(TEA)
    basket.add(BEER)
    priced = price_basket(basket, [], AT, TaxConfig(pkp=False))
    assert {line.tax_rate_percent for line in priced.lines} == {"0"}
    assert priced.taxes == (TaxLine("0", 34000, 34000, 0),)
    assert priced.lines[1].age_restricted == 21


def test_store_rate_setting_is_normalized() -> None:
    basket = Basket("b")
    basket.add(TEA)
    priced = price_basket(basket, [], AT, TaxConfig(rate_percent="12.0"))
    assert priced.lines[0].tax_rate_percent == "12"


def test_voided_lines_are_left_out() -> None:
    basket = Basket("b")
    basket.add(TEA)
    basket.add(RICE)
    basket.void(2)
    priced = price_basket(basket, [], AT, TaxConfig())
    assert [line.basket_line_no for line in priced.lines] == [1]
    assert priced.total == 4000


def test_weighed_and_price_labelled_lines() -> None:
    basket = Basket("b")
    basket.add(BEEF, weight_g=1235, barcode="2512345012350")
    basket.add(TEA, price_override=3500)
    priced = price_basket(basket, [], AT, TaxConfig())
    beef, tea = priced.lines
    assert (beef.qty, beef.unit_price, beef.weight_g, beef.gross) == (1, 150000, 1235, 185250)
    assert (tea.unit_price, tea.gross) == (3500, 3500)


def test_discount_order_line_then_promotion_then_order() -> None:
    basket = Basket("b")
    basket.add(TEA, 3)  # 12000
    basket.add(RICE)  # 75000
    basket.set_line_discount(2, percent="10")  # 7500 off rice
    basket.set_order_discount(amount=1000)
    priced = price_basket(basket, [TEA3], AT, TaxConfig())
    tea, rice = priced.lines
    assert (tea.line_discount, tea.promo_discount, tea.promotions) == (0, 2000, ("TEA3",))
    assert rice.line_discount == 7500
    # order discount 1000 over remaining 10000 : 67500 by largest remainder
    assert (tea.order_discount, rice.order_discount) == (129, 871)
    assert tea.discount == 2129 and tea.amount == 9871
    assert priced.total == 87000 - 2000 - 7500 - 1000
    assert priced.discount_total == 10500
    assert [(a.promo_id, a.amount) for a in priced.applied] == [("TEA3", 2000)]


def test_order_discount_percent_and_cap() -> None:
    basket = Basket("b")
    basket.add(TEA, 3)
    basket.set_order_discount(percent="12.5")
    assert price_basket(basket, [], AT, TaxConfig()).discount_total == 1500
    basket.set_order_discount(amount=50000)
    priced = price_basket(basket, [], AT, TaxConfig())
    assert priced.total == 0 and priced.discount_total == 12000


def test_empty_basket() -> None:
    priced = price_basket(Basket("b"), [TEA3], AT, TaxConfig())
    assert (priced.lines, priced.total, priced.taxes, priced.applied) == ((), 0, (), ())


PRODUCTS = [TEA, RICE, BEER, Product("CHIPS", "Chips", 8500, category="Snack")]


@settings(max_examples=80, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(1, 12)), min_size=1, max_size=8),
    st.one_of(st.none(), st.integers(1, 300000), st.sampled_from(["5", "10", "33.3", "100"])),
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["5", "50", "100"])), max_size=3),
    st.booleans(),
)
def test_priced_basket_invariants(
    items: list[tuple[int, int]],
    order: int | str | None,
    line_discounts: list[tuple[int, str]],
    with_promos: bool,
) -> None:
    basket = Basket("p")
    for product_index, qty in items:
        basket.add(PRODUCTS[product_index], qty)
    for index, percent in line_discounts:
        if index < len(basket.lines):
            basket.set_line_discount(index + 1, percent=percent)
    if isinstance(order, int):
        basket.set_order_discount(amount=order)
    elif order is not None:
        basket.set_order_discount(percent=order)
    promos = [
        TEA3,
        SpendThreshold(promo_id="S", name="S", threshold=50000, percent="5", stackable=True),
    ]
    priced = price_basket(basket, promos if with_promos else [], AT, TaxConfig())
    for line in priced.lines:
        assert line.discount == line.line_discount + line.promo_discount + line.order_discount
        assert 0 <= line.amount == line.gross - line.discount
    assert priced.total == sum(line.amount for line in priced.lines)
    assert priced.gross - priced.discount_total == priced.total
    assert sum(t.taxable for t in priced.taxes) == priced.total
    assert sum(a.amount for a in priced.applied) == sum(
        line.promo_discount for line in priced.lines
    )


def test_priced_lines_carry_name_and_category_for_receipt_and_reports() -> None:
    basket = Basket("b")
    basket.add(TEA)
    basket.add(RICE)
    tea, rice = price_basket(basket, [], AT, TaxConfig()).lines
    assert (tea.name, tea.category) == ("Teh Botol", "Minuman")
    assert (rice.name, rice.category) == ("Beras 5kg", "Sembako")


def test_category_promotion_reaches_lines_of_that_category() -> None:
    drinks = MixMatch(promo_id="DRINK2", name="2 drinks 10% off", category="Minuman", qty=2,
                      percent="10")  # fmt: skip
    basket = Basket("b")
    basket.add(TEA, 2)  # 8000 of Minuman
    basket.add(RICE)  # Sembako: not in the promotion
    tea, rice = price_basket(basket, [drinks], AT, TaxConfig()).lines
    assert (tea.promo_discount, tea.promotions, tea.amount) == (800, ("DRINK2",), 7200)
    assert (rice.promo_discount, rice.promotions) == (0, ())
