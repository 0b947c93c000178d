"""The basket as the screens show it, over the real checkout and pricing: the discount on
the whole sale is one line of its own, not spread into the item rows."""

from __future__ import annotations

from kiosk.services.checkout import CheckoutService
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.basket_view import basket_view, order_discount_row


def rupiah(text: str) -> int:
    return int(text.replace("Rp", "").replace(".", "").replace(",", ""))


def test_the_order_discount_is_its_own_line(checkout: CheckoutService) -> None:
    checkout.add_sku("TEH", 1)
    checkout.add_sku("MIE", 3)
    checkout.discount_line(1, percent="10")
    checkout.discount_order(amount=1000)
    view = basket_view(checkout.priced(), Language("id"))
    assert [(r.amount_text, r.discount_text) for r in view.rows] == [
        ("Rp4.500", "-Rp500"), ("Rp10.500", "")]  # fmt: skip
    assert (view.order_discount_label, view.order_discount_text) == ("Diskon transaksi", "-Rp1.000")
    rows = sum(rupiah(r.amount_text) for r in view.rows)
    assert rows - view.order_discount == view.total == 14_000
    assert view.savings == 1500  # the customer's "you save" still counts every discount
    (row,) = order_discount_row(view)
    assert row["amount_text"] == "-Rp1.000" and row["saving"] and not row["action"]


def test_a_percent_order_discount_in_english_and_none_without_one(
    checkout: CheckoutService,
) -> None:
    checkout.add_sku("ROTI", 1)
    assert order_discount_row(basket_view(checkout.priced(), Language("en"))) == []
    checkout.discount_order(percent="25")
    view = basket_view(checkout.priced(), Language("en"))
    assert view.rows[0].amount_text == "Rp16,000" and view.rows[0].discount_text == ""
    assert (view.order_discount_label, view.order_discount_text) == (
        "Discount on the sale", "-Rp4,000")  # fmt: skip
    assert view.total == 12_000
