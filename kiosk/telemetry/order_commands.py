"""``cmd/order``: an online order for the store (action ``place``) is stored in the
ledger once and holds its units; a ``cancel`` (the owner's or the channel's) frees them;
``delivered`` (the channel's word) takes a delivery the rider took off the till's list.
Each runs inside the command's transaction, so the order, its reservation and its
``received`` message for the fleet are one commit."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from kiosk.contract.messages import utc_now_iso
from kiosk.storage import online_orders
from kiosk.telemetry.command_types import CommandContext, CommandHandler


def order_handler(on_change: Callable[[str], None] | None = None) -> CommandHandler:
    def apply(conn: sqlite3.Connection, body: dict[str, Any], context: CommandContext) -> Any:
        origin = {"store_id": context.store_id, "device_id": context.device_id}
        order_id = body["order_id"]
        if body["action"] == "place":
            stored = online_orders.receive(conn, body, origin, utc_now_iso())
            return {"order_id": order_id, "outcome": "stored" if stored else "already"}
        order = online_orders.get(conn, order_id)
        if order is None:
            return {"order_id": order_id, "outcome": "unknown"}
        if body["action"] == "delivered":
            if order["status"] == "collected" and order["fulfilment"].get("kind") == "delivery":
                online_orders.deliver(conn, order_id, origin, utc_now_iso())
                return {"order_id": order_id, "outcome": "delivered"}
            return {"order_id": order_id, "outcome": order["status"]}
        if order["status"] in online_orders.FINAL:
            return {"order_id": order_id, "outcome": order["status"]}
        online_orders.cancel(conn, order_id, body.get("reason") or "cancelled by the owner",
                             origin, utc_now_iso())  # fmt: skip
        return {"order_id": order_id, "outcome": "cancelled"}

    after = None if on_change is None else (lambda body: on_change("order"))
    return CommandHandler(apply, after)
