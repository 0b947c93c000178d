"""limits.max_qty at entry: a line never holds more of one item than the shop allows,
refused where the quantity is typed or scanned (not later, at payment), with the basket
left as it was; the self-checkout asks staff instead, and their approval lets it pass."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.domain.catalog import LookupResult
from kiosk.services.checkout import CheckoutService, QuantityLimitError
from kiosk.services.self_checkout import Limits, SelfCheckoutService
from kiosk.services.staff import StaffService


def limited(checkout: CheckoutService, limit: int = 50) -> CheckoutService:
    checkout.config = replace(checkout.config, max_qty=limit)
    return checkout


def basket(checkout: CheckoutService) -> list[tuple[str, int]]:
    return [(line.sku, line.qty) for line in checkout.priced().lines]


def test_a_quantity_above_the_limit_is_refused_and_changes_nothing(
    checkout: CheckoutService,
) -> None:
    limited(checkout)
    checkout.add_sku("TEH", 50)
    with pytest.raises(QuantityLimitError, match="Quantity 51 is above this till's limit of 50"):
        checkout.add_sku("TEH")  # one more scan would make the line 51
    checkout.add_sku("MIE", 2)
    with pytest.raises(QuantityLimitError) as refused:
        checkout.set_qty(2, 99)
    assert (refused.value.qty, refused.value.limit) == (99, 50)
    with pytest.raises(QuantityLimitError):
        checkout.set_last_qty(51)
    with pytest.raises(QuantityLimitError):
        checkout.add_sku("ROTI", 51)
    assert basket(checkout) == [("TEH", 50), ("MIE", 2)]
    checkout.set_qty(2, 50)  # at the limit is fine
    checkout.set_qty(2, 60, approved=True)  # staff approved it (the self-checkout's path)
    assert basket(checkout) == [("TEH", 50), ("MIE", 60)]


def test_without_the_setting_only_the_baskets_own_bound_applies(
    checkout: CheckoutService,
) -> None:
    checkout.add_sku("TEH", 500)
    assert checkout.qty_after(LookupResult(checkout.catalog.by_sku("TEH"), ""), 2) == 502  # type: ignore[arg-type]


def test_the_lane_counts_a_repeat_scan_into_its_line_and_asks_staff(
    checkout: CheckoutService, staff: StaffService
) -> None:
    lane = SelfCheckoutService(limited(checkout, 10), staff, limits=Limits(10, 10_000_000))
    tea = checkout.catalog.by_sku("TEH")
    assert tea is not None
    for _ in range(10):
        assert lane.scan(tea.barcodes[0]).added is not None
    held = lane.scan(tea.barcodes[0]).intervention  # the 11th joins the line: 11 > 10
    assert held is not None and held.kind == "qty_limit"
    assert (held.detail["qty"], held.detail["limit"]) == (11, 10)
    lane.approve(staff.login_pin("1111"), supervisor=staff.login_pin("2222"))
    assert basket(checkout) == [("TEH", 11)]
