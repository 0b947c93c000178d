"""Opening the kiosk's SQLite database the one way that keeps sales safe.

WAL with ``synchronous=FULL``: a commit returns only after its WAL frames are fsync'd, so
a sale that was acknowledged survives a power cut. Automatic WAL checkpoints are off
(``wal_autocheckpoint=0``) because a checkpoint that runs inside a commit pushed the
commit p99 from ~1 ms to ~5 ms in a 1M-sale ledger; ``kiosk.storage.checkpointer``
checkpoints off the commit path instead (every N sales, a timer, an idle UI).

Connections run in autocommit mode (``isolation_level=None``) and every write goes
through :func:`transaction`, which issues ``BEGIN IMMEDIATE`` so a sale is exactly one
transaction and never fails half-way on a lock upgrade.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kiosk.storage.private_files import private_sqlite

BUSY_TIMEOUT_MS = 5000
# When a commit starts the WAL again after a complete checkpoint, SQLite cuts the file
# back to this size (bytes). It is above the checkpointer's WAL bound (16 MB), so the file
# keeps its blocks and commits overwrite them in place (see checkpointer.py).
JOURNAL_SIZE_LIMIT = 20 * 1024 * 1024


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite3.Connection:
    """Open (creating if needed) the database at ``path``, configured for durability,
    and bring its schema up to date unless ``migrate`` is false."""
    # 0600 before SQLite opens it: its -wal and -shm are then made with the same rights.
    private_sqlite(Path(path))
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"{path}: could not switch to WAL (got {mode!r})")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA wal_autocheckpoint=0")
        conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT}")
        if migrate:
            from kiosk.storage.migrations import migrate as run_migrations

            run_migrations(conn)
    except BaseException:
        conn.close()
        raise
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` ... ``COMMIT``; ``ROLLBACK`` on any exception.

    Called while a transaction is already open, it joins it: the outer one commits or
    rolls back everything. That is how ``outbox.enqueue`` and ``stock.adjust`` become
    part of a sale's transaction.
    """
    if conn.in_transaction:
        yield conn
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


@contextmanager
def without_waiting(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Inside the block, a write that finds another connection writing fails at once
    (``sqlite3.OperationalError`` with ``sqlite_errorcode == SQLITE_BUSY``) instead of
    waiting up to ``BUSY_TIMEOUT_MS``: for background work that can come back later, so
    that it never queues for the lock a sale needs (the drain's sent marks, ADR 8)."""
    conn.execute("PRAGMA busy_timeout=0")
    try:
        yield conn
    finally:
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def is_busy(error: sqlite3.Error) -> bool:
    """True when ``error`` says another connection held the lock (nothing was wrong)."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def canonical_json(value: Any) -> str:
    """The one JSON form we store and hash: sorted keys, no whitespace, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
