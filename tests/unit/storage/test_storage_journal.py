"""Tampering with the journal by SQL is found, and the first bad record is named."""

import random
import sqlite3

import pytest

from kiosk.storage import journal
from kiosk.storage.journal import GENESIS_HASH, record_hash, verify
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale


@pytest.fixture
def ledger(tmp_path):
    led = SqliteLedger(tmp_path / "ledger.db", "kiosk-1")
    rng = random.Random(42)
    for n in range(8):
        led.commit_sale(make_sale(rng, created_at=f"2026-11-27T06:00:{n:02d}.000000Z"))
        led.record_event("no_sale", f"drawer-{n}", {"n": n}, f"2026-11-27T06:00:{n:02d}.5Z")
    yield led
    led.close()


def rows(conn):
    return conn.execute(
        "SELECT seq, kind, ref, created_at, payload, prev_hash, hash FROM journal ORDER BY seq"
    ).fetchall()


def test_an_untouched_journal_verifies(ledger):
    result = verify(ledger.conn)
    assert result.ok, result.problem
    assert result.records == 16
    assert result.first_bad_seq is None


def test_hash_is_sha256_of_prev_hash_and_canonical_record(ledger):
    first = rows(ledger.conn)[0]
    assert first["prev_hash"] == GENESIS_HASH
    entry = (first["seq"], first["kind"], first["ref"], first["created_at"], first["payload"])
    assert record_hash(GENESIS_HASH, entry) == first["hash"]


def test_an_edited_payload_is_found(ledger):
    ledger.conn.execute(
        "UPDATE journal SET payload = replace(payload, '\"n\":3', '\"n\":4') WHERE seq = 8"
    )
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 8)
    assert "edited" in result.problem


def test_an_edited_sale_amount_is_found_even_if_the_hash_is_recomputed(ledger):
    conn = ledger.conn
    row = rows(conn)[4]  # seq 5, a sale
    forged = row["payload"].replace('"receipt_no":3', '"receipt_no":30')
    entry = (row["seq"], row["kind"], row["ref"], row["created_at"], forged)
    conn.execute(
        "UPDATE journal SET payload = ?, hash = ? WHERE seq = 5",
        (forged, record_hash(row["prev_hash"], entry)),
    )
    result = verify(conn)
    assert (result.ok, result.first_bad_seq) == (False, 6)
    assert "does not chain to record 5" in result.problem


def test_a_deleted_record_is_found(ledger):
    ledger.conn.execute("DELETE FROM journal WHERE seq = 6")
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 6)
    assert "missing" in result.problem


def test_deleting_the_first_record_is_found(ledger):
    ledger.conn.execute("DELETE FROM journal WHERE seq = 1")
    assert verify(ledger.conn).first_bad_seq == 1


def test_truncating_the_tail_is_caught_by_the_sales_cross_check(ledger):
    ledger.conn.execute("DELETE FROM journal WHERE seq >= 15")
    result = verify(ledger.conn)
    assert not result.ok
    assert "has no journal record" in result.problem


def test_deleting_and_renumbering_is_found(ledger):
    conn = ledger.conn
    conn.execute("DELETE FROM journal WHERE seq = 6")
    conn.execute("UPDATE journal SET seq = -(seq - 1) WHERE seq > 6")
    conn.execute("UPDATE journal SET seq = -seq WHERE seq < 0")
    result = verify(conn)
    assert (result.ok, result.first_bad_seq) == (False, 6)
    assert "deleted" in result.problem


def test_a_record_appended_with_a_made_up_chain_is_found(ledger):
    conn = ledger.conn
    entry = (17, "no_sale", "forged", "2026-11-27T07:00:00Z", "{}")
    conn.execute(
        "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*entry, "f" * 64, record_hash("f" * 64, entry)),
    )
    result = verify(conn)
    assert (result.ok, result.first_bad_seq) == (False, 17)
    assert "inserted" in result.problem


def test_a_record_inserted_in_the_middle_is_found(ledger):
    conn = ledger.conn
    before = rows(conn)[3]  # seq 4
    conn.execute("UPDATE journal SET seq = -(seq + 1) WHERE seq >= 5")
    conn.execute("UPDATE journal SET seq = -seq WHERE seq < 0")
    entry = (5, "no_sale", "forged", "2026-11-27T06:00:02.7Z", '{"n":99}')
    conn.execute(
        "INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)",
        (*entry, before["hash"], record_hash(before["hash"], entry)),
    )
    result = verify(conn)
    assert (result.ok, result.first_bad_seq) == (False, 5)
    assert "inserted" in result.problem


def test_swapped_records_are_reported_as_reordered(ledger):
    conn = ledger.conn
    conn.execute("UPDATE journal SET seq = -1 WHERE seq = 3")
    conn.execute("UPDATE journal SET seq = 3 WHERE seq = 7")
    conn.execute("UPDATE journal SET seq = 7 WHERE seq = -1")
    result = verify(conn)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "reordered" in result.problem


def test_a_sale_without_its_outbox_row_is_found(ledger):
    ref = rows(ledger.conn)[2]["ref"]  # seq 3, a sale
    ledger.conn.execute("DELETE FROM outbox WHERE message_id = ?", (ref,))
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 3)
    assert "no outbox row" in result.problem


