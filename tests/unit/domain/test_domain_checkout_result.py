import json
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.basket import Basket
from kiosk.domain.catalog import Product
from kiosk.domain.checkout_result import complete_sale, voided_lines_of
from kiosk.domain.pricing import TaxConfig, price_basket
from kiosk.domain.promotions import MultiBuy
from kiosk.domain.sale import CompletedSale, TaxLine
from kiosk.domain.tenders import TenderError, TenderSession

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))
TEA = Product("TEA", "Teh Botol", 4000, ("8992761111113",), category="Minuman")
RICE = Product("RICE", "Beras 5kg", 75050, category="Sembako", tax_rate_percent="0")
SOAP = Product("SOAP", "Sabun", 5000)
TEA3 = MultiBuy(promo_id="TEA3", name="3 for 10rb", skus=frozenset({"TEA"}), qty=3, price=10000)
IDS = {
    "sale_id": "abc123",
    "store_id": "S1",
    "device_id": "K1",
    "business_date": "2026-03-04",
    "created_at": "2026-03-04T05:00:00.000000Z",
}


def rung_up() -> Basket:
    basket = Basket("b")
    basket.add(TEA, 3, barcode="8992761111113")
    basket.add(SOAP)
    basket.add(RICE)
    basket.void(2)
    return basket


def test_complete_sale_with_rounding_and_split_tender() -> None:
    basket = rung_up()
    priced = price_basket(basket, [TEA3], AT, TaxConfig())
    assert priced.total == 85_050
    tenders = TenderSession(priced.total, cash_rounding_step=100)
    tenders.add_card(50_000, reference="RRN", masked_pan="************1234")
    tenders.add_cash(50_000)
    sale = complete_sale(
        priced, tenders, **IDS, cashier="ani", member_id="M9", voided_lines=voided_lines_of(basket)
    )
    assert [(line.line_no, line.sku) for line in sale.lines] == [(1, "TEA"), (2, "RICE")]
    assert sale.lines[0].promotions == ("TEA3",) and sale.lines[0].discount == 2000
    assert sale.total == 85_050 and sale.discount_total == 2000
    assert sale.cash_rounding == -50 and sale.payable == 85_000 and sale.change == 15_000
    assert sale.taxes == (TaxLine("0", 75_050, 75_050, 0), TaxLine("11", 10_000, 9_009, 991))
    assert sale.extra == {
        "voided_lines": [{"sku": "SOAP", "qty": 1, "amount": 5000}],
        "promotions": [{"promo_id": "TEA3", "name": "3 for 10rb", "amount": 2000}],
    }
    assert (sale.cashier, sale.member_id, sale.mode) == ("ani", "M9", "counter")
    assert CompletedSale.from_dict(json.loads(json.dumps(sale.to_dict()))) == sale


def test_unpaid_or_mismatched_tenders_are_refused() -> None:
    priced = price_basket(rung_up(), [], AT, TaxConfig())
    tenders = TenderSession(priced.total)
    tenders.add_cash(10_000)
    with pytest.raises(TenderError, match="not paid: 10000 of 87050 received, 77050 still due"):
        complete_sale(priced, tenders, **IDS)
    with pytest.raises(TenderError, match="started for 100 but the basket totals 87050"):
        complete_sale(priced, TenderSession(100), **IDS)
    paid = TenderSession(priced.total)
    paid.add_cash(priced.total)
    with pytest.raises(ValueError, match="sale_id is required"):
        complete_sale(priced, paid, **{**IDS, "sale_id": ""})


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from([TEA, RICE, SOAP]), st.integers(1, 9)), min_size=1, max_size=6
    ),
    st.sampled_from([0, 100, 500]),
    st.integers(0, 100),
)
def test_completed_sale_balances(
    items: list[tuple[Product, int]], step: int, card_share: int
) -> None:
    basket = Basket("b")
    for product, qty in items:
        basket.add(product, qty)
    priced = price_basket(basket, [TEA3], AT, TaxConfig())
    tenders = TenderSession(priced.total, cash_rounding_step=step)
    card = priced.total * card_share // 100
    if card:
        tenders.add_card(card, reference="R")
    if not tenders.is_complete:
        tenders.add_cash(tenders.cash_due or 0)
    sale = complete_sale(priced, tenders, **IDS)
    assert sum(t.amount for t in sale.tenders) == sale.payable
    assert (
        sale.total == sum(line.amount for line in sale.lines) == sum(t.taxable for t in sale.taxes)
    )
    assert sale.gross - sale.discount_total == sale.total
    assert [line.line_no for line in sale.lines] == list(range(1, len(sale.lines) + 1))
