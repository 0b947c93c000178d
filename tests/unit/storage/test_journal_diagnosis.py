"""verify() names what was done to the journal, with the exact records (written for the
mutants that survived `make mutation`: the older tests only looked for a keyword)."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.storage import journal
from kiosk.storage.journal import GENESIS_HASH, record_hash, verify
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A ledger with 8 sales and 8 events: journal records 1..16."""
    led = SqliteLedger(tmp_path / "ledger.db", "kiosk-1")
    rng = random.Random(42)
    for n in range(8):
        led.commit_sale(make_sale(rng, created_at=f"2026-11-27T06:00:{n:02d}.000000Z"))
        led.record_event("no_sale", f"drawer-{n}", {"n": n}, f"2026-11-27T06:00:{n:02d}.5Z")
    yield led.conn
    led.close()


def hash_of(conn: sqlite3.Connection, seq: int) -> str:
    return str(conn.execute("SELECT hash FROM journal WHERE seq = ?", (seq,)).fetchone()[0])


def shift(conn: sqlite3.Connection, from_seq: int, by: int) -> None:
    """Renumber records ``from_seq``.. by ``by`` (two steps: seq is the primary key)."""
    conn.execute("UPDATE journal SET seq = -(seq + ?) WHERE seq >= ?", (by, from_seq))
    conn.execute("UPDATE journal SET seq = -seq WHERE seq < 0")


def insert_forged(conn: sqlite3.Connection, seq: int, prev_hash: str) -> str:
    """A self-consistent forged record at ``seq`` chained to ``prev_hash``; its hash."""
    entry = (seq, "no_sale", f"forged-{seq}", "2026-11-27T06:30:00Z", '{"n":99}')
    digest = record_hash(prev_hash, entry)
    conn.execute("INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)", (*entry, prev_hash, digest))
    return digest


def problem(conn: sqlite3.Connection) -> tuple[int | None, str]:
    result = verify(conn)
    assert not result.ok
    return result.first_bad_seq, result.problem


@pytest.mark.parametrize("inserted", [1, 2])
def test_records_inserted_in_the_middle_are_counted(
    conn: sqlite3.Connection, inserted: int
) -> None:
    prev = hash_of(conn, 4)
    shift(conn, 5, inserted)
    for seq in range(5, 5 + inserted):
        prev = insert_forged(conn, seq, prev)
    moved = 5 + inserted
    assert problem(conn) == (
        5,
        f"journal records 5..{moved - 1} were inserted: the record now at {moved} was written as 5",
    )


