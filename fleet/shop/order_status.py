"""What happens to an order after it is placed: the kiosks' ``order`` messages (stored
by ingest), the owner's cancel of an order no kiosk has received, and the views of an
order for the customer's page and the owner.

A status never goes back (a redelivered ``accepted`` after ``ready`` changes nothing);
``short`` is a flag beside the status; ``collected`` and ``cancelled`` are final, but
for a delivery: ``collected`` is the rider taking it from the store, and ``delivered``
(reported by the connector or marked at the till) ends it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from fleet.services import commands
from fleet.services.users import Access
from fleet.shop import settings
from fleet.shop.orders import OrderError, send
from fleet.storage.shop_schema import orders
from kiosk.contract.messages import utc_now_iso
from kiosk.domain.sale import iso_utc

log = logging.getLogger(__name__)
OPEN = ("awaiting_payment", "placed", "received", "accepted", "packed", "ready")
RANK = {"awaiting_payment": 0, "placed": 1, "received": 2, "accepted": 3, "packed": 4,
        "ready": 5, "collected": 6, "cancelled": 6, "delivered": 7}  # fmt: skip


def apply_status(conn: sa.Connection, doc: Mapping[str, Any]) -> bool:
    """A kiosk's ``order`` message; False when it changes nothing (unknown order, another
    store's, a repeat or a step back)."""
    o = orders
    row = conn.execute(
        sa.select(o).where(o.c.order_id == doc["order_id"], o.c.store_id == doc["store_id"])
        .with_for_update()  # a refund claimed meanwhile is seen, or waits and misses
    ).first()  # fmt: skip
    if row is None:
        return False
    body = json.loads(row.body)
    entry = {"status": doc["status"], "at": doc["at"], "device_id": doc["device_id"]}
    for key in ("reason", "sale_id"):
        if doc.get(key):
            entry[key] = doc[key]
    if doc["status"] == "short":
        entry["skus"] = list(doc.get("short_skus", []))
        if entry in body["history"]:
            return False
        body["history"].append(entry)
        conn.execute(sa.update(o).where(o.c.order_id == row.order_id)
                     .values(short=True, body=json.dumps(body, sort_keys=True)))  # fmt: skip
        return True
    noted = _noted(body, doc, row.status)
    forward = RANK[doc["status"]] > RANK.get(row.status, 0) and not (
        doc["status"] == "delivered" and row.status != "collected"  # only what a rider took
    )
    if doc["status"] == "collected" and row.status == "cancelled":
        if (body.get("payment") or {}).get("refund"):
            # Not while refunds wait for the kiosks' confirmation; kept for the owner to see.
            log.warning("order %s was collected after its refund was started", row.order_id)
            body["history"].append({**entry, "after_refund": True})
            noted = True
        else:  # the till recorded the sale: the goods went, so the collection wins
            entry["over_cancel"] = True
            forward = True
    if not forward:
        if noted:
            conn.execute(sa.update(o).where(o.c.order_id == row.order_id)
                         .values(body=json.dumps(body, sort_keys=True)))  # fmt: skip
        return noted
    body["history"].append(entry)
    values: dict[str, Any] = {"status": doc["status"], "status_at": doc["at"],
                              "body": json.dumps(body, sort_keys=True)}  # fmt: skip
    if doc.get("reason") or entry.get("over_cancel"):
        values["reason"] = str(doc.get("reason") or "")[:200]
    if doc.get("sale_id"):
        values["sale_id"] = doc["sale_id"]
    if not row.received_by:
        values["received_by"] = doc["device_id"]
    conn.execute(sa.update(o).where(o.c.order_id == row.order_id).values(**values))
    return True


def _noted(body: dict[str, Any], doc: Mapping[str, Any], status: str) -> bool:
    """Keep which kiosks reported the order and which of them confirmed its cancel: the
    refund of a cancelled prepaid order waits until every one of them has
    (``store_confirmed``). True when that changed."""
    if status in ("collected", "delivered"):
        return False
    changed = False
    for key, wanted in (("kiosks", True), ("cancel_confirmed", doc["status"] == "cancelled")):
        names = body.setdefault(key, [])
        if wanted and doc["device_id"] not in names:
            names.append(doc["device_id"])
            changed = True
    return changed


