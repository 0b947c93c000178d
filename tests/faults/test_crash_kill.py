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