def test_inserted_records_are_found_beyond_the_search_through_the_chain(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record the moved one chains to says where it was written, however far."""
    monkeypatch.setattr(journal, "RENUMBER_SEARCH", 1)
    prev = hash_of(conn, 4)
    shift(conn, 5, 3)
    for seq in (5, 6, 7):
        prev = insert_forged(conn, seq, prev)
    assert problem(conn) == (
        5,
        "journal records 5..7 were inserted: the record now at 8 was written as 5",
    )


def test_records_inserted_before_the_first_are_counted(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "RENUMBER_SEARCH", 1)
    shift(conn, 1, 2)
    insert_forged(conn, 2, insert_forged(conn, 1, GENESIS_HASH))
    assert problem(conn) == (
        1,
        "journal records 1..2 were inserted: the record now at 3 was written as 1",
    )


def test_one_record_inserted_at_the_start(conn: sqlite3.Connection) -> None:
    shift(conn, 1, 1)
    insert_forged(conn, 1, GENESIS_HASH)
    assert problem(conn) == (
        1,
        "journal records 1..1 were inserted: the record now at 2 was written as 1",
    )


def test_inserted_when_the_predecessor_is_gone_searches_below(conn: sqlite3.Connection) -> None:
    """Record 4 deleted, two forged in its place: the moved record 5 has no chain hint."""
    prev = hash_of(conn, 3)
    conn.execute("DELETE FROM journal WHERE seq = 4")
    shift(conn, 5, 1)
    insert_forged(conn, 5, insert_forged(conn, 4, prev))
    assert problem(conn) == (
        5,
        "journal records 5..5 were inserted: the record now at 6 was written as 5",
    )


@pytest.mark.parametrize("deleted", [1, 2])
def test_records_deleted_and_renumbered_are_counted(conn: sqlite3.Connection, deleted: int) -> None:
    conn.execute("DELETE FROM journal WHERE seq BETWEEN 6 AND ?", (5 + deleted,))
    shift(conn, 6 + deleted, -deleted)
    assert problem(conn) == (
        6,
        f"journal records 6..{5 + deleted} were deleted and later records renumbered: "
        f"the record now at 6 was written as {6 + deleted}",
    )


def test_a_renumbering_beyond_the_search_reads_as_an_edit(
    conn: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal, "RENUMBER_SEARCH", 2)
    conn.execute("DELETE FROM journal WHERE seq BETWEEN 6 AND 8")
    shift(conn, 9, -3)
    assert problem(conn) == (6, "journal record 6 was edited: its hash does not match its contents")
    monkeypatch.setattr(journal, "RENUMBER_SEARCH", 3)
    assert problem(conn)[1].startswith("journal records 6..8 were deleted")


def test_a_rewritten_record_breaks_the_next_link(conn: sqlite3.Connection) -> None:
    row = conn.execute("SELECT seq, kind, ref, created_at, payload, prev_hash FROM journal"
                       " WHERE seq = 5").fetchone()  # fmt: skip
    forged = (5, row[1], row[2], row[3], row[4].replace('"receipt_no":3', '"receipt_no":30'))
    conn.execute("UPDATE journal SET payload = ?, hash = ? WHERE seq = 5",
                 (forged[4], record_hash(row[5], forged)))  # fmt: skip
    assert problem(conn) == (
        6,
        "journal record 6 does not chain to record 5: record 6 was inserted or record 5 was "
        "rewritten with a new hash",
    )


@pytest.mark.parametrize("inserted", [1, 2])
def test_inserted_records_with_the_later_ones_rehashed_in_place(
    conn: sqlite3.Connection, inserted: int
) -> None:
    """A forger who renumbers and rehashes the later records but keeps their prev_hash:
    the first of them still chains to record 4."""
    prev = hash_of(conn, 4)
    shift(conn, 5, inserted)
    rows = conn.execute("SELECT seq, kind, ref, created_at, payload, prev_hash FROM journal"
                        " WHERE seq > ? ORDER BY seq", (4 + inserted,)).fetchall()  # fmt: skip
    for seq, kind, ref, created_at, payload, stored_prev in rows:
        digest = record_hash(stored_prev, (seq, kind, ref, created_at, payload))
        conn.execute("UPDATE journal SET hash = ? WHERE seq = ?", (digest, seq))
    for seq in range(5, 5 + inserted):
        prev = insert_forged(conn, seq, prev)
    moved = 5 + inserted
    assert problem(conn) == (
        5,
        f"journal records 5..{moved - 1} were inserted: record {moved} chains to record 4",
    )


def test_an_untouched_journal_has_no_problem_text(conn: sqlite3.Connection) -> None:
    assert (verify(conn).ok, verify(conn).problem) == (True, "")


@pytest.mark.parametrize(
    ("deleted", "message"),
    [
        (1, "journal record 1 is missing (deleted): the start is followed by record 2"),
        (2, "journal record 2 is missing (deleted): record 1 is followed by record 3"),
        (6, "journal record 6 is missing (deleted): record 5 is followed by record 7"),
    ],
)
def test_a_missing_record_names_its_neighbours(
    conn: sqlite3.Connection, deleted: int, message: str
) -> None:
    conn.execute("DELETE FROM journal WHERE seq = ?", (deleted,))
    assert problem(conn) == (deleted, message)


def sale_record(conn: sqlite3.Connection, seq: int) -> tuple[int, str]:
    row = conn.execute("SELECT seq, ref FROM journal WHERE seq = ? AND kind = 'sale'", (seq,))
    found = row.fetchone()
    assert found is not None, f"record {seq} is not a sale"
    return int(found[0]), str(found[1])


def test_a_journaled_sale_missing_from_the_sales_table(conn: sqlite3.Connection) -> None:
    seq, sale_id = sale_record(conn, 3)
    conn.execute("DELETE FROM sales WHERE sale_id = ?", (sale_id,))  # lines, taxes cascade
    assert problem(conn) == (
        seq,
        f"journal record {seq} is sale {sale_id}, which the sales table lacks",
    )


def test_a_sale_row_that_differs_from_its_record(conn: sqlite3.Connection) -> None:
    seq, sale_id = sale_record(conn, 5)
    conn.execute("UPDATE sales SET body = replace(body, '\"cashier\"', '\"Cashier\"')"
                 " WHERE sale_id = ?", (sale_id,))  # fmt: skip
    assert problem(conn) == (
        seq,
        f"sale {sale_id} in the sales table differs from journal record {seq}",
    )


def test_a_sale_whose_outbox_row_is_gone_or_changed(conn: sqlite3.Connection) -> None:
    seq, sale_id = sale_record(conn, 7)
    conn.execute("UPDATE outbox SET payload = json_set(payload, '$.total', 1) WHERE message_id = ?",
                 (sale_id,))  # fmt: skip
    assert problem(conn) == (
        seq,
        f"journal record {seq} (sale {sale_id}) differs from its outbox row",
    )
    conn.execute("DELETE FROM outbox WHERE message_id = ?", (sale_id,))
    assert problem(conn) == (seq, f"journal record {seq} (sale {sale_id}) has no outbox row")


def test_a_cut_off_tail_is_named_by_the_first_sale_it_took(conn: sqlite3.Connection) -> None:
    # records 15 (the 8th sale) and 16 (an event) deleted: the chain itself still holds
    sale_id, receipt = conn.execute(
        "SELECT sale_id, receipt_no FROM sales ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    conn.execute("DELETE FROM journal WHERE seq >= 15")
    assert problem(conn) == (
        15,
        f"sale {sale_id} (receipt {receipt}) has no journal record: journal records were deleted",
    )


def test_a_record_is_appended_only_inside_the_callers_transaction(
    conn: sqlite3.Connection,
) -> None:
    assert not conn.in_transaction
    with pytest.raises(RuntimeError) as caught:
        journal.append(conn, "no_sale", "drawer", "2026-11-27T07:00:00Z", "{}")
    assert str(caught.value) == "journal.append must run inside the caller's transaction"


def test_a_cut_off_event_is_named_by_the_outbox_row_that_publishes_it(
    conn: sqlite3.Connection,
) -> None:
    box_id = conn.execute("SELECT id FROM outbox WHERE message_id LIKE '%:journal:16'").fetchone()[
        0
    ]
    conn.execute("DELETE FROM journal WHERE seq = 16")  # the last event
    assert problem(conn) == (
        16,
        f"outbox row {box_id} publishes journal record 16, which the journal lacks",
    )


def test_a_sale_whose_outbox_row_links_another_hash(conn: sqlite3.Connection) -> None:
    seq, sale_id = sale_record(conn, 9)
    conn.execute(
        "UPDATE outbox SET payload = json_set(payload, '$.journal.hash', ?) WHERE message_id = ?",
        ("0" * 64, sale_id),
    )
    assert problem(conn) == (
        seq,
        f"journal record {seq} (sale {sale_id}) differs from its outbox row",
    )