def test_a_journal_sale_without_its_sale_row_is_found(ledger):
    ref = rows(ledger.conn)[4]["ref"]
    ledger.conn.execute("DELETE FROM sales WHERE sale_id = ?", (ref,))
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 5)
    assert "sales table lacks" in result.problem


def test_a_sale_row_edited_behind_the_journals_back_is_found(ledger):
    ref = rows(ledger.conn)[0]["ref"]
    ledger.conn.execute(
        'UPDATE sales SET body = replace(body, \'"cashier":"ana"\', \'"cashier":"bob"\')'
        " WHERE sale_id = ?",
        (ref,),
    )
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 1)
    assert "differs from journal record 1" in result.problem


def test_append_outside_a_transaction_is_refused(ledger):
    with pytest.raises(RuntimeError, match="inside"):
        journal.append(ledger.conn, "x", "y", "t", "{}")


# -- the books against the chain: every column the reports add up ------------------------

SALE_5 = "(SELECT ref FROM journal WHERE seq = 5)"  # the third sale, receipt 3


@pytest.mark.parametrize(
    ("tamper", "named"),
    [
        (f"UPDATE sales SET gross = gross + 1000 WHERE sale_id = {SALE_5}", "sales.gross"),
        (f"UPDATE sales SET total = total - 500 WHERE sale_id = {SALE_5}", "sales.total"),
        (f"UPDATE tenders SET amount = amount - 500 WHERE sale_id = {SALE_5}", "tenders.amount"),
        (f"UPDATE sale_taxes SET ppn = ppn + 1 WHERE sale_id = {SALE_5}", "sale_taxes.ppn"),
        (
            f"UPDATE sale_lines SET qty = 9 WHERE sale_id = {SALE_5} AND line_no = 2",
            "qty of line 2",
        ),
        (f"DELETE FROM sale_lines WHERE sale_id = {SALE_5} AND line_no = 2", "line 2 is missing"),
        (
            f"INSERT INTO tenders SELECT sale_id, 9, 'cash', 1000, NULL, '', '', '', ''"
            f" FROM sales WHERE sale_id = {SALE_5}",
            "tender 9 the journal does not",
        ),
        (f"DELETE FROM sale_taxes WHERE sale_id = {SALE_5}", "missing from sale_taxes"),
    ],
)
def test_every_column_the_reports_add_up_is_checked_against_the_chain(ledger, tamper, named):
    tampering = sqlite3.connect(ledger.conn.execute("PRAGMA database_list").fetchone()[2])
    with tampering:  # a plain connection: no foreign keys, as someone editing the file would
        tampering.execute(tamper)
    tampering.close()
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 5), result.problem
    assert named in result.problem and "receipt 3" in result.problem


def delete_sale_everywhere(conn, where: str) -> None:
    conn.execute("PRAGMA foreign_keys = OFF")
    for table in ("sale_lines", "sale_taxes", "tenders", "stock_moves"):
        column = "ref" if table == "stock_moves" else "sale_id"
        conn.execute(f"DELETE FROM {table} WHERE {column} IN (SELECT sale_id FROM sales {where})")
    conn.execute(f"DELETE FROM outbox WHERE message_id IN (SELECT sale_id FROM sales {where})")
    conn.execute(f"DELETE FROM journal WHERE ref IN (SELECT sale_id FROM sales {where})")
    conn.execute(f"DELETE FROM sales {where}")


def test_deleting_the_last_sale_from_every_table_is_found_by_the_counter(ledger):
    conn = ledger.conn
    conn.execute("DELETE FROM outbox WHERE message_id LIKE '%:journal:16'")
    conn.execute("DELETE FROM journal WHERE seq = 16")  # the event after it, too
    delete_sale_everywhere(conn, "WHERE receipt_no = 8")
    result = verify(conn)
    assert not result.ok
    assert "issued receipt 8" in result.problem and "receipt 7" in result.problem


def test_an_edited_receipt_counter_is_found(ledger):
    ledger.conn.execute("UPDATE device_counters SET last_receipt_no = 5")
    result = verify(ledger.conn)
    assert not result.ok and "counter was edited" in result.problem


def test_lines_of_a_sale_the_journal_does_not_know_are_found(ledger):
    ledger.conn.execute("PRAGMA foreign_keys = OFF")
    ledger.conn.execute(
        "INSERT INTO sale_lines VALUES ('ghost', 1, 'SKU001', 'x', 1, 1000, 1000, 0, 1000,"
        " '11', '', 'food', NULL)"
    )
    result = verify(ledger.conn)
    assert not result.ok and "sale_lines has rows of sale ghost" in result.problem


def test_an_outbox_sale_the_journal_lacks_is_found(ledger):
    ledger.conn.execute(
        "INSERT INTO outbox(topic, message_id, payload, created_at) VALUES"
        " ('sale', 'forged', '{}', '2026-11-27T07:00:00.000000Z')"
    )
    result = verify(ledger.conn)
    assert not result.ok and "outbox publishes sale forged" in result.problem


def test_an_outbox_event_that_differs_from_its_record_is_found(ledger):
    ledger.conn.execute(
        "UPDATE outbox SET payload = replace(payload, '\"n\":3', '\"n\":30')"
        " WHERE message_id = 'kiosk-1:journal:8'"
    )
    result = verify(ledger.conn)
    assert (result.ok, result.first_bad_seq) == (False, 8)
    assert "differs from journal record 8" in result.problem
