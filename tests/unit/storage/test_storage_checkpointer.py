"""WAL checkpoints off the commit path keep the WAL file small."""

from __future__ import annotations

import random
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import pytest

from kiosk.domain.sale import iso_utc
from kiosk.storage.checkpointer import Checkpointer, wal_checkpoint, wal_size
from kiosk.storage.db import JOURNAL_SIZE_LIMIT
from kiosk.storage.ledger import SqliteLedger
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


@pytest.mark.parametrize("kwargs", [{"every_commits": 0}, {"interval_s": 0}, {"wal_bound": 0}])
def test_nonsense_settings_are_refused(tmp_path, kwargs):
    with pytest.raises(ValueError):
        Checkpointer(tmp_path / "x.sqlite", **kwargs)


def test_an_in_memory_ledger_has_no_checkpointer():
    ledger = SqliteLedger(sqlite3.connect(":memory:", isolation_level=None), "kiosk-1")
    assert ledger.checkpointer is None
    ledger.checkpoint_soon()  # harmless
    ledger.close()
