"""Online orders in the kiosk's ledger (migration 0011): stored once per order id, stock
held per line, every change of state queued for the fleet (an ``order`` message) in the
transaction that makes it.

States: ``received`` -> ``accepted`` -> ``packed`` -> ``ready`` -> ``collected``, or
``cancelled`` (with a reason) from any but ``collected``; ``short`` is a flag. A delivery
order is ``collected`` when the rider takes it (the sale) and stays on the till's list,
on its way, until ``delivered`` (marked at the till or reported by its channel). A line
holds ``reserved`` units until the order is collected (the sale moves the stock) or
cancelled. When a till sale takes units an order holds, the till sale wins: the newest
orders holding that sku give up units and their lines are flagged short.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from kiosk.contract.messages import alert_message, order_status_message
from kiosk.domain.errors import ShownError
from kiosk.domain.sale import CompletedSale
from kiosk.storage import outbox
from kiosk.storage.db import canonical_json, transaction

FLOW = ("received", "accepted", "packed", "ready", "collected")
FINAL = ("collected", "delivered", "cancelled")
# Open on the till: not final, or a delivery the rider took and has not delivered yet.
_OPEN = ("(status NOT IN ('collected', 'delivered', 'cancelled') OR (status = 'collected'"
         " AND json_extract(body, '$.fulfilment.kind') = 'delivery'))")  # fmt: skip


class OrderStateError(ValueError):
    """An order cannot make this step (unknown, final, or a step back); says why."""


class OrderCancelledError(ShownError):
    """The sale of a prepaid order that was cancelled meanwhile (its cancel reached the
    till between the pickup scan and the sale): refused, so the fleet, which refunds a
    cancelled order once the till confirmed the cancel, never refunds goods handed over."""


def _tell(conn: sqlite3.Connection, origin: Mapping[str, str], order_id: str, status: str,
          at: str, **extra: Any) -> None:  # fmt: skip
    message = order_status_message(origin["store_id"], origin["device_id"], order_id, status,
                                   at, **extra)  # fmt: skip
    outbox.enqueue(conn, message.topic, message.message_id, message.payload, at)


def held(conn: sqlite3.Connection, skus: Iterable[str] | None = None) -> dict[str, int]:
    """Units held by open orders, per sku."""
    rows = conn.execute(
        "SELECT sku, sum(reserved) FROM online_order_lines WHERE reserved > 0 GROUP BY sku"
    ).fetchall()
    wanted = None if skus is None else set(skus)
    return {sku: int(n) for sku, n in rows if wanted is None or sku in wanted}


def _level(conn: sqlite3.Connection, sku: str) -> int | None:
    row = conn.execute("SELECT qty FROM stock_levels WHERE sku = ?", (sku,)).fetchone()
    return None if row is None else int(row[0])


def available(conn: sqlite3.Connection, sku: str) -> int | None:
    """On hand - held by orders; None for a sku the shop does not count."""
    level = _level(conn, sku)
    return None if level is None else level - held(conn, [sku]).get(sku, 0)


def receive(conn: sqlite3.Connection, body: Mapping[str, Any], origin: Mapping[str, str],
            at: str) -> bool:  # fmt: skip
    """Store a ``cmd/order`` (action place) once and hold its units; False for a repeat.
    A line the counted stock cannot cover is held anyway and flagged short at once."""
    with transaction(conn):
        if conn.execute("SELECT 1 FROM online_orders WHERE order_id = ?",
                        (body["order_id"],)).fetchone():  # fmt: skip
            return False
        conn.execute(
            "INSERT INTO online_orders(order_id, channel, external_id, status, prepaid, total,"
            " received_at, updated_at, body) VALUES (?, ?, ?, 'received', ?, ?, ?, ?, ?)",
            (body["order_id"], body["channel"], body.get("external_id", ""),
             int(body["prepaid"]), body["total"], at, at, canonical_json(dict(body))),
        )  # fmt: skip
        short = []
        for line_no, line in enumerate(body["lines"], start=1):
            left = available(conn, line["sku"])
            is_short = left is not None and left < line["qty"]
            conn.execute(
                "INSERT INTO online_order_lines(order_id, line_no, sku, qty, reserved, short)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (body["order_id"], line_no, line["sku"], line["qty"], line["qty"], int(is_short)),
            )
            if is_short:
                short.append(line["sku"])
        _tell(conn, origin, body["order_id"], "received", at)
        if short:
            conn.execute("UPDATE online_orders SET short = 1 WHERE order_id = ?",
                         (body["order_id"],))  # fmt: skip
            _tell(conn, origin, body["order_id"], "short", at, short_skus=short)
    return True


def get(conn: sqlite3.Connection, order_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT order_id, channel, external_id, status, prepaid, total, short, reason,"
        " sale_id, received_at, updated_at, body FROM online_orders WHERE order_id = ?",
        (order_id,),
    ).fetchone()
    return None if row is None else _view(conn, row)


def _view(conn: sqlite3.Connection, row: tuple[Any, ...]) -> dict[str, Any]:
    (order_id, channel, external_id, status, prepaid, total, short, reason, sale_id,
     received_at, updated_at, body) = row  # fmt: skip
    doc = json.loads(body)
    flags = dict(conn.execute(
        "SELECT line_no, short FROM online_order_lines WHERE order_id = ?", (order_id,)
    ).fetchall())  # fmt: skip
    lines = [{**line, "short": bool(flags.get(n, 0))} for n, line in enumerate(doc["lines"], 1)]
    return {"order_id": order_id, "channel": channel, "external_id": external_id,
            "status": status, "lines": lines, "total": int(total),
            "paid": bool(prepaid) or status == "collected", "prepaid": bool(prepaid),
            "short": bool(short), "reason": reason, "sale_id": sale_id,
            "customer": doc.get("customer", {}), "fulfilment": doc.get("fulfilment", {}),
            "payment_reference": doc.get("payment_reference", ""),
            "received_at": received_at, "updated_at": updated_at}  # fmt: skip


def listing(conn: sqlite3.Connection, *, open_only: bool = False) -> list[dict[str, Any]]:
    """The till's online orders, oldest first (open ones only when asked)."""
    where = f" WHERE {_OPEN}" if open_only else ""
    rows = conn.execute(
        "SELECT order_id, channel, external_id, status, prepaid, total, short, reason,"
        f" sale_id, received_at, updated_at, body FROM online_orders{where}"
        " ORDER BY received_at, order_id"
    ).fetchall()
    return [_view(conn, row) for row in rows]


