"""5,000 sales in one process, with a drain-like reader on its own connection: the WAL
stays under a bound (it grew to 311 MB after 3,314 sales before checkpoints ran)."""

from __future__ import annotations

import random
import sqlite3
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.sale import iso_utc
from kiosk.storage import journal, outbox
from kiosk.storage.checkpointer import WAL_BOUND, wal_size
from kiosk.storage.db import open_db
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale

SALES = 5_000
# The bound plus one sale's pages (the writer checks the WAL after each commit).
LIMIT = WAL_BOUND + 512 * 1024


def drain(path: Path, stop: threading.Event) -> None:
    """Reads pending rows and marks them sent, as the telemetry drain does. Sales back to
    back hold the write lock nearly all the time, so a mark may time out: tried again."""
    conn = open_db(path, migrate=False)
    try:
        while not stop.wait(0.005):
            rows = outbox.pending(conn, limit=50)
            try:
                outbox.mark_sent(conn, [r.id for r in rows], iso_utc(datetime.now(UTC)))
            except sqlite3.OperationalError as err:
                assert "locked" in str(err)
    finally:
        conn.close()


@pytest.mark.slow
def test_five_thousand_sales_keep_the_wal_under_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite"
    ledger = SqliteLedger(path, "kiosk-1")
    stop = threading.Event()
    reader = threading.Thread(target=drain, args=(path, stop))
    reader.start()
    rng = random.Random(8)
    start = datetime(2026, 11, 27, 1, tzinfo=UTC)
    largest = 0
    try:
        for n in range(SALES):
            stamp = iso_utc(start + timedelta(seconds=n))
            ledger.commit_sale(make_sale(rng, created_at=stamp))
            largest = max(largest, wal_size(path))
    finally:
        stop.set()
        reader.join()
    assert largest <= LIMIT, f"WAL reached {largest:,} bytes (bound {LIMIT:,})"
    assert ledger.checkpointer is not None and ledger.checkpointer.checkpoints > 0
    assert ledger.sale_count() == SALES
    assert journal.verify(ledger.conn).ok
    ledger.close()
    assert wal_size(path) == 0  # emptied by the TRUNCATE checkpoint at close
