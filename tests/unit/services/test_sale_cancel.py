"""Cancelling a whole sale (real checkout, staff and ledger): staff only, with a reason,
a supervisor above the shop's limit, journaled with the basket and both names; a refusal
changes nothing."""

from __future__ import annotations

import json

import pytest

from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.services.sale_cancel import cancel_sale, needs_supervisor
from kiosk.services.staff import NotAllowedError, StaffService
from kiosk.storage.ledger import SqliteLedger
from tests.unit.pieces import journal


def cancelled(ledger: SqliteLedger) -> list[dict[str, object]]:
    return [json.loads(row) for row in journal(ledger, "sale_cancelled")]


def test_a_cashier_cancels_a_small_sale_alone(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    ani = staff.login_pin("1111")
    checkout.add_sku("TEH", 2)
    basket_id = checkout.basket.basket_id
    assert not needs_supervisor(checkout, ani, 10_000)
    assert cancel_sale(checkout, ani, "customer left", limit=10_000) == 10_000
    assert checkout.basket.is_empty and checkout.basket.basket_id != basket_id
    (record,) = cancelled(ledger)
    assert (record["reason"], record["total"], record["staff_name"]) == (
        "customer left",
        10_000,
        "Ani",
    )
    assert "supervisor_name" not in record
    assert [line["product"]["sku"] for line in record["basket"]["lines"]] == ["TEH"]  # type: ignore[index]
    assert ledger.sale_count() == 0


def test_above_the_limit_a_supervisor_approves_on_the_spot(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    ani, budi = staff.login_pin("1111"), staff.login_pin("2222")
    checkout.add_sku("ROTI", 1)  # Rp16,000 > Rp10,000
    assert needs_supervisor(checkout, ani, 10_000) and not needs_supervisor(checkout, budi, 10_000)
    with pytest.raises(NotAllowedError):
        cancel_sale(checkout, ani, "customer left", limit=10_000)
    with pytest.raises(NotAllowedError):
        cancel_sale(checkout, ani, "customer left", limit=10_000, supervisor=ani)
    assert checkout.priced().total == 16_000 and cancelled(ledger) == []
    cancel_sale(checkout, ani, "customer left", limit=10_000, supervisor=budi)
    (record,) = cancelled(ledger)
    assert (record["staff_name"], record["supervisor_name"]) == ("Ani", "Budi")
    assert record["supervisor_role"] == "supervisor"


def test_what_cannot_be_cancelled_is_refused_and_left_as_it_was(
    checkout: CheckoutService, staff: StaffService, ledger: SqliteLedger
) -> None:
    ani = staff.login_pin("1111")
    with pytest.raises(CheckoutError, match="There is no sale to cancel"):
        cancel_sale(checkout, ani, "x", limit=10_000)
    checkout.add_sku("TEH")
    with pytest.raises(NotAllowedError):
        cancel_sale(checkout, None, "x", limit=10_000)  # nobody signed in
    with pytest.raises(CheckoutError, match="Choose why"):
        cancel_sale(checkout, ani, "  ", limit=10_000)
    checkout.pay_cash(2000)  # paying has begun: complete or refund, never cancel
    with pytest.raises(CheckoutError, match="payment has already been taken"):
        cancel_sale(checkout, ani, "x", limit=10_000)
    assert checkout.priced().total == 5000 and cancelled(ledger) == []
