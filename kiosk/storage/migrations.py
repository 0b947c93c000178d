"""Schema versions, tracked in ``PRAGMA user_version``.

Each migration is a ``sql/NNNN_name.sql`` file; version N is the file numbered N. They are
applied in order, each in its own ``BEGIN IMMEDIATE`` transaction together with the
``user_version`` bump, so a crash leaves the database at a whole version. A database
written by newer code than this one is refused rather than guessed at.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

_FILE_PATTERN = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SchemaTooNewError(RuntimeError):
    """The database was migrated by a newer version of the kiosk software."""


def _migration_files() -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for entry in resources.files("kiosk.storage").joinpath("sql").iterdir():
        match = _FILE_PATTERN.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [v for v, _ in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migration files must be numbered 1..N without gaps, got {versions}")
    return found


MIGRATIONS: list[tuple[int, str]] = _migration_files()
SCHEMA_VERSION = len(MIGRATIONS)


def split_statements(script: str) -> list[str]:
    """Split a script into statements (``executescript`` would commit our transaction)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    leftover = [ln for ln in buffer.splitlines() if ln.strip() and not ln.strip().startswith("--")]
    if leftover:
        raise ValueError(f"incomplete SQL statement at end of migration: {buffer.strip()[:80]}")
    return statements


def current_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply every migration above the database's version up to ``target``; return the
    resulting version. Raises ``SchemaTooNewError`` if the database is newer."""
    version = current_version(conn)
    if version > SCHEMA_VERSION:
        raise SchemaTooNewError(
            f"database schema version {version} is newer than this software supports "
            f"({SCHEMA_VERSION}); upgrade the kiosk software or restore a matching backup"
        )
    for number, script in MIGRATIONS:
        if number <= version or number > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-read inside the lock: another process may have migrated meanwhile.
            if current_version(conn) >= number:
                conn.execute("ROLLBACK")
                continue
            for statement in split_statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version={number}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return current_version(conn)
