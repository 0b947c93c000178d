"""The rows a sale becomes in the tables the reports add up, derived in one place.

The ledger inserts exactly these rows; ``journal.verify`` rebuilds them from each sale's
hash-chained record and compares them with what is stored, so an edited amount, a
deleted line or an added tender in ``sales``, ``sale_lines``, ``sale_taxes`` or
``tenders`` is named.

Voids: lines removed from the basket before payment are counted from ``sale.extra``
(``kiosk.domain.sale.void_totals``, which the fleet uses too); 0 when absent.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from kiosk.domain.sale import CompletedSale, void_totals

Row = tuple[Any, ...]

# table -> its columns, in insert order; the first ones identify a row within the sale.
COLUMNS: dict[str, tuple[str, ...]] = {
    "sales": (
        "sale_id", "device_id", "receipt_no", "business_date", "created_at", "total",
        "discount_total", "gross", "cash_rounding", "change", "cashier", "member_id", "mode",
        "void_count", "void_amount", "body",
    ),
    "sale_lines": (
        "sale_id", "line_no", "sku", "name", "qty", "unit_price", "gross", "discount",
        "amount", "tax_rate_percent", "barcode", "category", "weight_g",
    ),
    "sale_taxes": ("sale_id", "rate_percent", "taxable", "dpp", "ppn"),
    "tenders": (
        "sale_id", "seq", "method", "amount", "given", "reference", "approval_code",
        "masked_pan", "terminal_id",
    ),
}  # fmt: skip
# What a person reading a verify message calls one row of each table.
ROW_NAMES = {"sales": "totals", "sale_lines": "line", "sale_taxes": "tax", "tenders": "tender"}


def voids(sale: CompletedSale) -> tuple[int, int]:
    """(count, amount) of lines voided before payment (``void_totals`` of its extra)."""
    try:
        return void_totals(sale.extra)
    except ValueError as err:
        raise ValueError(f"sale {sale.sale_id}: {err}") from None


def sale_row(sale: CompletedSale, body: str) -> Row:
    void_count, void_amount = voids(sale)
    return (
        sale.sale_id, sale.device_id, sale.receipt_no, sale.business_date, sale.created_at,
        sale.total, sale.discount_total, sale.gross, sale.cash_rounding, sale.change,
        sale.cashier, sale.member_id, sale.mode, void_count, void_amount, body,
    )  # fmt: skip


def line_rows(sale: CompletedSale) -> list[Row]:
    return [
        (
            sale.sale_id,
            ln.line_no,
            ln.sku,
            ln.name,
            ln.qty,
            ln.unit_price,
            ln.gross,
            ln.discount,
            ln.amount,
            ln.tax_rate_percent,
            ln.barcode,
            ln.category,
            ln.weight_g,
        )
        for ln in sale.lines
    ]


def tax_rows(sale: CompletedSale) -> list[Row]:
    return [(sale.sale_id, t.rate_percent, t.taxable, t.dpp, t.ppn) for t in sale.taxes]


def tender_rows(sale: CompletedSale) -> list[Row]:
    return [
        (
            sale.sale_id,
            seq,
            t.method,
            t.amount,
            t.given,
            t.reference,
            t.approval_code,
            t.masked_pan,
            t.terminal_id,
        )
        for seq, t in enumerate(sale.tenders, start=1)
    ]


def rows_of(sale: CompletedSale, body: str) -> dict[str, list[Row]]:
    """Every row the sale becomes, by table."""
    return {
        "sales": [sale_row(sale, body)],
        "sale_lines": line_rows(sale),
        "sale_taxes": tax_rows(sale),
        "tenders": tender_rows(sale),
    }


def insert_sql(table: str) -> str:
    columns = COLUMNS[table]
    return f"INSERT INTO {table}({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def insert(conn: sqlite3.Connection, sale: CompletedSale, body: str) -> None:
    """Insert the sale's rows (inside the caller's transaction)."""
    for table, rows in rows_of(sale, body).items():
        conn.executemany(insert_sql(table), rows)


def stored_rows(conn: sqlite3.Connection, sale_id: str) -> dict[str, list[Row]]:
    """The rows stored for ``sale_id``, by table, in the order ``rows_of`` builds them."""
    found: dict[str, list[Row]] = {}
    for table, columns in COLUMNS.items():
        order = ", ".join(columns[:2])
        found[table] = [
            tuple(row)
            for row in conn.execute(
                f"SELECT {', '.join(columns)} FROM {table} WHERE sale_id = ? ORDER BY {order}",
                (sale_id,),
            )
        ]
    return found