def advance(conn: sqlite3.Connection, order_id: str, status: str, origin: Mapping[str, str],
            at: str) -> dict[str, Any]:  # fmt: skip
    """Move an order forward to ``accepted``, ``packed`` or ``ready``."""
    with transaction(conn):
        order = get(conn, order_id)
        if order is None:
            raise OrderStateError(f"no online order {order_id} on this till")
        if order["status"] in FINAL:
            raise OrderStateError(f"order {order_id} is already {order['status']}")
        if FLOW.index(status) <= FLOW.index(order["status"]):
            raise OrderStateError(f"order {order_id} is already {order['status']}")
        conn.execute("UPDATE online_orders SET status = ?, updated_at = ? WHERE order_id = ?",
                     (status, at, order_id))  # fmt: skip
        _tell(conn, origin, order_id, status, at)
    found = get(conn, order_id)
    assert found is not None
    return found


def cancel(conn: sqlite3.Connection, order_id: str, reason: str, origin: Mapping[str, str],
           at: str) -> dict[str, Any]:  # fmt: skip
    """Cancel an order that is not collected; its units are free again."""
    if not reason.strip():
        raise OrderStateError("a cancel needs a reason")
    with transaction(conn):
        order = get(conn, order_id)
        if order is None:
            raise OrderStateError(f"no online order {order_id} on this till")
        if order["status"] in FINAL:
            raise OrderStateError(f"order {order_id} is already {order['status']}")
        conn.execute("UPDATE online_orders SET status = 'cancelled', reason = ?, updated_at = ?"
                     " WHERE order_id = ?", (reason.strip()[:200], at, order_id))  # fmt: skip
        conn.execute("UPDATE online_order_lines SET reserved = 0 WHERE order_id = ?", (order_id,))
        _tell(conn, origin, order_id, "cancelled", at, reason=reason.strip()[:200])
    found = get(conn, order_id)
    assert found is not None
    return found


