"""SIGKILL a process that is committing sales, many times, and check that nothing is
half-written: the journal verifies, receipts are gap-free, every sale is whole, and every
sale the child saw committed is there."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.storage import journal
from kiosk.storage.db import open_db

CHILD = Path(__file__).with_name("crash_child.py")
KILLS = 32


def start_child(db: Path, log: Path, seed: int) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, str(CHILD), str(db), str(seed)], stdout=out, stderr=subprocess.PIPE
        )


def wait_ready(log: Path, child: subprocess.Popen[bytes], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while b"ready" not in log.read_bytes():
        if child.poll() is not None:
            raise AssertionError(
                f"child died: {child.stderr.read().decode() if child.stderr else ''}"
            )
        if time.monotonic() > deadline:
            raise AssertionError("child never became ready")
        time.sleep(0.005)


def committed_by_child(log: Path) -> dict[str, int]:
    seen = {}
    for line in log.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "committed":
            seen[parts[1]] = int(parts[2])
    return seen


def check_ledger(db: Path, must_have: dict[str, int]) -> int:
    conn = open_db(db)
    try:
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        result = journal.verify(conn)
        assert result.ok, result.problem
        count, low, high = conn.execute(
            "SELECT count(*), min(receipt_no), max(receipt_no) FROM sales"
            " WHERE device_id = 'kiosk-1'"
        ).fetchone()
        if count:
            assert (low, high) == (1, count), "receipt numbers have a gap"
            counter = conn.execute(
                "SELECT last_receipt_no FROM device_counters WHERE device_id = 'kiosk-1'"
            ).fetchone()[0]
            assert counter == count
        partial = conn.execute(
            "SELECT s.sale_id FROM sales s WHERE"
            " (SELECT count(*) FROM sale_lines l WHERE l.sale_id = s.sale_id)"
            "   != json_array_length(s.body, '$.lines')"
            " OR (SELECT count(*) FROM sale_taxes t WHERE t.sale_id = s.sale_id)"
            "   != json_array_length(s.body, '$.taxes')"
            " OR (SELECT count(*) FROM tenders t WHERE t.sale_id = s.sale_id)"
            "   != json_array_length(s.body, '$.tenders')"
            " OR (SELECT coalesce(sum(amount), 0) FROM sale_lines l WHERE l.sale_id = s.sale_id)"
            "   != s.total"
        ).fetchall()
        assert partial == [], f"partial sales: {[r[0] for r in partial]}"
        lines = conn.execute("SELECT count(*) FROM sale_lines").fetchone()[0]
        moves = conn.execute("SELECT count(*) FROM stock_moves WHERE reason = 'sale'").fetchone()[0]
        assert moves == lines
        sale_records = conn.execute("SELECT count(*) FROM journal WHERE kind = 'sale'").fetchone()[
            0
        ]
        sale_messages = conn.execute("SELECT count(*) FROM outbox WHERE topic = 'sale'").fetchone()[
            0
        ]
        assert sale_records == sale_messages == count
        stored = dict(conn.execute("SELECT sale_id, receipt_no FROM sales").fetchall())
        lost = {k: v for k, v in must_have.items() if stored.get(k) != v}
        assert not lost, f"sales acknowledged by the child are missing: {lost}"
        for body in conn.execute("SELECT body FROM sales ORDER BY rowid DESC LIMIT 3"):
            json.loads(body[0])
        return int(count)
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_sigkill_while_committing_never_leaves_a_partial_sale(tmp_path):
    db = tmp_path / "ledger.db"
    rng = random.Random(20261127)
    acknowledged: dict[str, int] = {}
    last_count = 0
    started = time.monotonic()
    for kill in range(KILLS):
        log = tmp_path / f"child-{kill}.log"
        child = start_child(db, log, seed=kill)
        try:
            if kill % 8 == 3:
                time.sleep(rng.uniform(0.0, 0.15))  # sometimes while it is still opening
            else:
                wait_ready(log, child)
                time.sleep(rng.uniform(0.005, 0.2))
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            if child.stderr:
                child.stderr.close()
        acknowledged.update(committed_by_child(log))
        count = check_ledger(db, acknowledged)
        assert count >= last_count
        last_count = count
    assert last_count > KILLS, "the child barely committed anything; the test proves little"
    assert time.monotonic() - started < 60


BOOKS_CHILD = Path(__file__).with_name("books_crash_child.py")


def check_books(db: Path, refunds_seen: set[str], closes_seen: set[int]) -> tuple[int, int]:
    """Every refund and Z close is whole (row, journal record, outbox event, restock
    moves), Z numbers are gap-free, and everything the child saw return is there."""
    conn = open_db(db)
    try:
        result = journal.verify(conn)
        assert result.ok, result.problem
        refunds = dict(conn.execute("SELECT refund_id, body FROM refunds").fetchall())
        records = {r[0] for r in conn.execute("SELECT ref FROM journal WHERE kind = 'refund'")}
        assert set(refunds) == records, "a refund without its journal record (or the reverse)"
        events = conn.execute(
            "SELECT count(*) FROM outbox WHERE topic = 'event'"
            " AND json_extract(payload, '$.kind') IN ('refund', 'z_close')"
        ).fetchone()[0]
        zs = [r[0] for r in conn.execute("SELECT z_number FROM day_closes ORDER BY z_number")]
        assert zs == list(range(1, len(zs) + 1)), "Z numbers have a gap"
        z_records = conn.execute("SELECT count(*) FROM journal WHERE kind = 'z_close'").fetchone()
        assert z_records[0] == len(zs)
        assert events == len(refunds) + len(zs)
        lines = sum(len(json.loads(body)["lines"]) for body in refunds.values())
        moves = conn.execute("SELECT count(*) FROM stock_moves WHERE reason = 'refund'").fetchone()
        assert moves[0] == lines, "a refund's restock moves are partial"
        assert refunds_seen <= set(refunds), "refunds the child saw return are missing"
        assert closes_seen <= set(zs), "Z closes the child saw return are missing"
        return len(refunds), len(zs)
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.timeout(120)
def test_sigkill_during_refunds_and_z_closes_leaves_all_or_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ledger.db"
    rng = random.Random(20261130)
    refunds_seen: set[str] = set()
    closes_seen: set[int] = set()
    for kill in range(16):
        log = tmp_path / f"books-{kill}.log"
        with log.open("wb") as out:
            child = subprocess.Popen([sys.executable, str(BOOKS_CHILD), str(db), str(kill)],
                                     stdout=out, stderr=subprocess.PIPE)  # fmt: skip
        try:
            wait_ready(log, child)
            time.sleep(rng.uniform(0.01, 0.3))
        finally:
            os.kill(child.pid, signal.SIGKILL)
            child.wait()
            if child.stderr:
                child.stderr.close()
        for line in log.read_text().splitlines():
            kind, _, value = line.partition(" ")
            if kind == "refund":
                refunds_seen.add(value)
            elif kind == "z":
                closes_seen.add(int(value))
        check_books(db, refunds_seen, closes_seen)
    refunds, closes = check_books(db, refunds_seen, closes_seen)
    assert refunds > 16 and closes > 2, "the child barely did anything; the test proves little"
