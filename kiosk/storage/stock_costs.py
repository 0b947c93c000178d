"""Receiving records, the moving average unit cost per SKU, and recent units sold (the
figures the stock report and reorder suggestions are built from)."""

from __future__ import annotations

import sqlite3


def record_receipt(  # noqa: PLR0917 (mirrors the stock_receipts row)
    conn: sqlite3.Connection, sku: str, qty: int, unit_cost: int, supplier: str, by: str,
    at: str, on_hand_before: int,
) -> int:  # fmt: skip
    """Record one delivery line and fold its cost into the SKU's moving average (stock
    below zero counts as none on hand); joins the caller's transaction. Returns the
    new average unit cost."""
    conn.execute(
        "INSERT INTO stock_receipts(sku, qty, unit_cost, supplier, received_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (sku, qty, unit_cost, supplier, by, at),
    )
    row = conn.execute("SELECT unit_cost FROM stock_costs WHERE sku = ?", (sku,)).fetchone()
    held = max(on_hand_before, 0) if row else 0
    old_cost = int(row[0]) if row else 0
    # Integer rupiah, rounded half up.
    average = (held * old_cost + qty * unit_cost + (held + qty) // 2) // (held + qty)
    conn.execute(
        "INSERT INTO stock_costs(sku, unit_cost, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(sku) DO UPDATE SET unit_cost = excluded.unit_cost,"
        " updated_at = excluded.updated_at",
        (sku, average, at),
    )
    return average


def costs(conn: sqlite3.Connection) -> dict[str, int]:
    return {
        str(sku): int(cost) for sku, cost in conn.execute("SELECT sku, unit_cost FROM stock_costs")
    }


def levels(conn: sqlite3.Connection) -> dict[str, int]:
    return {str(sku): int(qty) for sku, qty in conn.execute("SELECT sku, qty FROM stock_levels")}


def units_sold_since(conn: sqlite3.Connection, business_date: str) -> dict[str, int]:
    """Units (grams for weighed lines) sold per SKU on business days from ``business_date``."""
    rows = conn.execute(
        "SELECT l.sku, SUM(COALESCE(l.weight_g, l.qty)) FROM sale_lines l"
        " JOIN sales s ON s.sale_id = l.sale_id WHERE s.business_date >= ? GROUP BY l.sku",
        (business_date,),
    )
    return {str(sku): int(units) for sku, units in rows}
