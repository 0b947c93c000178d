"""Settling an order's refund stuck in "being refunded": the fleet claimed it and called
the acquirer, then stopped before it kept the answer. The refund loop never calls again
for it (that could pay twice); an owner or manager has the acquirer asked here instead.
Refunded: kept as done. Not refunded: released, and the refund loop makes it, but only
once the call is RELEASE_AFTER old: an acquirer may not list a refund it is still making
(Midtrans forwards it to the e-wallet and updates the transaction when that answers), and
releasing it then would pay twice. The acquirer still cannot say: it stays as it is.
Every check is kept in the order's history with who asked and what the acquirer said."""

from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from fleet.services.users import Access
from fleet.shop.orders import OrderError
from fleet.shop.payments import ShopAcquirer
from fleet.storage.shop_schema import orders

log = logging.getLogger(__name__)
OUTCOMES = {"refunded": "refunded", "not_refunded": "released", "unknown": "still_unknown"}
RELEASE_AFTER = timedelta(minutes=10)


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def stuck(row: Any) -> dict[str, Any] | None:
    """The order's refund when it waits for an answer ("calling"), else None."""
    refund = (json.loads(row.body).get("payment") or {}).get("refund") or {}
    return refund if refund.get("state") == "calling" else None


def check_refund(
    engine: sa.Engine, acquirer: ShopAcquirer | None, store_id: str, order_id: str,
    *, by: Access, now: str,
) -> str:  # fmt: skip
    """Ask the acquirer about ``order_id``'s stuck refund and keep its answer:
    "refunded", "released" or "still_unknown". OrderError when there is nothing to check."""
    by.check_command(store_id)
    o = orders
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(o).where(o.c.order_id == order_id, o.c.store_id == store_id)
        ).first()
    if row is None:
        raise OrderError(404, "unknown_order", f"no order {order_id} at this store")
    refund = stuck(row)
    if refund is None:
        raise OrderError(409, "refund_not_stuck", "this order has no refund waiting for an answer")
    if acquirer is None:
        raise OrderError(503, "no_acquirer", "no acquirer is set up to ask")
    body = json.loads(row.body)
    payment = body["payment"]
    try:
        said = acquirer.refund_state(payment["reference"])
    except Exception as err:  # the acquirer did not answer: it cannot say yet
        log.warning("refund of order %s: the acquirer did not answer: %s", order_id, err)
        said = "unknown"
    outcome = OUTCOMES[said]
    if said == "not_refunded" and _moment(now) - _moment(str(refund["at"])) < RELEASE_AFTER:
        outcome = "too_soon"  # it may still be on its way: ask again later
    body["history"].append({"status": "refund_check", "at": now, "by": by.user,
                            "acquirer_says": said, "outcome": outcome})  # fmt: skip
    if said == "refunded":
        payment["refund"] = {**refund, "state": "done", "checked_by": by.user, "at": now}
        body["history"].append({"status": "refunded", "at": now, "amount": refund["amount"],
                                "via": payment.get("provider", row.channel),
                                "checked_by": by.user})  # fmt: skip
    elif outcome == "released":
        payment.pop("refund")  # the refund loop makes it on its next round
    with engine.begin() as conn:
        changed = conn.execute(
            sa.update(o).where(o.c.order_id == order_id, o.c.body == row.body)
            .values(body=json.dumps(body, sort_keys=True))
        ).rowcount  # fmt: skip
    if not changed:
        raise OrderError(409, "refund_changed", "the order changed meanwhile: look again")
    return outcome
