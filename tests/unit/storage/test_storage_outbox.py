import json
import sqlite3

import pytest

from kiosk.storage import outbox
from kiosk.storage.db import open_db, transaction


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "ledger.db")
    yield c
    c.close()


def test_enqueue_pending_mark_sent_depth(conn):
    assert outbox.depth(conn) == (0, None)
    ids = [
        outbox.enqueue(conn, "event", f"m{n}", {"n": n, "b": [1]}, f"2026-11-27T0{n}:00:00Z")
        for n in range(1, 5)
    ]
    rows = outbox.pending(conn, limit=10)
    assert [r.id for r in rows] == ids
    assert rows[0].payload == '{"b":[1],"n":1}'
    assert rows[0].attempts == 0
    assert outbox.depth(conn) == (4, "2026-11-27T01:00:00Z")
    assert [r.message_id for r in outbox.pending(conn, limit=2, after_id=ids[0])] == ["m2", "m3"]
    assert outbox.mark_sent(conn, ids[:2], "2026-11-27T09:00:00Z") == 2
    assert outbox.mark_sent(conn, ids[:1], "2026-11-27T10:00:00Z") == 0  # first sent_at kept
    assert [r.message_id for r in outbox.pending(conn)] == ["m3", "m4"]
    assert outbox.depth(conn) == (2, "2026-11-27T03:00:00Z")
    sent = conn.execute("SELECT sent_at FROM outbox_sent WHERE id = ?", (ids[0],)).fetchone()[0]
    assert sent == "2026-11-27T09:00:00Z"
    assert outbox.delivered(conn) == (2, "2026-11-27T09:00:00Z")
    assert outbox.newest_unsent_id(conn) == ids[3]
    assert outbox.mark_sent(conn, [*ids[2:], 999], "2026-11-27T11:00:00Z") == 2  # 999: none
    assert outbox.depth(conn) == (0, None) and outbox.newest_unsent_id(conn) == 0
    assert outbox.delivered(conn) == (4, "2026-11-27T11:00:00Z")


def test_marking_sent_leaves_the_published_row_as_it_was(conn):
    """The wide row (its JSON) is written once; delivery is recorded beside it."""
    row_id = outbox.enqueue(conn, "sale", "s1", {"total": 5000}, "2026-11-27T08:00:00Z")
    before = tuple(conn.execute("SELECT * FROM outbox WHERE id = ?", (row_id,)).fetchone())
    writes: list[str] = []
    conn.set_trace_callback(writes.append)
    outbox.mark_sent(conn, [row_id], "2026-11-27T09:00:00Z")
    conn.set_trace_callback(None)
    assert not [w for w in writes if "UPDATE OUTBOX " in w.upper() + " "]
    assert tuple(conn.execute("SELECT * FROM outbox WHERE id = ?", (row_id,)).fetchone()) == before


def test_a_row_inserted_by_plain_sql_is_queued_and_deleting_it_unqueues_it(conn):
    conn.execute("INSERT INTO outbox(topic, message_id, payload, created_at)"
                 " VALUES ('event', 'e1', '{}', 't')")  # fmt: skip
    [row] = outbox.pending(conn)
    assert row.message_id == "e1"
    conn.execute("DELETE FROM outbox WHERE id = ?", (row.id,))  # e.g. a tampering test
    assert outbox.depth(conn) == (0, None)


def test_enqueue_joins_the_callers_transaction(conn):
    with pytest.raises(RuntimeError), transaction(conn):
        outbox.enqueue(conn, "stock", "s1", {"sku": "A"}, "t")
        raise RuntimeError("caller failed later")
    assert outbox.depth(conn) == (0, None)


def test_duplicate_message_id_is_refused(conn):
    outbox.enqueue(conn, "sale", "abc", {}, "t")
    with pytest.raises(sqlite3.IntegrityError):
        outbox.enqueue(conn, "sale", "abc", {}, "t")


@pytest.mark.parametrize("topic", ["", "a/b", "#", "sale+"])
def test_bad_topics_are_refused(conn, topic):
    with pytest.raises(ValueError, match="topic"):
        outbox.enqueue(conn, topic, "m", {}, "t")


def test_record_attempt_counts(conn):
    row_id = outbox.enqueue(conn, "alert", "a1", {"msg": "paper out"}, "t")
    outbox.record_attempt(conn, [row_id])
    outbox.record_attempt(conn, [row_id])
    [row] = outbox.pending(conn)
    assert row.attempts == 2
    assert json.loads(row.payload) == {"msg": "paper out"}


def statements_run_by(conn, call) -> list[str]:
    """The SQL ``call`` really runs on ``conn``, parameters bound (sqlite3 trace)."""
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    return [s for s in seen if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def query_plan(conn, statement: str) -> str:
    return " ".join(str(tuple(r)) for r in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))


def test_pending_walks_the_unsent_ids_not_the_outbox(conn):
    for n in range(5):
        outbox.enqueue(conn, "sale", f"m{n}", {"n": n}, "2026-11-27T00:00:00Z")
    [statement] = statements_run_by(conn, lambda: outbox.pending(conn, limit=10, after_id=2))
    plan = query_plan(conn, statement)
    assert "SEARCH u USING INTEGER PRIMARY KEY (rowid>?)" in plan, plan
    assert "SEARCH o USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan
    assert "SCAN" not in plan, plan
