"""Opening the fleet's database from a URL, migrated to the newest schema.

``sqlite:///path`` (the embedded default: WAL, foreign keys, a busy timeout) or
``postgresql://user@host/db`` (driven by psycopg 3).
"""

from __future__ import annotations

from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config


class StorageError(Exception):
    """The database cannot be opened or migrated; the message says which and why."""


def normalise_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def migrate(engine: sa.Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already)."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("fleet.storage") / "migrations"))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def open_engine(url: str, *, migrate_schema: bool = True) -> sa.Engine:
    try:
        engine = sa.create_engine(normalise_url(url), pool_pre_ping=True)
    except (sa.exc.ArgumentError, ImportError) as err:
        raise StorageError(f"cannot use database URL: {err}") from err
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name != "postgresql":
        raise StorageError(f"unsupported database {engine.dialect.name}: use sqlite or postgresql")
    if migrate_schema:
        try:
            migrate(engine)
        except sa.exc.OperationalError as err:
            raise StorageError(f"cannot open the database: {err.orig}") from err
    return engine
