"""A full disk at several points (sale commit, WAL checkpoint, journaled event, close):
the failing write is refused whole, the ledger stays consistent (journal verifies,
receipts gap-free, every sale complete), and selling resumes once space is freed.

Runs on a small tmpfs (needs root and mount); skipped where that is not possible."""

from __future__ import annotations

import errno
import os
import random
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.sale import iso_utc
from kiosk.storage import journal
from kiosk.storage.disk_space import measure
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale

SIZE = 8 * 1024 * 1024
START = datetime(2026, 11, 27, 1, tzinfo=UTC)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "sd"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(mount)],
        capture_output=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(disk: Path, leave: int) -> Path:
    """A filler file that leaves about ``leave`` bytes free (none at all for 0)."""
    filler = disk / "filler"
    free = measure(disk, 0).free_bytes or 0
    with filler.open("ab", buffering=0) as out:
        try:
            out.write(b"\0" * max(0, free - leave))
            if leave == 0:
                while True:
                    out.write(b"\0" * 4096)
        except OSError as err:
            assert err.errno == errno.ENOSPC
    return filler


def consistent(path: Path, acknowledged: list[str]) -> None:
    conn = sqlite3.connect(path)
    try:
        result = journal.verify(conn)
        assert result.ok, result.problem
        receipts = [r[0] for r in conn.execute("SELECT receipt_no FROM sales ORDER BY receipt_no")]
        assert receipts == list(range(1, len(receipts) + 1))
        stored = {r[0] for r in conn.execute("SELECT sale_id FROM sales")}
        assert set(acknowledged) <= stored  # every sale that returned is there
        assert len(stored) == len(acknowledged)  # and nothing that failed
    finally:
        conn.close()


@pytest.mark.parametrize("leave", [40_000, 150_000, 400_000, 1_200_000])
def test_a_full_disk_refuses_the_write_whole_and_selling_resumes(small_disk: Path, leave: int):
    path = small_disk / "ledger.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=3)  # checkpoints fail too
    rng = random.Random(leave)
    acknowledged: list[str] = []
    n = 0

    def sell() -> None:
        nonlocal n
        n += 1
        stamp = iso_utc(START + timedelta(seconds=n))
        acknowledged.append(ledger.commit_sale(make_sale(rng, created_at=stamp)).sale_id)
        if n % 4 == 0:
            ledger.record_event("no_sale", f"drawer-{n}", {"n": n}, stamp)

    for _ in range(5):
        sell()
    filler = fill(small_disk, leave)
    with pytest.raises(sqlite3.OperationalError, match="full"):
        for _ in range(500):
            sell()
    assert 5 <= len(acknowledged) < 500
    consistent(path, acknowledged)  # seen from another connection while still full
    os.unlink(filler)
    for _ in range(5):
        sell()
    ledger.close()
    consistent(path, acknowledged)
    reopened = SqliteLedger(path, "kiosk-1")
    assert reopened.last_receipt_no() == len(acknowledged)
    reopened.close()


def test_closing_on_a_full_disk_keeps_everything(small_disk: Path) -> None:
    path = small_disk / "ledger.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=1_000)
    rng = random.Random(7)
    acknowledged = [
        ledger.commit_sale(make_sale(rng, created_at=iso_utc(START + timedelta(seconds=i)))).sale_id
        for i in range(30)
    ]
    ledger.checkpoint_soon()  # starts the thread, so close() tries a TRUNCATE checkpoint
    fill(small_disk, 0)
    ledger.close()  # the checkpoint may fail; the data is in the WAL either way
    consistent(path, acknowledged)