def store_confirmed(row: Any, body: Mapping[str, Any]) -> bool:
    """No till can still sell the order: it never went to the store, or every kiosk that
    reported it has confirmed the cancel (a kiosk refuses the sale of a cancelled prepaid
    order, and a collection that reached the fleet first keeps it collected). Until then
    a cancelled prepaid order is not refunded (``fleet.shop.payments``)."""
    if not row.sent:
        return True
    confirmed = set(body.get("cancel_confirmed", []))
    return bool(confirmed) and set(body.get("kiosks", [])) <= confirmed


def not_yet_received(row: Any, shop: Mapping[str, Any], now: datetime) -> bool:
    """Placed longer ago than the store's ``not_received_minutes`` and no kiosk has it."""
    if row.status != "placed":
        return False
    waited = now - datetime.fromisoformat(row.created_at)
    return waited >= timedelta(minutes=int(shop["not_received_minutes"]))


def step(status: str, fulfilment: Mapping[str, Any]) -> str:
    """The status as a person reads it: a delivery the rider took is ``on_the_way``."""
    on_its_way = status == "collected" and fulfilment.get("kind") == "delivery"
    return "on_the_way" if on_its_way else status


def view(row: Any, shop: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Everything about one order for its pages (the customer's and the owner's)."""
    body = json.loads(row.body)
    return {"order_id": row.order_id, "store_id": row.store_id, "channel": row.channel,
            "external_id": row.external_id, "status": row.status, "status_at": row.status_at,
            "step": step(row.status, body["fulfilment"]),
            "reason": row.reason, "short": bool(row.short), "prepaid": bool(row.prepaid),
            "total": int(row.total), "sale_id": row.sale_id, "token": row.token,
            "created_at": row.created_at, "customer": body["customer"],
            "lines": body["lines"], "fulfilment": body["fulfilment"],
            "history": body["history"], "payment": body.get("payment"),
            "sent": bool(row.sent), "store_whatsapp": shop["whatsapp"],
            "refund_waits": row.status == "cancelled" and bool(row.prepaid)
            and not (body.get("payment") or {}).get("refund")
            and not store_confirmed(row, body),
            "not_yet_received": not_yet_received(row, shop, now)}  # fmt: skip


def by_token(
    conn: sa.Connection, store_id: str, token: str, now: datetime
) -> dict[str, Any] | None:
    o = orders
    row = conn.execute(sa.select(o).where(o.c.token == token, o.c.store_id == store_id)).first()
    return None if row is None else view(row, settings.load(conn, store_id), now)


def store_orders(
    conn: sa.Connection, store_id: str, now: datetime, limit: int = 100
) -> list[dict[str, Any]]:
    """The store's latest orders, newest first."""
    o = orders
    shop = settings.load(conn, store_id)
    rows = conn.execute(sa.select(o).where(o.c.store_id == store_id)
                        .order_by(o.c.created_at.desc()).limit(limit))  # fmt: skip
    return [view(row, shop, now) for row in rows]


def owner_cancel(
    engine: sa.Engine, publish: commands.Publish | None, store_id: str, order_id: str,
    *, reason: str, now: datetime, by: Access,
) -> dict[str, Any]:  # fmt: skip
    """The owner cancels an order no kiosk has received (or one still awaiting payment);
    the kiosks are told, so a late delivery is not worked."""
    by.check_command(store_id)
    row = cancel(engine, publish, store_id, order_id, reason=reason, now=now, by=by,
                 allowed=("placed", "awaiting_payment"))  # fmt: skip
    with engine.connect() as conn:
        return view(row, settings.load(conn, store_id), now)


def cancel(
    engine: sa.Engine, publish: commands.Publish | None, store_id: str, order_id: str,
    *, reason: str, now: datetime, by: Access, allowed: tuple[str, ...], who: str = "",
) -> Any:  # fmt: skip
    """Cancel an order in one of the ``allowed`` states and tell the kiosks when it was
    sent to them (each frees its units and stops working it). A repeat (already
    cancelled) tells them again and changes nothing else. The order's row afterwards."""
    o = orders
    with engine.begin() as conn:
        row = _store_order(conn, store_id, order_id)
        if row.status not in (*allowed, "cancelled"):
            if row.status in ("collected", "delivered"):
                said = f"the order is already {row.status}: it cannot be cancelled"
                raise OrderError(409, "already_collected", said)
            said = f"the store has the order ({row.status}): cancel it at the till"
            raise OrderError(409, "already_at_store", said)
        if row.status != "cancelled":
            body = json.loads(row.body)
            entry = {"status": "cancelled", "at": iso_utc(now), "reason": reason}
            body["history"].append({**entry, "by": who} if who else entry)
            conn.execute(sa.update(o).where(o.c.order_id == order_id).values(
                status="cancelled", status_at=iso_utc(now), reason=reason[:200],
                body=json.dumps(body, sort_keys=True)))  # fmt: skip
    if row.sent:
        told = {"action": "cancel", "order_id": order_id, "reason": reason[:200]}
        _tell_kiosks(engine, publish, store_id, told, by=by, done="cancelled")
    with engine.connect() as conn:
        return conn.execute(sa.select(o).where(o.c.order_id == order_id)).one()


def _store_order(conn: sa.Connection, store_id: str, order_id: str) -> Any:
    o = orders
    row = conn.execute(
        sa.select(o).where(o.c.order_id == order_id, o.c.store_id == store_id)
    ).first()
    if row is None:
        raise OrderError(404, "unknown_order", f"no order {order_id} at this store")
    return row


def _tell_kiosks(
    engine: sa.Engine, publish: commands.Publish | None, store_id: str,
    body: dict[str, Any], *, by: Access, done: str,
) -> None:  # fmt: skip
    try:
        if publish is None:
            raise commands.CommandError("no broker")
        commands.send(engine, publish, "order", body, store_id=store_id,
                      device_id=commands.ALL, by=by)  # fmt: skip
    except commands.CommandError as err:
        raise OrderError(503, "broker_unavailable", f"the order is {done} here but the "
                         f"store could not be told ({err}); try again") from None  # fmt: skip


def mark_delivered(
    engine: sa.Engine, publish: commands.Publish | None, store_id: str, order_id: str,
    *, now: datetime, by: Access, who: str,
) -> Any:  # fmt: skip
    """A delivery order the rider took from the store (``collected``) reached the
    customer, as its connector reports; the kiosks are told, so it leaves the till's
    queue. A repeat changes nothing. The order's row afterwards."""
    o = orders
    with engine.begin() as conn:
        row = _store_order(conn, store_id, order_id)
        body = json.loads(row.body)
        if body["fulfilment"]["kind"] != "delivery":
            raise OrderError(409, "not_a_delivery", "this order is picked up, not delivered")
        if row.status not in ("collected", "delivered"):
            said = f"the rider has not taken the order from the store yet ({row.status})"
            raise OrderError(409, "not_picked_up", said)
        if row.status == "collected":
            body["history"].append({"status": "delivered", "at": iso_utc(now), "by": who})
            conn.execute(sa.update(o).where(o.c.order_id == order_id).values(
                status="delivered", status_at=iso_utc(now),
                body=json.dumps(body, sort_keys=True)))  # fmt: skip
    if row.status == "collected":
        told = {"action": "delivered", "order_id": order_id}
        _tell_kiosks(engine, publish, store_id, told, by=by, done="delivered")
    with engine.connect() as conn:
        return conn.execute(sa.select(o).where(o.c.order_id == order_id)).one()


def release_payment(engine: sa.Engine, publish: commands.Publish | None, order_id: str) -> Any:
    """A web order's online payment arrived: it becomes a prepaid, placed order and goes
    to the store."""
    o = orders
    with engine.begin() as conn:
        row = conn.execute(sa.select(o).where(o.c.order_id == order_id)).one()
        body = json.loads(row.body)
        body["history"].append({"status": "paid", "at": utc_now_iso()})
        changed = conn.execute(
            sa.update(o).where(o.c.order_id == order_id, o.c.status == "awaiting_payment")
            .values(status="placed", prepaid=True, body=json.dumps(body, sort_keys=True))
        ).rowcount  # fmt: skip
    if changed:
        return send(engine, publish, order_id)
    with engine.connect() as conn:
        return conn.execute(sa.select(o).where(o.c.order_id == order_id)).one()
