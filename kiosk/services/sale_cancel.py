"""Cancelling a whole sale before it is paid: every line comes off at once, journaled
with the reason, the basket as it was and who did it (published, so the fleet sees
cancellations beside voids and walk-aways).

Staff only, with a reason. A cashier cancels a sale up to ``limits.max_cancel_amount``
alone; above it a supervisor approves on the spot (signed in for that one approval),
and the journal names both. Once a tender is taken the sale can no longer be cancelled
(the payment must be completed or refunded first).
"""

from __future__ import annotations

from kiosk.services.checkout import CheckoutError, CheckoutService
from kiosk.services.staff import StaffMember, StaffService

ALONE = "void"  # a cashier's right: taking items off the sale
ABOVE_LIMIT = "approve_limit"  # a supervisor's: what is above the shop's limits


def needs_supervisor(checkout: CheckoutService, member: StaffMember, limit: int) -> bool:
    """True when ``member`` may not cancel this sale alone (its total is above ``limit``
    and their role is below a supervisor's)."""
    return checkout.priced().total > limit and not member.may(ABOVE_LIMIT)


def cancel_sale(
    checkout: CheckoutService,
    member: StaffMember | None,
    reason: str,
    *,
    limit: int,
    supervisor: StaffMember | None = None,
) -> int:
    """Cancel the open sale; its total (what was not sold). Raises, changing nothing,
    when the basket is empty, paying has begun, there is no reason, or the roles do not
    allow it."""
    staff = StaffService.require(member, ALONE)
    if not reason.strip():
        raise CheckoutError.of("checkout.cancel_reason")
    if checkout.basket.is_empty:
        raise CheckoutError.of("checkout.nothing_to_cancel")
    tenders = checkout.tenders
    if tenders is not None and tenders.records():
        raise CheckoutError.of("checkout.tender_taken")
    total = checkout.priced().total
    if total > limit:
        StaffService.require(staff if supervisor is None else supervisor, ABOVE_LIMIT)
    who = {"staff_id": staff.staff_id, "staff_name": staff.name, "role": staff.role}
    if supervisor is not None:
        who.update(supervisor_id=supervisor.staff_id, supervisor_name=supervisor.name,
                   supervisor_role=supervisor.role)  # fmt: skip
    checkout.cancel_payment()
    checkout.abandon(reason.strip(), event="sale_cancelled", **who)
    return total
