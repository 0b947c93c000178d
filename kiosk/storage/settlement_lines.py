"""Settlement report lines kept in the ledger (payments in settlement_lines, refunds in
settlement_refund_lines), and the till's card and QRIS tenders and refunds of a day, as
``kiosk.domain.settlement_refunds.reconcile_all`` takes them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from kiosk.domain.settlement import ReportLine, TillTender
from kiosk.domain.settlement_refunds import TillRefund

_COLUMNS = ("reference", "amount", "fee", "status", "time", "method", "line_no")


def store(conn: sqlite3.Connection, lines: Iterable[ReportLine], source: str, at: str) -> int:
    """Keep ``lines`` (a payment's reference, or a refund's key, seen before is replaced);
    returns how many."""
    lines = list(lines)
    rows = [
        (x.reference, x.amount, x.fee, x.status, x.time, x.method, x.line_no, source, at)
        for x in lines
        if not x.refund
    ]
    conn.executemany(
        "INSERT OR REPLACE INTO settlement_lines"
        f"({', '.join(_COLUMNS)}, source, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    refunds = [(x.refund_key or f"{x.reference}|{x.time}|{x.amount}", x.refund_key, x.reference,
                x.amount, x.fee, x.status, x.time, x.method, x.line_no, source, at)
               for x in lines if x.refund]  # fmt: skip
    conn.executemany(
        "INSERT OR REPLACE INTO settlement_refund_lines(line_key, refund_key, reference,"
        " amount, fee, status, time, method, line_no, source, imported_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        refunds,
    )
    return len(rows) + len(refunds)


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


def _till_refund(refund_id: str, tender: dict[str, object]) -> TillRefund:
    via = tender.get("via")
    via = via if isinstance(via, dict) else {}
    amount, method = -int(str(tender["amount"])), str(tender["paid_as"])
    if method == "qris":
        return TillRefund(str(via.get("refund_id", "")), str(via.get("order_id", "")), amount,
                          method, refund_id)  # fmt: skip
    key = str(via.get("refund_rrn") or via.get("ref") or "")
    return TillRefund(key, str(via.get("rrn", "")), amount, method, refund_id,
                      str(via.get("kind") or "refund"))  # fmt: skip


def day_refunds(conn: sqlite3.Connection, business_date: str) -> list[TillRefund]:
    """The card and QRIS shares the day's refunds gave back through their provider."""
    rows = conn.execute(
        "SELECT refund_id, body FROM refunds WHERE business_date = ? ORDER BY created_at",
        (business_date,),
    ).fetchall()
    return [_till_refund(str(r[0]), tender) for r in rows
            for tender in json.loads(r[1])["tenders"]
            if tender.get("paid_as") in ("card", "qris")]  # fmt: skip


def refund_lines_for(
    conn: sqlite3.Connection, business_date: str, refunds: list[TillRefund]
) -> list[ReportLine]:
    """Stored refund lines that name the day's refunds (their key, their payment or the
    refund's RRN), and those dated that day that name no refund of this till's."""
    ours = {x for r in refunds for x in (r.key, r.reference) if x}
    known = set()
    for (body,) in conn.execute("SELECT body FROM refunds"):
        for tender in json.loads(body)["tenders"]:
            if tender.get("paid_as") in ("card", "qris"):
                one = _till_refund("", tender)
                known |= {one.key, one.reference} - {""}
    rows = conn.execute(
        "SELECT reference, amount, fee, status, time, method, line_no, refund_key"
        " FROM settlement_refund_lines ORDER BY reference, line_key"
    ).fetchall()
    found = []
    for r in rows:
        line = ReportLine(str(r[0]), int(r[1]), int(r[2]), str(r[3]), str(r[4]), str(r[5]),
                          int(r[6]), refund=True, refund_key=str(r[7]))  # fmt: skip
        names = {line.reference, line.refund_key} - {""}
        if names & ours or (not names & known and line.time.startswith(business_date)):
            found.append(line)
    return found
