"""The books against the journal: the checks ``journal.verify`` runs after the chain.

The chain proves the journal is whole; these prove the tables the reports add up say what
the journal says. Each sale's rows in ``sales``, ``sale_lines``, ``sale_taxes`` and
``tenders`` are rebuilt from its hash-chained record (``sale_rows``, the same code the
ledger inserts with) and compared column by column; the device counter must equal the
last receipt in the journal (deleting the last sale from every table leaves the counter
ahead); and every outbox row that claims a journal record must match it.

Each check returns ``(seq, problem)`` for the first thing wrong, or ``(None, "")``.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from kiosk.domain.sale import CompletedSale
from kiosk.storage import sale_rows
from kiosk.storage.sale_rows import COLUMNS, ROW_NAMES, Row

Finding = tuple[int | None, str]
OK: Finding = (None, "")


def _keyed(table: str, rows: list[Row]) -> dict[Any, Row]:
    """Rows by their key within the sale: the sale id for the one ``sales`` row, else the
    column after ``sale_id`` (line_no, rate_percent, seq)."""
    return {row[0] if table == "sales" else row[1]: row for row in rows}


def _compare(table: str, expected: list[Row], stored: list[Row]) -> str:
    """What differs between the rows the journal implies and the stored ones ('' if none)."""
    columns, what = COLUMNS[table], ROW_NAMES[table]
    want, have = _keyed(table, expected), _keyed(table, stored)
    for key, row in want.items():
        if key not in have:
            return f"{what} {key} is missing from {table}"
        for name, value, found in zip(columns, row, have[key], strict=True):
            if value != found:
                return f"{table}.{name} of {what} {key} is {found!r}, the journal says {value!r}"
    for key in have.keys() - want.keys():
        return f"{table} has a {what} {key} the journal does not"
    return ""


def check_sale_rows(conn: sqlite3.Connection) -> Finding:
    """Every sale's rows against its journal record."""
    records = conn.execute("SELECT seq, ref, payload FROM journal WHERE kind = 'sale' ORDER BY seq")
    for seq, ref, payload in records:
        sale = CompletedSale.from_dict(json.loads(payload))
        expected = sale_rows.rows_of(sale, payload)
        stored = sale_rows.stored_rows(conn, ref)
        if not stored["sales"]:
            return seq, f"journal record {seq} is sale {ref}, which the sales table lacks"
        for table in COLUMNS:
            problem = _compare(table, expected[table], stored[table])
            if problem:
                return seq, (
                    f"sale {ref} (receipt {sale.receipt_no}, journal record {seq}): {problem}"
                )
    return OK


def _unjournaled(conn: sqlite3.Connection, table: str, column: str, where: str = "1") -> Any:
    """The first ``column`` value of ``table`` naming a sale the journal does not have."""
    row = conn.execute(
        f"SELECT {column} FROM {table} t WHERE {where} AND NOT EXISTS (SELECT 1 FROM journal j"
        f" WHERE j.ref = t.{column} AND j.kind = 'sale') LIMIT 1"
    ).fetchone()
    return None if row is None else row[0]


def check_orphan_rows(conn: sqlite3.Connection, last_seq: int) -> Finding:
    """Lines, taxes or tenders of a sale the journal does not know, or an outbox row that
    publishes one."""
    for table in ("sale_lines", "sale_taxes", "tenders"):
        sale_id = _unjournaled(conn, table, "sale_id")
        if sale_id is not None:
            return last_seq + 1, f"{table} has rows of sale {sale_id}, which the journal lacks"
    sale_id = _unjournaled(conn, "outbox", "message_id", "t.topic = 'sale'")
    if sale_id is not None:
        return last_seq + 1, f"the outbox publishes sale {sale_id}, which the journal lacks"
    return OK


def check_counters(conn: sqlite3.Connection, last_seq: int) -> Finding:
    """Each device's receipt counter against the receipts in the (verified) sales."""
    rows = conn.execute(
        "SELECT c.device_id, c.last_receipt_no, count(s.sale_id), max(s.receipt_no)"
        " FROM device_counters c LEFT JOIN sales s ON s.device_id = c.device_id"
        " GROUP BY c.device_id ORDER BY c.device_id"
    )
    for device, counter, count, max_receipt in rows:
        last = max_receipt or 0
        if counter > last:
            return last_seq + 1, (
                f"device {device} issued receipt {counter} (device_counters), but the last "
                f"sale in the journal is receipt {last}: the last sales were deleted"
            )
        if counter < last:
            return last_seq + 1, (
                f"device_counters says device {device} issued receipts up to {counter}, "
                f"but the journal has receipt {last}: the counter was edited"
            )
        if count != last:
            return last_seq + 1, (
                f"receipts of device {device} are not gap-free: {count} sales for "
                f"receipts 1..{last}"
            )
    row = conn.execute(
        "SELECT device_id FROM sales s WHERE NOT EXISTS"
        " (SELECT 1 FROM device_counters c WHERE c.device_id = s.device_id) LIMIT 1"
    ).fetchone()
    if row:
        return last_seq + 1, f"device {row[0]} has sales but no receipt counter"
    return OK


def check_outbox(conn: sqlite3.Connection, last_seq: int) -> Finding:
    """Outbox events that publish a journal record (``DEVICE:journal:SEQ``) must match it
    (sales are matched by ``journal._cross_check`` and ``check_orphan_rows``)."""
    events = conn.execute(
        "SELECT o.id, o.payload, j.seq, j.kind, j.ref, j.created_at, j.payload FROM outbox o"
        " LEFT JOIN journal j ON j.seq = CAST(substr(o.message_id,"
        " instr(o.message_id, ':journal:') + 9) AS INTEGER)"
        " WHERE o.topic = 'event' AND o.message_id LIKE '%:journal:%' ORDER BY o.id"
    )
    for box_id, text, seq, kind, ref, created_at, payload in events:
        message = json.loads(text)
        if seq is None:
            return last_seq + 1, (
                f"outbox row {box_id} publishes journal record {message.get('seq')}, "
                "which the journal lacks"
            )
        claimed = (message.get("kind"), message.get("ref"), message.get("at"),
                   message.get("payload"))  # fmt: skip
        if claimed != (kind, ref, created_at, json.loads(payload)):
            return seq, f"outbox row {box_id} differs from journal record {seq}"
    return OK
