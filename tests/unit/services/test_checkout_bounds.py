"""The shop's limits at the till: price, line total, sale total and cash tendered are
refused with a message, the basket is left as it was, and the reports always add up."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kiosk.domain.bounds import AMOUNT_CEILING, Limits
from kiosk.domain.catalog import Catalog, CatalogError, Product
from kiosk.services.checkout import CheckoutConfig, CheckoutError, CheckoutService
from kiosk.storage import reports
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.clock import SettableClock

INT64_MAX = 2**63 - 1
LIMITS = Limits(
    max_price=1_000_000, max_line_total=5_000_000, max_sale_total=8_000_000,
    max_cash_tendered=10_000_000,
)  # fmt: skip
PRODUCTS = [
    Product(sku="TV", name="Televisi", price=1_000_000, category="Elektronik"),
    Product(sku="MAHAL", name="Terlalu mahal", price=1_000_001, category="Elektronik"),
    Product(sku="TEH", name="Teh", price=5_000, category="Minuman"),
]


@pytest.fixture
def device_id() -> str:
    return "k1"


def make(
    ledger: SqliteLedger, limits: Limits = LIMITS, catalog: Catalog | None = None
) -> CheckoutService:
    clock = SettableClock(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    return CheckoutService(
        catalog=catalog or Catalog(PRODUCTS), ledger=ledger, clock=clock,
        config=CheckoutConfig(store_id="s1", device_id="k1", limits=limits),
    )  # fmt: skip


def basket_of(checkout: CheckoutService) -> list[tuple[str, int, int]]:
    return [(ln.product.sku, ln.qty, ln.gross) for ln in checkout.basket.active_lines()]


def test_a_product_over_the_price_limit_cannot_be_rung_up(ledger: SqliteLedger) -> None:
    checkout = make(ledger)
    checkout.add_sku("TEH")
    with pytest.raises(
        CheckoutError, match=r"The price is above this till's limit of Rp1\.000\.000"
    ):
        checkout.add_sku("MAHAL")
    assert basket_of(checkout) == [("TEH", 1, 5_000)]


def test_line_and_sale_totals_are_bounded_and_a_refusal_changes_nothing(
    ledger: SqliteLedger,
) -> None:
    checkout = make(ledger)
    checkout.add_sku("TV", 5)
    with pytest.raises(
        CheckoutError, match=r"This line would come to more than this till's limit of Rp5\.000\.000"
    ):
        checkout.add_sku("TV")  # a repeat scan would raise the line to 6
    with pytest.raises(CheckoutError, match="This line would come to more"):
        checkout.set_last_qty(9999)
    assert basket_of(checkout) == [("TV", 5, 5_000_000)]
    checkout.add_sku("TEH", 600)  # Rp3,000,000: the sale is at Rp8,000,000
    with pytest.raises(
        CheckoutError, match=r"The sale would come to more than this till's limit of Rp8\.000\.000"
    ):
        checkout.add_sku("TEH")
    with pytest.raises(CheckoutError, match="The sale would come to more"):
        checkout.set_qty(2, 601)
    with pytest.raises(CheckoutError, match="The price is above"):
        checkout.override_price(2, 1_000_001, staff="S1")
    assert basket_of(checkout) == [("TV", 5, 5_000_000), ("TEH", 600, 3_000_000)]
    checkout.override_price(2, 4_000, staff="S1")  # lower is fine
    assert checkout.priced().total == 7_400_000


def test_cash_tendered_is_bounded(ledger: SqliteLedger) -> None:
    checkout = make(ledger)
    checkout.add_sku("TEH")
    with pytest.raises(
        CheckoutError, match=r"Cash given is above this till's limit of Rp10\.000\.000"
    ):
        checkout.pay_cash(INT64_MAX)
    assert checkout.tenders is not None and checkout.tenders.records() == ()
    checkout.pay_cash(10_000_000)
    sale = checkout.complete()
    assert sale.tenders[0].given == 10_000_000 and sale.change == 9_995_000


def test_the_issues_price_never_reaches_the_catalog() -> None:
    with pytest.raises(CatalogError, match="price: is more than the limit"):
        Product(sku="X", name="X", price=INT64_MAX)


def test_reports_add_up_sales_at_the_ceiling(ledger: SqliteLedger) -> None:
    top = Limits(*(AMOUNT_CEILING,) * 4)
    catalog = Catalog([Product(sku="MAX", name="Max", price=AMOUNT_CEILING)])
    checkout = make(ledger, top, catalog)
    for _ in range(3):
        checkout.add_sku("MAX")
        checkout.pay_cash(AMOUNT_CEILING)
        checkout.complete()
    day = reports.day_report(ledger.conn, "2026-11-20", "k1")
    assert day["transactions"] == 3 and day["gross"] == 3 * AMOUNT_CEILING
    assert day["tenders"] == [{"method": "cash", "count": 3, "amount": 3 * AMOUNT_CEILING}]
    assert reports.x_report(ledger.conn, "2026-11-20")["net"] == 3 * AMOUNT_CEILING
