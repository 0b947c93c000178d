"""A supervisor's approval on the spot: a cashier's action that needs a higher role is
done once, in the cashier's sale, by a supervisor who types their PIN for it. The role
is checked here, and the approval is journaled with both names and what was approved."""

from __future__ import annotations

from typing import Any

from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffMember, StaffService


def approve_on_the_spot(
    checkout: CheckoutService,
    action: str,
    cashier: StaffMember | None,
    supervisor: StaffMember,
    detail: dict[str, Any],
) -> StaffMember:
    """Raise unless ``supervisor`` may do ``action`` (a permission of
    kiosk.services.staff); journal the approval (``supervisor_approval``) and return the
    supervisor, for the action to be done in their name."""
    StaffService.require(supervisor, action)
    who: dict[str, Any] = {"action": action, "detail": detail,
                           "supervisor_id": supervisor.staff_id,
                           "supervisor_name": supervisor.name}  # fmt: skip
    if cashier is not None:
        who.update(staff_id=cashier.staff_id, staff_name=cashier.name, role=cashier.role)
    checkout.ledger.record_event(
        "supervisor_approval", checkout.basket.basket_id, who, utc_stamp(checkout.clock)
    )
    return supervisor
