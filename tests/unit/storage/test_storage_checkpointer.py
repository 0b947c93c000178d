"""WAL checkpoints off the commit path keep the WAL file small."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.sale import iso_utc
from kiosk.storage import checkpointer
from kiosk.storage.checkpointer import (
    WAL_BOUND,
    Checkpointer,
    wal_checkpoint,
    wal_in_use_past,
    wal_size,
)
from kiosk.storage.db import JOURNAL_SIZE_LIMIT
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.sales import make_sale

START = datetime(2026, 11, 27, 1, tzinfo=UTC)


def commit(ledger: SqliteLedger, rng: random.Random, count: int, first: int = 0) -> None:
    for n in range(first, first + count):
        stamp = iso_utc(START + timedelta(seconds=n))
        ledger.commit_sale(make_sale(rng, created_at=stamp))


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_every_n_commits_wake_the_thread_and_the_next_commit_restarts_the_wal(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=10)
    rng = random.Random(3)
    commit(ledger, rng, 9)
    assert ledger.checkpointer is not None and ledger.checkpointer.checkpoints == 0
    grown = wal_size(path)
    commit(ledger, rng, 1, first=9)  # the tenth wakes the thread
    wait_for(lambda: ledger.checkpointer.checkpoints == 1)
    assert ledger.checkpointer.last is not None and ledger.checkpointer.last.complete
    commit(ledger, rng, 1, first=10)
    # The WAL was started again from its beginning: its first frames were overwritten,
    # so only one sale's frames are new (the file keeps its size up to the limit).
    frames = wal_checkpoint(ledger.conn).wal_frames
    assert 0 < frames < 60, frames
    assert wal_size(path) <= max(grown, JOURNAL_SIZE_LIMIT) + 200_000
    ledger.close()


def test_back_to_back_sales_checkpoint_on_the_writer_when_the_wal_passes_the_bound(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=10_000)
    assert ledger.checkpointer is not None
    ledger.checkpointer.wal_bound = 1_000_000
    rng = random.Random(4)
    sizes = []
    for n in range(60):
        commit(ledger, rng, 1, first=n)
        sizes.append(wal_size(path))
    assert ledger.checkpointer.caught_up >= 2
    # Never more than the bound plus one sale's pages.
    assert max(sizes) < 1_000_000 + 300_000, max(sizes)
    # The file was never cut back: after the first catch-up, commits overwrite its blocks.
    first_over = next(n for n, size in enumerate(sizes) if size > 1_000_000)
    assert min(sizes[first_over:]) > 1_000_000, sizes
    # ...and the WAL did start again: what is in use is back under the bound.
    assert not wal_in_use_past(path, 1_000_000)
    ledger.close()


def test_sales_inside_a_longer_transaction_are_checkpointed_once_it_commits(tmp_path):
    """A member's sale books its points in the same transaction (LoyaltyService.complete,
    through the unit of work): the writer's catch-up at the bound waits for that
    transaction to commit. Run inside it, it waited for the writer's own lock, came back
    busy and left the WAL growing, each sale 200 ms slower (`kiosk replay` of 300 sales:
    24 s)."""
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=10_000)
    assert ledger.checkpointer is not None
    ledger.checkpointer.wal_bound = 1_000_000
    uow = SqliteUnitOfWork(ledger)
    rng = random.Random(5)
    for n in range(60):
        before = ledger.checkpointer.caught_up
        with uow.transaction():
            commit(ledger, rng, 1, first=n)
            assert ledger.checkpointer.caught_up == before  # not while the lock is held
    assert ledger.checkpointer.caught_up >= 2
    assert ledger.checkpointer.last is not None and not ledger.checkpointer.last.busy
    assert not wal_in_use_past(path, 1_000_000)
    ledger.close()


def test_a_checkpoint_failing_at_the_bound_never_fails_the_committed_sale(
    tmp_path, monkeypatch, caplog
):
    """The sale is durable before the writer checkpoints: a disk error there is logged,
    and the sale is reported as made (a till told otherwise would sell it again)."""
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=10_000)
    assert ledger.checkpointer is not None
    ledger.checkpointer.wal_bound = 1  # every sale passes it

    def disk_error(conn: sqlite3.Connection, mode: str = "PASSIVE") -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(checkpointer, "wal_checkpoint", disk_error)
    sale = make_sale(random.Random(6), created_at=iso_utc(START))
    stored = ledger.commit_sale(sale)
    assert stored.receipt_no and ledger.checkpointer.caught_up == 1
    assert ledger.conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 1
    assert "at the bound failed: disk I/O error" in caplog.text
    monkeypatch.undo()
    ledger.close()


def test_what_is_in_use_in_the_wal_is_read_from_its_salts_not_its_size(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=None)
    rng = random.Random(7)
    commit(ledger, rng, 20)
    frame = int(ledger.conn.execute("PRAGMA page_size").fetchone()[0]) + 24
    frames = wal_checkpoint(ledger.conn).wal_frames  # SQLite's own count; copies them all
    end = 32 + frames * frame  # the WAL header, then the frames
    assert wal_in_use_past(path, end - 1)
    assert not wal_in_use_past(path, end)
    commit(ledger, rng, 1, first=20)  # starts the WAL again over the same blocks
    assert wal_size(path) >= end  # the file kept its size...
    assert not wal_in_use_past(path, end // 2)  # ...but only one sale is in use
    assert wal_in_use_past(path, 1_000)
    ledger.close()
    assert not wal_in_use_past(tmp_path / "nothing.sqlite", 0)


def test_reading_the_wal_keeps_sqlites_locks_for_other_processes(tmp_path):
    """Closing any descriptor of a file drops this process's POSIX locks on it. SQLite
    keeps its shared-memory locks on the -shm file: had the bound been read there, the
    drain's process could take the dead-man lock, reset the wal-index under the till and
    crash it (SIGBUS, seen in bench_drain)."""
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=None)
    commit(ledger, random.Random(8), 3)
    wal_in_use_past(path, 0)
    probe = (
        "import fcntl, sys\n"
        "with open(sys.argv[1], 'r+b') as shm:\n"
        "    try:\n"
        "        fcntl.lockf(shm, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)\n"  # the DMS byte
        "    except OSError:\n"
        "        sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    taken = subprocess.run([sys.executable, "-c", probe, f"{path}-shm"], check=False)
    assert taken.returncode == 0, "another process could lock the -shm: SQLite's locks were lost"
    ledger.close()


def test_the_ui_can_ask_on_idle_and_stop_empties_the_wal(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1")
    commit(ledger, random.Random(5), 5)
    assert wal_size(path) > 0
    ledger.checkpoint_soon()
    assert ledger.checkpointer is not None
    wait_for(lambda: ledger.checkpointer.checkpoints >= 1)
    other = SqliteLedger(path, "kiosk-1", checkpoint_every=None)  # keeps the WAL open
    ledger.close()  # TRUNCATE checkpoint at the end
    assert wal_size(path) == 0
    assert other.sale_count() == 5
    other.close()


def test_the_thread_runs_on_a_timer_too(tmp_path):
    path = tmp_path / "l.sqlite"
    ledger = SqliteLedger(path, "kiosk-1", checkpoint_every=None)
    commit(ledger, random.Random(6), 3)
    checkpointer = Checkpointer(path, interval_s=0.05)
    checkpointer.request()  # starts the thread
    wait_for(lambda: checkpointer.checkpoints >= 3)
    checkpointer.stop(truncate=False)
    assert wal_size(path) > 0  # no TRUNCATE asked
    ledger.close()


def test_the_wal_file_may_keep_the_bound_plus_a_sale_without_being_cut_back():
    # Below the bound, SQLite would cut the file at each new start of the WAL and the
    # next commits would grow it again (slower fsyncs: see checkpointer.py).
    assert JOURNAL_SIZE_LIMIT >= WAL_BOUND + 512 * 1024


@pytest.mark.parametrize("kwargs", [{"every_commits": 0}, {"interval_s": 0}, {"wal_bound": 0}])
def test_nonsense_settings_are_refused(tmp_path, kwargs):
    with pytest.raises(ValueError):
        Checkpointer(tmp_path / "x.sqlite", **kwargs)


def test_an_in_memory_ledger_has_no_checkpointer():
    ledger = SqliteLedger(sqlite3.connect(":memory:", isolation_level=None), "kiosk-1")
    assert ledger.checkpointer is None
    ledger.checkpoint_soon()  # harmless
    ledger.close()
