"""Keeping the WAL small without ever checkpointing inside a sale's commit.

``db.open_db`` turns SQLite's automatic checkpoints off: one that ran inside a commit
pushed the commit p99 from ~1 ms to ~5 ms in a 1M-sale ledger. Without checkpoints the
WAL grows by ~90 KB a sale (every page a sale touches is appended whole), so a till that
runs for days would fill its SD card.

A ``Checkpointer`` owns one background thread with its own connection. It runs a PASSIVE
checkpoint (which never waits for the till's writer or the drain's readers) when asked:

- every ``every_commits`` sales (the ledger calls :meth:`note_commit` after each commit);
- every ``interval_s`` seconds once the thread runs (covers writes of other connections,
  e.g. the drain; ``kiosk agent`` starts it with one request);
- when the UI is idle (:meth:`request`).

Once a checkpoint has copied every frame, the next commit starts the WAL again from its
beginning. The file is not cut back (``db.JOURNAL_SIZE_LIMIT`` is above the bound): its
blocks stay allocated and later commits overwrite them, so their fsync has no file size
to record. Measured on the dev VM: commit p50 0.70 -> 0.53 ms, and a checkpoint at the
bound 11 -> 5 ms, against a WAL truncated each time
(docs/decisions/0009-the-wal-keeps-its-blocks.md).

Starting again needs a quiet moment between two commits, which a till has (sales are
seconds apart) but a replay or a bench committing back to back never gives the thread:
when the WAL holds more than ``wal_bound`` bytes of frames anyway, :meth:`note_commit`
runs a RESTART checkpoint on the caller's thread after the commit (the sale is already
durable): it waits briefly for readers (the drain) to leave the WAL, so the next commit
starts it again. Whether the frames in use pass the bound is read from the WAL's salts
(:func:`wal_in_use_past`), since the file keeps its size.
:meth:`stop` ends with a TRUNCATE checkpoint, which empties the file when nobody else is
using it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

EVERY_COMMITS = 64
INTERVAL_S = 30.0
WAL_BOUND = 16 * 1024 * 1024  # bytes of frames; above this the writer checkpoints between sales
# A RESTART or TRUNCATE checkpoint waits this long at most for readers and writers to leave.
WAIT_FOR_OTHERS_MS = 200
WAL_HEADER, FRAME_HEADER = 32, 24  # bytes (https://sqlite.org/fileformat.html)


@dataclass(frozen=True)
class CheckpointResult:
    busy: bool  # another connection kept it from finishing (it will be retried)
    wal_frames: int  # frames in the WAL when it ran
    copied_frames: int  # frames now in the database file

    @property
    def complete(self) -> bool:
        return not self.busy and self.copied_frames >= self.wal_frames


def wal_checkpoint(conn: sqlite3.Connection, mode: str = "PASSIVE") -> CheckpointResult:
    """Run ``PRAGMA wal_checkpoint(mode)`` on ``conn``; SQLite's three numbers, named."""
    if mode not in {"PASSIVE", "FULL", "RESTART", "TRUNCATE"}:
        raise ValueError(f"unknown checkpoint mode {mode!r}")
    busy, frames, copied = conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
    return CheckpointResult(bool(busy), int(frames), int(copied))


def wal_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}-wal")


def wal_size(db_path: str | Path) -> int:
    """Bytes in the WAL file beside ``db_path`` (0 when there is none)."""
    try:
        return wal_path(db_path).stat().st_size
    except FileNotFoundError:
        return 0


