import sqlite3

import pytest

from kiosk.storage import migrations, outbox
from kiosk.storage.db import open_db
from kiosk.storage.migrations import SCHEMA_VERSION, SchemaTooNewError, current_version, migrate


def test_fresh_database_gets_every_table_and_durable_pragmas(tmp_path):
    conn = open_db(tmp_path / "ledger.db")
    assert current_version(conn) == SCHEMA_VERSION >= 1
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {
        "products",
        "barcodes",
        "device_counters",
        "sales",
        "sale_lines",
        "sale_taxes",
        "tenders",
        "stock_levels",
        "stock_moves",
        "journal",
        "suspended",
        "promotions",
        "applied_commands",
        "outbox",
    } <= tables
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert conn.isolation_level is None


def test_reopening_is_a_no_op(tmp_path):
    open_db(tmp_path / "l.db").close()
    conn = open_db(tmp_path / "l.db")
    assert migrate(conn) == SCHEMA_VERSION


def test_database_from_newer_software_is_refused_clearly(tmp_path):
    conn = open_db(tmp_path / "l.db")
    conn.execute(f"PRAGMA user_version={SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(SchemaTooNewError, match=r"newer than this software supports"):
        open_db(tmp_path / "l.db")


def test_failing_migration_leaves_the_previous_version_intact(tmp_path, monkeypatch):
    conn = open_db(tmp_path / "l.db")
    broken = "CREATE TABLE half_done(x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    monkeypatch.setattr(
        migrations, "MIGRATIONS", [*migrations.MIGRATIONS, (SCHEMA_VERSION + 1, broken)]
    )
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    with pytest.raises(sqlite3.OperationalError, match="no_such_table"):
        migrations.migrate(conn, target=SCHEMA_VERSION + 1)
    assert current_version(conn) == SCHEMA_VERSION
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='half_done'").fetchone() is None
    assert not conn.in_transaction


def test_migrations_apply_in_order_one_version_each(tmp_path, monkeypatch):
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    extra = [
        (SCHEMA_VERSION + 1, "ALTER TABLE sales ADD COLUMN note TEXT;\n"),
        (SCHEMA_VERSION + 2, "CREATE INDEX sales_note ON sales(note);\n"),
    ]
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, *extra])
    monkeypatch.setattr(migrations, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    assert migrations.migrate(conn, target=SCHEMA_VERSION + 1) == SCHEMA_VERSION + 1
    assert migrations.migrate(conn, target=SCHEMA_VERSION + 2) == SCHEMA_VERSION + 2
    assert conn.execute("SELECT name FROM sqlite_master WHERE name='sales_note'").fetchone()


def test_split_statements_keeps_comments_and_rejects_a_dangling_statement():
    script = "-- a comment; with a semicolon\nCREATE TABLE a(x);\nCREATE TABLE b(y);\n-- end\n"
    assert len(migrations.split_statements(script)) == 2
    with pytest.raises(ValueError, match="incomplete"):
        migrations.split_statements("CREATE TABLE a(x);\nCREATE TABLE b(y)\n")


def test_outbox_delivery_marks_move_beside_the_rows_at_version_16(tmp_path):
    """A till that sold before 0016: its sent rows stay sent (with their times), its
    unsent rows stay queued in order, and a row added afterwards is queued too."""
    conn = sqlite3.connect(tmp_path / "l.db", isolation_level=None)
    assert migrate(conn, target=15) == 15
    conn.executemany(
        "INSERT INTO outbox(topic, message_id, payload, created_at, sent_at) VALUES (?, ?, ?, ?, ?)",
        [("sale", "m1", "{}", "t1", "2026-11-27T09:00:00Z"), ("sale", "m2", "{}", "t2", None),
         ("event", "m3", "{}", "t3", "2026-11-27T09:05:00Z"), ("sale", "m4", "{}", "t4", None)],
    )  # fmt: skip
    assert migrate(conn) == SCHEMA_VERSION
    conn.execute("INSERT INTO outbox(topic, message_id, payload, created_at) VALUES"
                 " ('sale', 'm5', '{}', 't5')")  # fmt: skip
    assert [r.message_id for r in outbox.pending(conn)] == ["m2", "m4", "m5"]
    assert outbox.delivered(conn) == (2, "2026-11-27T09:05:00Z")
    assert outbox.depth(conn) == (3, "t2")
