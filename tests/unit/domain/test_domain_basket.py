import json

import pytest

from kiosk.domain.basket import Basket, BasketError, OrderDiscount
from kiosk.domain.catalog import Catalog, Product

TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",))
RICE = Product("RICE", "Beras 5kg", 75000)
BEEF = Product("BEEF", "Daging Sapi", 150000, sold_by_weight=True)


def test_same_plain_product_increments_its_line() -> None:
    basket = Basket("b1")
    first = basket.add(TEA, barcode="8992761111113")
    again = basket.add(TEA, 2)
    assert again is first and first.qty == 3 and first.gross == 12000
    assert len(basket.lines) == 1 and basket.item_count == 3


def test_special_lines_are_never_merged() -> None:
    basket = Basket("b1")
    basket.add(TEA)
    basket.set_line_discount(1, amount=500)
    basket.add(TEA)  # line 1 has a discount: new line
    basket.add(TEA, price_override=3500)
    basket.add(TEA, price_override=3500)
    assert [line.line_no for line in basket.lines] == [1, 2, 3, 4]
    basket.void(2)
    basket.add(TEA)  # line 2 is voided: a new line again
    assert len(basket.lines) == 5


def test_weighed_line_gross_rounds_half_up() -> None:
    basket = Basket("b1")
    line = basket.add(BEEF, weight_g=1235)  # 150000 * 1.235 = 185250
    assert line.gross == 185250
    line2 = basket.add(Product("X", "X", 999, sold_by_weight=True), weight_g=1500)
    assert line2.gross == 1499  # 1498.5 -> 1499
    assert basket.add(Product("Y", "Y", 999, sold_by_weight=True), weight_g=500).gross == 500
    with pytest.raises(BasketError, match="sold by weight: weigh it or scan its label"):
        basket.add(BEEF)
    with pytest.raises(BasketError, match="weighed item is rung up once"):
        basket.add(BEEF, 2, weight_g=100)
    with pytest.raises(BasketError, match="line 1 is weighed"):
        basket.set_qty(1, 2)


def test_price_label_gross() -> None:
    basket = Basket("b1")
    assert basket.add(BEEF, price_override=42000).gross == 42000
    basket.set_qty(1, 2)
    assert basket.lines[0].gross == 84000


def test_set_qty_and_last_qty() -> None:
    basket = Basket("b1")
    with pytest.raises(BasketError, match="the basket is empty"):
        basket.set_last_qty(2)
    basket.add(TEA)
    basket.add(RICE)
    basket.set_last_qty(3)
    assert basket.lines[1].qty == 3
    basket.void(2)
    basket.set_last_qty(5)
    assert basket.lines[0].qty == 5
    for bad in (0, -1, 10000, True):
        with pytest.raises(BasketError, match="quantity must be a whole number from 1 to 9999"):
            basket.set_qty(1, bad)
    assert basket.lines[0].qty == 5


def test_line_errors_are_clear() -> None:
    basket = Basket("b1")
    for product in (TEA, RICE, BEEF):
        basket.add(product, price_override=100)
    with pytest.raises(BasketError, match="line 7 does not exist; the basket has 3 lines"):
        basket.set_qty(7, 1)
    basket.void(2)
    with pytest.raises(BasketError, match="line 2 is voided"):
        basket.void(2)
    with pytest.raises(BasketError, match="line 0 does not exist"):
        basket.void(0)
    assert [line.line_no for line in basket.active_lines()] == [1, 3]
    assert [line.line_no for line in basket.voided_lines()] == [2]


def test_discounts() -> None:
    basket = Basket("b1")
    basket.add(RICE)
    basket.set_line_discount(1, percent="10.0")
    assert basket.lines[0].discount_percent == "10"
    assert basket.lines[0].line_discount == 7500
    basket.set_line_discount(1, amount=100000)
    assert basket.lines[0].line_discount == 75000  # capped at the line
    basket.set_line_discount(1)
    assert basket.lines[0].line_discount == 0
    with pytest.raises(BasketError, match="not both"):
        basket.set_line_discount(1, percent="5", amount=5)
    with pytest.raises(BasketError, match="at most 100"):
        basket.set_line_discount(1, percent="150")
    with pytest.raises(BasketError, match="not a number"):
        basket.set_order_discount(percent="ten")
    with pytest.raises(BasketError, match="above 0"):
        basket.set_order_discount(amount=0)
    basket.set_order_discount(percent="12.50")
    assert basket.order_discount == OrderDiscount(percent="12.5")
    basket.set_order_discount()
    assert basket.order_discount is None


def test_suspend_resume_keeps_products_by_value() -> None:
    catalog = Catalog([TEA, RICE])
    basket = Basket("b7")
    basket.member_id = "M-1"
    basket.add(TEA, 2, barcode="8992761111113")
    basket.add(RICE)
    basket.add(BEEF, weight_g=500)
    basket.void(2)
    basket.set_line_discount(1, percent="5")
    basket.set_order_discount(amount=1000)
    data = json.loads(json.dumps(basket.to_dict()))
    catalog.upsert(Product("TEA", "Teh Botol", 4500, ("8992761111113",)))  # price rose
    resumed = Basket.from_dict(data, catalog)
    assert resumed.to_dict() == basket.to_dict()
    assert resumed.lines[0].product.price == 4000
    assert resumed.lines[0].product.barcodes == ("8992761111113",)


def test_resume_by_sku_through_resolver() -> None:
    data = {"basket_id": "b", "lines": [{"line_no": 1, "sku": "RICE", "qty": 2}]}
    resumed = Basket.from_dict(data, Catalog([RICE]))
    assert resumed.lines[0].gross == 150000
    resumed = Basket.from_dict(data, {"RICE": RICE}.get)
    assert resumed.item_count == 2
    with pytest.raises(BasketError, match="sku RICE has no product"):
        Basket.from_dict(data)
    with pytest.raises(BasketError, match="malformed"):
        Basket.from_dict({"lines": []})
