"""The shop's static QRIS at the counter, when the acquirer cannot be reached: the
customer scans the printed code and types the amount; nobody confirms it to the till but
the staff who saw the money arrive in the shop's QRIS app. So the tender needs a staff
PIN, is journaled with who confirmed it, and is "unverified" (no acquirer payment holds
its reference) until a settlement report matches it (``kiosk report settlement``).
"""

from __future__ import annotations

import secrets

from kiosk.domain.sale import TenderRecord
from kiosk.services.business_day import utc_stamp
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService

STATIC_PREFIX = "STATIC-"
EVENT = "qris_static_confirmed"


def confirm_static_qris(
    checkout: CheckoutService, staff: StaffService, pin: str, amount: int
) -> TenderRecord:
    """Take ``amount`` as a QRIS tender confirmed by the staff member whose PIN this is
    (a wrong PIN raises and counts towards the lock-out; nothing is taken)."""
    member = StaffService.require(staff.login_pin(pin), "qris_static")
    basket_id = checkout.basket.basket_id
    reference = f"{STATIC_PREFIX}{basket_id[:12]}-{secrets.token_hex(3)}"
    record = checkout.pay_qris(amount, reference=reference)
    payload = {"reference": reference, "amount": amount, "staff_id": member.staff_id,
               "staff_name": member.name, "unverified": True}  # fmt: skip
    checkout.ledger.record_event(EVENT, basket_id, payload, utc_stamp(checkout.clock))
    return record
