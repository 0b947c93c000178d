"""Backups of the ledger while the till keeps selling, and restoring one.

``backup`` copies through SQLite's online backup API in one step: the ledger is in WAL
mode, so the copy reads one snapshot while sales keep committing (a copy made in small
steps would restart after every sale from another connection and, on a busy till, never
finish). It turns the copy into a single self-contained file, and keeps
it only if SQLite's integrity check and the journal's hash chain both pass. The newest
``keep`` copies stay. ``restore`` checks a backup the same way before it replaces the
ledger; the replaced ledger is kept beside it, never deleted.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.appliance.files import fsync_dir
from kiosk.storage import journal

LEDGER = "ledger.sqlite"
NAME = re.compile(r"^ledger-\d{8}T\d{6}Z\.sqlite$")


class BackupError(Exception):
    """A backup or restore that did not happen; the message says why."""


@dataclass(frozen=True)
class Checked:
    path: Path
    records: int
    size: int


def check(path: Path) -> int:
    """The journal's record count if ``path`` is a sound ledger; BackupError if not."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"{path.name}: cannot be opened: {error}") from None
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            raise BackupError(f"{path.name}: damaged database: {'; '.join(problems[:3])}")
        result = journal.verify(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path.name}: not a readable ledger: {error}") from None
    finally:
        conn.close()
    if not result.ok:
        raise BackupError(f"{path.name}: journal broken at record {result.first_bad_seq}: "
                          f"{result.problem}")  # fmt: skip
    return result.records


def backup(data_dir: Path, to_dir: Path, keep: int = 14, now: datetime | None = None) -> Checked:
    source = data_dir / LEDGER
    if not source.is_file():
        raise BackupError(f"there is no ledger in {data_dir}")
    to_dir.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    final = to_dir / f"ledger-{stamp}.sqlite"
    partial = to_dir / f".{final.name}.partial"
    try:
        snapshot(source, partial)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {error}") from None
    try:
        records = check(partial)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    with partial.open("rb") as handle:
        os.fsync(handle.fileno())
    os.chmod(partial, 0o600)
    os.replace(partial, final)
    fsync_dir(to_dir)
    prune(to_dir, keep)
    return Checked(final, records, final.stat().st_size)


def snapshot(source: Path, dest: Path) -> None:
    """``dest`` becomes a one-file copy of ``source`` as of one moment (WAL snapshot)."""
    src = sqlite3.connect(source, timeout=30)
    try:
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # all pages in one step, from one WAL snapshot
            # One file, no -wal beside it: a copy that can be carried off on a stick.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def prune(to_dir: Path, keep: int) -> list[Path]:
    """Remove all but the newest ``keep`` backups (by their UTC name); returns the removed."""
    backups = sorted(p for p in to_dir.iterdir() if NAME.match(p.name))
    removed = backups[: max(0, len(backups) - keep)]
    for path in removed:
        path.unlink()
    return removed


def restore(data_dir: Path, backup_file: Path, now: datetime | None = None) -> Checked:
    """Swap ``backup_file`` in as the ledger after checking a private copy of it. The till
    must be stopped (``systemctl stop kiosk kiosk-agent``). The old ledger is kept as
    ``ledger.sqlite.before-restore-<time>``."""
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist")
    staged = data_dir / f".{LEDGER}.restoring"
    shutil.copyfile(backup_file, staged)
    try:
        records = check(staged)
        with staged.open("rb") as handle:
            os.fsync(handle.fileno())
        os.chmod(staged, 0o600)
        stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
        current = data_dir / LEDGER
        for suffix in ("", "-wal", "-shm"):
            old = data_dir / f"{LEDGER}{suffix}"
            if old.exists():
                old.rename(data_dir / f"{LEDGER}.before-restore-{stamp}{suffix}")
        os.replace(staged, current)
        fsync_dir(data_dir)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
    return Checked(current, records, current.stat().st_size)
