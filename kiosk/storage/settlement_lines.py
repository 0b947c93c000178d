"""Settlement report lines kept in the ledger, and the till's non-cash tenders of a day,
as ``kiosk.domain.settlement.reconcile`` takes them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from kiosk.domain.settlement import ReportLine, TillTender

_COLUMNS = ("reference", "amount", "fee", "status", "time", "method", "line_no")


def store(conn: sqlite3.Connection, lines: Iterable[ReportLine], source: str, at: str) -> int:
    """Keep ``lines`` (a reference seen before is replaced); returns how many."""
    rows = [
        (x.reference, x.amount, x.fee, x.status, x.time, x.method, x.line_no, source, at)
        for x in lines
    ]
    conn.executemany(
        "INSERT OR REPLACE INTO settlement_lines"
        f"({', '.join(_COLUMNS)}, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    return len(rows)


def day_tenders(conn: sqlite3.Connection, business_date: str) -> list[TillTender]:
    """The day's card and QRIS tenders. A QRIS tender no acquirer confirmed to this till
    (no gateway payment with its reference) is unverified until a report matches it."""
    rows = conn.execute(
        "SELECT t.reference, t.amount, t.method, s.sale_id, s.business_date,"
        " t.method = 'qris' AND NOT EXISTS (SELECT 1 FROM qris_payments q"
        "   WHERE q.order_id = t.reference AND q.state IN ('paid', 'applied'))"
        " FROM tenders t JOIN sales s ON s.sale_id = t.sale_id"
        " WHERE s.business_date = ? AND t.method != 'cash' ORDER BY s.created_at, t.seq",
        (business_date,),
    ).fetchall()
    return [TillTender(str(r[0]), int(r[1]), str(r[2]), str(r[3]), str(r[4]), bool(r[5]))
            for r in rows]  # fmt: skip


def lines_for(
    conn: sqlite3.Connection, business_date: str, references: set[str]
) -> list[ReportLine]:
    """Stored lines for the day's tenders (whenever they settled) and the lines dated
    that day that no till tender names (paid at the bank, missing at the till)."""
    rows = conn.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM settlement_lines ORDER BY reference"
    ).fetchall()
    known = conn.execute("SELECT reference FROM tenders WHERE method != 'cash'").fetchall()
    till_refs = {str(r[0]) for r in known}
    found = []
    for r in rows:
        line = ReportLine(str(r[0]), int(r[1]), int(r[2]), str(r[3]), str(r[4]), str(r[5]),
                          int(r[6]))  # fmt: skip
        if line.reference in references or (
            line.reference not in till_refs and line.time.startswith(business_date)
        ):
            found.append(line)
    return found
