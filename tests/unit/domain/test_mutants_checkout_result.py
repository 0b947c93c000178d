"""The sale record keeps every detail of a line and refuses to be written without its
ids (written for mutants of kiosk.domain.checkout_result that survived `make mutation`)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kiosk.domain.basket import Basket
from kiosk.domain.catalog import Product
from kiosk.domain.checkout_result import complete_sale
from kiosk.domain.pricing import PricedBasket, TaxConfig, price_basket
from kiosk.domain.tenders import TenderError, TenderSession

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))
BEEF = Product("BEEF", "Daging Sapi", 150000, category="Daging", sold_by_weight=True)
TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",), category="Minuman")
IDS = {"sale_id": "s1", "store_id": "S1", "device_id": "K1", "business_date": "2026-03-04",
       "created_at": "2026-03-04T05:00:00.000000Z"}  # fmt: skip


def paid() -> tuple[PricedBasket, TenderSession]:
    basket = Basket("b")
    basket.add(BEEF, weight_g=1235, barcode="2512345012350")
    basket.add(TEA, barcode="8992761111113")
    priced = price_basket(basket, [], AT, TaxConfig())
    tenders = TenderSession(priced.total)
    tenders.add_cash(priced.total)
    return priced, tenders


def test_sale_lines_keep_barcode_category_and_weight() -> None:
    sale = complete_sale(*paid(), **IDS)
    beef, tea = sale.lines
    assert (beef.barcode, beef.category, beef.weight_g) == ("2512345012350", "Daging", 1235)
    assert (tea.barcode, tea.category, tea.weight_g) == ("8992761111113", "Minuman", None)
    assert (sale.sale_id, sale.store_id, sale.device_id) == ("s1", "S1", "K1")


def test_a_sale_without_cashier_or_member_records_none() -> None:
    sale = complete_sale(*paid(), **IDS)
    assert (sale.cashier, sale.member_id, sale.mode) == ("", "", "counter")
    assert complete_sale(*paid(), **IDS, mode="self-checkout").mode == "self-checkout"


@pytest.mark.parametrize("name", ["sale_id", "store_id", "device_id"])
def test_each_id_is_required(name: str) -> None:
    with pytest.raises(ValueError, match=f"^{name} is required for a sale record$"):
        complete_sale(*paid(), **{**IDS, name: ""})


def test_sale_lines_and_dates_are_the_ones_priced_and_given() -> None:
    sale = complete_sale(*paid(), **IDS)
    assert [(x.name, x.qty, x.unit_price) for x in sale.lines] == [
        ("Daging Sapi", 1, 150000),
        ("Teh Botol", 1, 4000),
    ]
    assert (sale.business_date, sale.created_at) == ("2026-03-04", "2026-03-04T05:00:00.000000Z")


def test_refusals_carry_the_codes_and_amounts_the_screens_show() -> None:
    priced, _ = paid()  # 185,250 + 4,000
    half = TenderSession(priced.total)
    half.add_cash(100_000)
    with pytest.raises(TenderError) as caught:
        complete_sale(priced, half, **IDS)
    assert (caught.value.code, caught.value.params) == (
        "tender.not_paid",
        {"paid": 100_000, "total": 189_250, "due": 89_250},
    )
    assert str(caught.value) == "the sale is not paid: 100000 of 189250 received, 89250 still due"
    other = TenderSession(189_000)
    other.add_cash(189_000)
    with pytest.raises(TenderError) as caught:
        complete_sale(priced, other, **IDS)
    assert (caught.value.code, caught.value.params) == ("tender.total_changed", {"total": 189_250})
    assert str(caught.value) == (
        "the payment was started for 189000 but the basket totals 189250; start the payment again"
    )
