"""Stock changes, stock snapshots and alerts, each queued for the fleet in the same
transaction as the thing it reports (so the fleet never hears of a change that was
rolled back, and never misses one that was committed).

Documents are built by ``kiosk.contract.messages`` (pure builders that validate what
they build against docs/messages.md).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from typing import Any

from kiosk.contract.messages import OutboxMessage, alert_message, stock_message
from kiosk.storage import outbox, stock
from kiosk.storage.db import transaction


def _enqueue(conn: sqlite3.Connection, message: OutboxMessage, at: str) -> None:
    outbox.enqueue(conn, message.topic, message.message_id, message.payload, at)


def adjust_stock(
    conn: sqlite3.Connection, *, store_id: str, device_id: str,
    changes: Iterable[tuple[str, int]], reason: str, ref: str, at: str,
) -> dict[str, int]:  # fmt: skip
    """Apply stock moves (receiving, count corrections, shrinkage) all-or-nothing and
    queue one ``stock`` change message; returns the new levels."""
    items: list[dict[str, Any]] = []
    with transaction(conn):
        for sku, delta in changes:
            qty = stock.adjust(conn, sku, delta, reason, ref, at)
            items.append({"sku": sku, "qty": qty, "delta": delta, "reason": reason, "ref": ref})
        if not items:
            raise ValueError("a stock adjustment needs at least one item")
        _enqueue(conn, stock_message(store_id, device_id, "change", items, at), at)
    return {item["sku"]: item["qty"] for item in items}


def stock_snapshot(conn: sqlite3.Connection, *, store_id: str, device_id: str, at: str) -> int:
    """Queue every stocked SKU with its level (on request, or daily); returns the count."""
    with transaction(conn):
        levels = stock.levels(conn)
        items = [{"sku": sku, "qty": qty} for sku, qty in levels.items()]
        _enqueue(conn, stock_message(store_id, device_id, "snapshot", items, at), at)
    return len(items)


def raise_alert(
    conn: sqlite3.Connection, *, store_id: str, device_id: str, kind: str, message: str,
    at: str, severity: str = "warning", detail: Mapping[str, Any] | None = None,
    cleared: bool = False,
) -> str:  # fmt: skip
    """Queue an alert (joins the caller's transaction); returns its id."""
    built = alert_message(store_id, device_id, kind, message, at, severity=severity,
                          detail=detail, cleared=cleared)  # fmt: skip
    with transaction(conn):
        _enqueue(conn, built, at)
    return built.message_id


def low_stock_alerts(
    conn: sqlite3.Connection, *, store_id: str, device_id: str,
    moved: Mapping[str, int], threshold: int, at: str,
) -> int:  # fmt: skip
    """Within a sale's transaction: alert for each SKU whose level just fell to or below
    ``threshold`` (crossing only, so a slow seller does not alert on every sale)."""
    raised = 0
    for sku, delta in moved.items():
        after = stock.level(conn, sku)
        before = after - delta
        if before > threshold >= after:
            raise_alert(conn, store_id=store_id, device_id=device_id, kind="low_stock",
                        message=f"{sku}: {after} left (threshold {threshold})", at=at,
                        detail={"sku": sku, "qty": after, "threshold": threshold})  # fmt: skip
            raised += 1
    return raised
