"""SIGKILL a process that is committing sales, many times, and check that nothing is
half-written: the journal verifies, receipts are gap-free, every sale is whole, and every
sale the child saw committed is there. The same for refunds and Z closes, and for refunds
of a member's sales that earned and spent points: the member's balance stays exact."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.domain.points import refund_reversal_step
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


def stop(child: subprocess.Popen[bytes]) -> None:
    """SIGKILL the child unless it is dead already (it may have killed itself); reap it."""
    if child.poll() is None:
        os.kill(child.pid, signal.SIGKILL)
    child.wait()
    if child.stderr:
        child.stderr.close()


def printed(log: Path, kind: str) -> list[str]:
    """The values of the child's "<kind> <value>" lines."""
    lines = (line.partition(" ") for line in log.read_text().splitlines())
    return [value for name, _, value in lines if name == kind]


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
            stop(child)
        refunds_seen.update(printed(log, "refund"))
        closes_seen.update(int(z) for z in printed(log, "z"))
        check_books(db, refunds_seen, closes_seen)
    refunds, closes = check_books(db, refunds_seen, closes_seen)
    assert refunds > 16 and closes > 2, "the child barely did anything; the test proves little"


POINTS_CHILD = Path(__file__).with_name("points_crash_child.py")
EARN_RUPIAH_PER_POINT = 1_000  # points_crash_child.RULES


def points_by_sale(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """What the committed documents say each sale's points should be, worked out here
    from the sale and its refunds (not from the points book): (earned, then changed by
    the refunds). A refund takes back its share of the earned points, rounded up over the
    refunds so far, and gives back the points it paid back as points."""
    expected = {}
    for sale_id, text in conn.execute("SELECT sale_id, body FROM sales ORDER BY rowid"):
        sale = json.loads(text)
        with_points = sum(t["amount"] for t in sale["tenders"] if t["method"] == "points")
        spent = sum(t["given"] for t in sale["tenders"] if t["method"] == "points")
        earned = max(sale["total"] - with_points, 0) // EARN_RUPIAH_PER_POINT
        before = changed = 0
        refunds = conn.execute(
            "SELECT body FROM refunds WHERE sale_id = ? ORDER BY created_at", (sale_id,)
        )
        for (body,) in refunds:
            refund = json.loads(body)
            taken, _ = refund_reversal_step(earned, 0, before, -refund["total"], sale["payable"])
            returned = sum(t.get("points", 0) for t in refund["tenders"]
                           if t["paid_as"] == "points")  # fmt: skip
            changed += returned - taken
            before += -refund["total"]
        expected[sale_id] = (earned - spent, changed)
    return expected


def check_points(
    db: Path, refunds_seen: set[str], before: set[str] | None = None
) -> tuple[set[str], int]:
    """The journal verifies, each sale's points moves are exactly what its committed
    refunds imply (none of a refund that did not commit, none twice), the member's balance
    is their sum, and every refund the child saw return is there. With ``before`` (the
    refunds before a run killed inside a refund's transaction): that run added only the
    refunds it saw return. Returns the refunds and how many moves gave points back."""
    conn = open_db(db)
    try:
        result = journal.verify(conn)
        assert result.ok, result.problem
        refunds = {r[0] for r in conn.execute("SELECT refund_id FROM refunds")}
        assert refunds_seen <= refunds, "refunds the child saw return are missing"
        if before is not None:
            assert refunds - before <= refunds_seen, "the refund killed at points committed"
        booked = {}
        for sale_id, kind, points in conn.execute(
            "SELECT sale_id, kind, SUM(points) FROM points_moves GROUP BY sale_id, kind"
        ):
            earned, changed = booked.get(sale_id, (0, 0))
            if kind == "reverse":
                booked[sale_id] = (earned, changed + points)
            else:
                booked[sale_id] = (earned + points, changed)
        expected = points_by_sale(conn)
        assert booked == expected, "a sale's points are not what its sale and refunds say"
        balance = conn.execute("SELECT SUM(points) FROM points_moves WHERE member_id = 'M1'")
        total = sum(earned + changed for earned, changed in expected.values())
        assert balance.fetchone()[0] == total
        returned = conn.execute(
            "SELECT count(*) FROM points_moves WHERE kind = 'reverse' AND points > 0"
        ).fetchone()[0]
        return refunds, int(returned)
    finally:
        conn.close()


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_sigkill_at_points_during_refunds_keeps_the_members_balance_exact(
    tmp_path: Path,
) -> None:
    """Half the runs kill the child inside a refund, right after its 1st, 2nd or 3rd
    points move (taken back / given back); the others at a random moment. Each restart
    first retries the refund of the last sale left without one."""
    db = tmp_path / "ledger.db"
    rng = random.Random(20261201)
    refunds_seen: set[str] = set()
    committed: set[str] = set()
    for run in range(14):
        kill_at = run % 3 + 1 if run % 2 == 0 else 0
        log = tmp_path / f"points-{run}.log"
        with log.open("wb") as out:
            child = subprocess.Popen(
                [sys.executable, str(POINTS_CHILD), str(db), str(run), str(kill_at)],
                stdout=out, stderr=subprocess.PIPE,
            )  # fmt: skip
        try:
            if kill_at:
                child.wait(timeout=60)
                assert child.returncode == -signal.SIGKILL, (
                    child.stderr.read().decode() if child.stderr else ""
                )
            else:
                wait_ready(log, child)
                time.sleep(rng.uniform(0.05, 0.4))
        finally:
            stop(child)
        refunds_seen.update(printed(log, "refund"))
        committed, _ = check_points(db, refunds_seen, committed if kill_at else None)
    _, returned = check_points(db, refunds_seen)
    assert len(committed) > 14 and returned > 3, (
        "the child barely refunded points; the test proves little"
    )
