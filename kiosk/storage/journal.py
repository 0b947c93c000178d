"""The electronic journal: every sale and notable event, hash-chained.

Record ``seq`` stores ``hash = sha256(prev_hash + canonical_json([seq, kind, ref,
created_at, payload]))`` (the formula is kiosk/contract/journal_hash.py, which the fleet
uses to check the links it receives) where ``prev_hash`` is the hash of record ``seq - 1`` (64 zeros
for the first). Editing, deleting, inserting or reordering records with SQL breaks the
chain, and :func:`verify` names the first record where it breaks. Truncating the tail is
caught by the cross-checks: every sale row needs its journal record and vice versa, and
the device's receipt counter must match the last sale. Then the books are checked against
the chain (``journal_books``): every sale's lines, taxes, tenders and totals, the
counters, and the outbox rows that publish journal records.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.contract.journal_hash import GENESIS_HASH, Entry, record_hash
from kiosk.storage import journal_books

__all__ = ["GENESIS_HASH", "Entry", "VerifyResult", "append", "record_hash", "verify"]

# How far from its seq a renumbered record's original seq is searched for (diagnosis only).
RENUMBER_SEARCH = 1000


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    records: int
    first_bad_seq: int | None = None
    problem: str = ""


def append(
    conn: sqlite3.Connection, kind: str, ref: str, created_at: str, payload: str
) -> tuple[int, str]:
    """Append a record inside the caller's open transaction; returns ``(seq, hash)``."""
    if not conn.in_transaction:
        raise RuntimeError("journal.append must run inside the caller's transaction")
    last = conn.execute("SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev_hash = (int(last[0]) + 1, str(last[1])) if last else (1, GENESIS_HASH)
    digest = record_hash(prev_hash, (seq, kind, ref, created_at, payload))
    conn.execute(
        "INSERT INTO journal(seq, kind, ref, created_at, payload, prev_hash, hash)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, kind, ref, created_at, payload, prev_hash, digest),
    )
    return seq, digest


def _seq_with_hash(conn: sqlite3.Connection, digest: str) -> int | None:
    # Only runs once a problem is found, so a full scan is acceptable.
    row = conn.execute("SELECT seq FROM journal WHERE hash = ? LIMIT 1", (digest,)).fetchone()
    return int(row[0]) if row else None


def _walk_chain(conn: sqlite3.Connection) -> tuple[int | None, str]:
    prev_hash, expected = GENESIS_HASH, 1
    rows = conn.execute(
        "SELECT seq, kind, ref, created_at, payload, prev_hash, hash FROM journal ORDER BY seq"
    )
    for seq, kind, ref, created_at, payload, stored_prev, stored_hash in rows:
        if seq != expected:
            after = f"record {expected - 1}" if expected > 1 else "the start"
            return expected, (
                f"journal record {expected} is missing (deleted): "
                f"{after} is followed by record {seq}"
            )
        entry: Entry = (seq, kind, ref, created_at, payload)
        if record_hash(stored_prev, entry) != stored_hash:
            return _explain_bad_hash(conn, entry, stored_prev, stored_hash)
        if stored_prev != prev_hash:
            return _explain_broken_link(conn, seq, stored_prev)
        prev_hash, expected = stored_hash, seq + 1
    return None, ""


def _explain_broken_link(conn: sqlite3.Connection, seq: int, stored_prev: str) -> tuple[int, str]:
    """A self-consistent record that does not chain to its predecessor."""
    origin = _seq_with_hash(conn, stored_prev)
    if origin is not None and origin < seq - 1:
        return origin + 1, (
            f"journal records {origin + 1}..{seq - 1} were inserted: "
            f"record {seq} chains to record {origin}"
        )
    if origin is not None and origin > seq:
        return seq, f"journal record {seq} is out of order: it chains to record {origin}"
    return seq, (
        f"journal record {seq} does not chain to record {seq - 1}: record {seq} was "
        f"inserted or record {seq - 1} was rewritten with a new hash"
    )


def _written_as(entry: Entry, stored_prev: str, stored_hash: str, hint: int | None) -> int | None:
    """The seq a moved record was written with: its hash commits to it. Tries the seq
    after the record its prev_hash points to, then nearby seqs."""
    seq = entry[0]
    candidates = [hint] if hint is not None else []
    for distance in range(1, RENUMBER_SEARCH + 1):
        candidates += [seq + distance, seq - distance]
    for candidate in candidates:
        if candidate > 0 and record_hash(stored_prev, (candidate, *entry[1:])) == stored_hash:
            return candidate
    return None


def _explain_bad_hash(
    conn: sqlite3.Connection, entry: Entry, stored_prev: str, stored_hash: str
) -> tuple[int, str]:
    """A record whose hash does not match: edited in place, or moved to another seq?"""
    seq = entry[0]
    origin = _seq_with_hash(conn, stored_prev) if stored_prev != GENESIS_HASH else 0
    written_as = _written_as(
        entry, stored_prev, stored_hash, None if origin is None else origin + 1
    )
    if written_as is None or written_as == seq:
        return seq, f"journal record {seq} was edited: its hash does not match its contents"
    if written_as < seq:
        return written_as, (
            f"journal records {written_as}..{seq - 1} were inserted: "
            f"the record now at {seq} was written as {written_as}"
        )
    if origin is None:
        return seq, (
            f"journal records {seq}..{written_as - 1} were deleted and later records renumbered: "
            f"the record now at {seq} was written as {written_as}"
        )
    return seq, f"journal records reordered: the record now at {seq} was written as {written_as}"


def _cross_check(conn: sqlite3.Connection, last_seq: int) -> tuple[int | None, str]:
    row = conn.execute(
        "SELECT j.seq, j.ref FROM journal j WHERE j.kind = 'sale'"
        " AND NOT EXISTS (SELECT 1 FROM sales s WHERE s.sale_id = j.ref) ORDER BY j.seq LIMIT 1"
    ).fetchone()
    if row:
        return row[0], f"journal record {row[0]} is sale {row[1]}, which the sales table lacks"
    row = conn.execute(
        "SELECT j.seq, j.ref FROM journal j JOIN sales s ON s.sale_id = j.ref"
        " WHERE j.kind = 'sale' AND s.body != j.payload ORDER BY j.seq LIMIT 1"
    ).fetchone()
    if row:
        return row[0], f"sale {row[1]} in the sales table differs from journal record {row[0]}"
    # A sale's outbox message is its journal payload plus a ``journal`` link to the record
    # (kiosk.contract.messages.sale_payload); rows queued before the link existed have none.
    row = conn.execute(
        "SELECT j.seq, j.ref, o.id FROM journal j LEFT JOIN outbox o ON o.message_id = j.ref"
        " WHERE j.kind = 'sale' AND (o.id IS NULL OR json_remove(o.payload, '$.journal')"
        " != j.payload OR coalesce(json_extract(o.payload, '$.journal.hash'), j.hash) != j.hash)"
        " ORDER BY j.seq LIMIT 1"
    ).fetchone()
    if row:
        what = "has no outbox row" if row[2] is None else "differs from its outbox row"
        return row[0], f"journal record {row[0]} (sale {row[1]}) {what}"
    row = conn.execute(
        "SELECT s.sale_id, s.receipt_no FROM sales s WHERE NOT EXISTS"
        " (SELECT 1 FROM journal j WHERE j.ref = s.sale_id AND j.kind = 'sale')"
        " ORDER BY s.rowid LIMIT 1"
    ).fetchone()
    if row:
        return last_seq + 1, (
            f"sale {row[0]} (receipt {row[1]}) has no journal record: journal records were deleted"
        )
    return None, ""


def verify(conn: sqlite3.Connection) -> VerifyResult:
    """Walk the whole chain, then cross-check sales, journal and outbox, then the books."""
    count, last_seq = conn.execute("SELECT count(*), coalesce(max(seq), 0) FROM journal").fetchone()
    bad_seq, problem = _walk_chain(conn)
    checks: tuple[Callable[[], tuple[int | None, str]], ...] = (
        lambda: _cross_check(conn, int(last_seq)),
        lambda: journal_books.check_sale_rows(conn),
        lambda: journal_books.check_orphan_rows(conn, int(last_seq)),
        lambda: journal_books.check_counters(conn, int(last_seq)),
        lambda: journal_books.check_outbox(conn, int(last_seq)),
    )
    for check in checks:
        if bad_seq is not None:
            break
        bad_seq, problem = check()
    return VerifyResult(
        ok=bad_seq is None, records=int(count), first_bad_seq=bad_seq, problem=problem
    )