def wal_in_use_past(db_path: str | Path, offset: int) -> bool:
    """Whether the WAL beside ``db_path`` holds frames of its current run past ``offset``
    bytes. The file keeps its size when the WAL starts again, so its size cannot tell.
    Each run of the WAL has its own salts, in the file's header and in every frame's
    (https://sqlite.org/fileformat.html#the_write_ahead_log): the frame that reaches past
    ``offset`` is in use if it carries the header's salts. The ``-wal`` file is read,
    never the ``-shm``: SQLite holds POSIX locks on that one, and closing any descriptor
    of it in this process would drop them."""
    try:
        with open(wal_path(db_path), "rb") as wal:
            header = wal.read(WAL_HEADER)
            if len(header) < WAL_HEADER:
                return False
            frame = int.from_bytes(header[8:12], "big") + FRAME_HEADER
            wal.seek(WAL_HEADER + max(0, offset - WAL_HEADER) // frame * frame)
            frame_header = wal.read(FRAME_HEADER)
    except FileNotFoundError:
        return False
    return len(frame_header) == FRAME_HEADER and frame_header[8:16] == header[16:24]


class Checkpointer:
    """Background WAL checkpoints for the database file at ``path``."""

    def __init__(
        self,
        path: str | Path,
        *,
        every_commits: int = EVERY_COMMITS,
        interval_s: float = INTERVAL_S,
        wal_bound: int = WAL_BOUND,
    ) -> None:
        if every_commits < 1 or interval_s <= 0 or wal_bound < 1:
            raise ValueError("every_commits, interval_s and wal_bound must be positive")
        self.path = Path(path)
        self.every_commits = every_commits
        self.interval_s = interval_s
        self.wal_bound = wal_bound
        self.caught_up = 0  # checkpoints the writer ran itself because the WAL passed the bound
        self.checkpoints = 0  # how many have run (for health and tests)
        self.last: CheckpointResult | None = None
        self._commits = 0
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()  # one checkpoint at a time (thread vs run_now)

    # -- asked by the ledger and the UI -------------------------------------------------
    def note_commit(self, sales: int = 1) -> None:
        """Sales were committed; every ``every_commits`` of them wake the thread. Called
        on the writer's thread once its transaction has committed (inside it, the
        checkpoint below would wait for the writer's own lock and never finish): if the
        WAL has passed ``wal_bound`` (sales back to back), checkpoint here so the next
        commit starts it again."""
        self._commits += sales
        if wal_in_use_past(self.path, self.wal_bound):
            self._commits = 0
            self.caught_up += 1
            try:
                self.run_now("RESTART")
            except sqlite3.Error as err:  # the sales are durable; the WAL is only bigger
                log.warning("WAL checkpoint of %s at the bound failed: %s", self.path, err)
        elif self._commits >= self.every_commits:
            self._commits = 0
            self.request()

    def request(self) -> None:
        """Checkpoint soon, off the caller's thread (the UI calls this when idle)."""
        if self._stopping:
            return
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="wal-checkpoint", daemon=True)
            self._thread.start()
        self._wake.set()

    # -- synchronous ------------------------------------------------------------------
    def run_now(self, mode: str = "PASSIVE") -> CheckpointResult:
        """Checkpoint on the caller's thread (tests, the bench, a clean stop)."""
        with self._lock:
            conn = self._connect(WAIT_FOR_OTHERS_MS if mode != "PASSIVE" else 0)
            try:
                result = wal_checkpoint(conn, mode)
            finally:
                conn.close()
            self.checkpoints += 1
            self.last = result
            return result

    def stop(self, *, truncate: bool = True) -> None:
        """End the thread; then empty the WAL if nobody else is using it."""
        self._stopping = True
        thread, self._thread = self._thread, None
        if thread is not None:
            self._wake.set()
            thread.join(timeout=10)
        if truncate and self.path.exists():
            try:
                self.run_now("TRUNCATE")
            except sqlite3.Error as err:  # the data is safe in the WAL; it is only bigger
                log.warning("final WAL checkpoint of %s failed: %s", self.path, err)

    # -- the thread -------------------------------------------------------------------
    def _connect(self, busy_ms: int) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout={busy_ms}")
        return conn

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval_s)
            self._wake.clear()
            if self._stopping:
                return
            try:
                self.run_now("PASSIVE")
            except sqlite3.Error as err:  # e.g. disk full: retried at the next wake-up
                log.warning("WAL checkpoint of %s failed: %s", self.path, err)