def deliver(conn: sqlite3.Connection, order_id: str, origin: Mapping[str, str],
            at: str) -> dict[str, Any] | None:  # fmt: skip
    """A delivery order the rider took (``collected``) reached the customer. None when it
    already had (a repeat of the channel's word changes nothing)."""
    with transaction(conn):
        order = get(conn, order_id)
        if order is None:
            raise OrderStateError(f"no online order {order_id} on this till")
        if order["fulfilment"].get("kind") != "delivery":
            raise OrderStateError(f"order {order_id} is picked up, not delivered")
        if order["status"] == "delivered":
            return None
        if order["status"] != "collected":
            raise OrderStateError(f"order {order_id} has not left the store ({order['status']})")
        conn.execute("UPDATE online_orders SET status = 'delivered', updated_at = ?"
                     " WHERE order_id = ?", (at, order_id))  # fmt: skip
        _tell(conn, origin, order_id, "delivered", at)
    return get(conn, order_id)


def after_sale(conn: sqlite3.Connection, sale: CompletedSale, origin: Mapping[str, str]) -> None:
    """In the sale's transaction: an order's own sale collects it; any other sale that
    took units orders hold makes the newest of those orders short."""
    order_id = str(sale.extra.get("order_id", "")) if isinstance(sale.extra, dict) else ""
    if order_id:
        row = conn.execute("SELECT status, prepaid, body FROM online_orders WHERE order_id = ?",
                           (order_id,)).fetchone()  # fmt: skip
        if row is not None and row[0] == "cancelled" and row[1]:
            name = json.loads(row[2]).get("customer", {}).get("name", "") or order_id[:8]
            raise OrderCancelledError.of("checkout.order_cancelled", name=name)
        # A pay-at-pickup order cancelled meanwhile is still collected: paid here, nothing
        # to refund, and the fleet takes a till's collection over a cancel.
        conn.execute("UPDATE online_orders SET status = 'collected', sale_id = ?, updated_at = ?"
                     " WHERE order_id = ?", (sale.sale_id, sale.created_at, order_id))  # fmt: skip
        conn.execute("UPDATE online_order_lines SET reserved = 0 WHERE order_id = ?", (order_id,))
        _tell(conn, origin, order_id, "collected", sale.created_at, sale_id=sale.sale_id)
        return
    sold: dict[str, int] = {}
    for line in sale.lines:
        if line.weight_g is None:
            sold[line.sku] = sold.get(line.sku, 0) + line.qty
    holding = held(conn, sold)
    short: dict[str, list[str]] = {}
    for sku, units in holding.items():
        level = _level(conn, sku)
        if level is None or level + sold[sku] <= 0:  # nothing counted was there to hold
            continue
        excess = units - max(level, 0)
        rows = conn.execute(
            "SELECT l.order_id, l.line_no, l.reserved FROM online_order_lines l"
            " JOIN online_orders o ON o.order_id = l.order_id"
            " WHERE l.sku = ? AND l.reserved > 0 ORDER BY o.received_at DESC, o.order_id DESC",
            (sku,),
        ).fetchall()
        for line_order, line_no, reserved in rows:
            if excess <= 0:
                break
            give = min(excess, int(reserved))
            excess -= give
            conn.execute(
                "UPDATE online_order_lines SET reserved = reserved - ?, short = 1"
                " WHERE order_id = ? AND line_no = ?", (give, line_order, line_no),
            )  # fmt: skip
            short.setdefault(line_order, []).append(sku)
    for line_order, skus in short.items():
        conn.execute("UPDATE online_orders SET short = 1, updated_at = ? WHERE order_id = ?",
                     (sale.created_at, line_order))  # fmt: skip
        _tell(conn, origin, line_order, "short", sale.created_at, short_skus=sorted(set(skus)))
        # The staff are told too: an alert the dashboard shows beside the order's flag.
        alert = alert_message(
            origin["store_id"], origin["device_id"], "other",
            f"online order {line_order[:8]} is short of {', '.join(sorted(set(skus)))}: "
            "a till sale took the last units", sale.created_at,
            detail={"order_id": line_order, "skus": sorted(set(skus)), "reason": "order_short"},
        )  # fmt: skip
        outbox.enqueue(conn, alert.topic, alert.message_id, alert.payload, sale.created_at)
