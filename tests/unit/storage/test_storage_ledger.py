import dataclasses
import json
import random
import sqlite3

import pytest

from kiosk.domain.sale import CompletedSale, SaleLine
from kiosk.ports import Ledger
from kiosk.storage import journal, outbox
from kiosk.storage.ledger import SaleRefusedError, SqliteLedger, SuspendedBasketNotFoundError
from kiosk.testing.sales import make_sale

TABLES = ("sales", "sale_lines", "sale_taxes", "tenders", "stock_moves", "journal", "outbox")


def counts(conn):
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def ledger(tmp_path):
    led = SqliteLedger(tmp_path / "ledger.db", "kiosk-1")
    yield led
    led.close()


def test_is_a_ledger_port(ledger):
    assert isinstance(ledger, Ledger)


def test_commit_writes_sale_lines_taxes_tenders_stock_journal_and_outbox(ledger):
    sale = make_sale(random.Random(1), lines=4)
    stored = ledger.commit_sale(sale)
    assert stored.receipt_no == 1
    assert stored == dataclasses.replace(sale, receipt_no=1)
    conn = ledger.conn
    assert counts(conn) == {
        "sales": 1,
        "sale_lines": 4,
        "sale_taxes": len(sale.taxes),
        "tenders": len(sale.tenders),
        "stock_moves": 4,
        "journal": 1,
        "outbox": 1,
    }
    row = conn.execute("SELECT receipt_no, total, gross, body FROM sales").fetchone()
    assert (row[0], row[1], row[2]) == (1, sale.total, sale.gross)
    assert CompletedSale.from_dict(json.loads(row[3])) == stored
    [box] = outbox.pending(conn)
    assert (box.topic, box.message_id) == ("sale", sale.sale_id)
    assert json.loads(box.payload)["receipt_no"] == 1
    record = conn.execute("SELECT kind, ref, payload FROM journal").fetchone()
    assert (record[0], record[1], record[2]) == ("sale", sale.sale_id, row[3])
    assert ledger.get_sale(sale.sale_id) == stored
    assert ledger.get_sale_by_receipt(1) == stored
    assert ledger.get_sale("nope") is None
    assert ledger.sale_count() == 1


def test_stock_moves_minus_qty_and_grams_for_weighed_lines(ledger):
    base = make_sale(random.Random(2), lines=1)
    line = dataclasses.replace(base.lines[0], sku="APPLE", qty=1, weight_g=750)
    box = dataclasses.replace(base.lines[0], sku="BOX", qty=3, weight_g=None, line_no=2)
    ledger.commit_sale(dataclasses.replace(base, lines=(line, box)))
    levels = dict(ledger.conn.execute("SELECT sku, qty FROM stock_levels").fetchall())
    assert levels == {"APPLE": -750, "BOX": -3}


def test_same_sale_id_twice_returns_the_stored_sale_and_writes_nothing(ledger):
    sale = make_sale(random.Random(3))
    first = ledger.commit_sale(sale)
    before = counts(ledger.conn)
    again = ledger.commit_sale(dataclasses.replace(sale, cashier="someone else"))
    assert again == first
    assert counts(ledger.conn) == before
    assert ledger.last_receipt_no() == 1


def test_receipt_numbers_are_gap_free_even_after_a_failed_commit(ledger, monkeypatch):
    rng = random.Random(4)
    for _ in range(3):
        ledger.commit_sale(make_sale(rng))

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(RuntimeError):
        ledger.commit_sale(make_sale(rng))
    monkeypatch.undo()
    assert ledger.commit_sale(make_sale(rng)).receipt_no == 4
    numbers = [
        r[0] for r in ledger.conn.execute("SELECT receipt_no FROM sales ORDER BY receipt_no")
    ]
    assert numbers == [1, 2, 3, 4]


def test_an_exception_late_in_the_transaction_leaves_nothing(ledger, monkeypatch):
    ledger.commit_sale(make_sale(random.Random(5)))
    before = counts(ledger.conn)
    levels_before = ledger.conn.execute("SELECT * FROM stock_levels ORDER BY sku").fetchall()

    def broken(*args, **kwargs):
        raise OSError("injected after journal append")

    monkeypatch.setattr(outbox, "enqueue", broken)
    with pytest.raises(OSError, match="injected"):
        ledger.commit_sale(make_sale(random.Random(6)))
    assert not ledger.conn.in_transaction
    assert counts(ledger.conn) == before
    assert (
        ledger.conn.execute("SELECT * FROM stock_levels ORDER BY sku").fetchall() == levels_before
    )
    assert ledger.last_receipt_no() == 1
    assert journal.verify(ledger.conn).ok


def test_a_constraint_violation_mid_transaction_leaves_nothing(ledger):
    sale = make_sale(random.Random(7))
    # Someone else's row already holds receipt 1 of this device: the sale insert fails
    # after the counter moved; the counter must roll back with it.
    ledger.conn.execute(
        "INSERT INTO sales(sale_id, device_id, receipt_no, business_date, created_at, total,"
        " discount_total, gross, cash_rounding, change, cashier, member_id, mode, body)"
        " VALUES ('other', 'kiosk-1', 1, '2026-11-27', 't', 0, 0, 0, 0, 0, '', '', 'counter', '{}')"
    )
    before = counts(ledger.conn)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        ledger.commit_sale(sale)
    assert counts(ledger.conn) == before
    assert ledger.last_receipt_no() == 0


def test_duplicate_line_numbers_roll_back_the_whole_sale(ledger):
    sale = make_sale(random.Random(8), lines=2)
    twin = dataclasses.replace(sale.lines[1], line_no=1)
    with pytest.raises(sqlite3.IntegrityError):
        ledger.commit_sale(dataclasses.replace(sale, lines=(sale.lines[0], twin)))
    assert all(n == 0 for n in counts(ledger.conn).values())


def test_a_sale_from_another_device_is_refused(ledger):
    with pytest.raises(ValueError, match="kiosk-9"):
        ledger.commit_sale(make_sale(random.Random(9), device_id="kiosk-9"))


def test_each_device_counts_its_own_receipts(tmp_path):
    a = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    b = SqliteLedger(tmp_path / "l.db", "kiosk-2")
    rng = random.Random(10)
    assert a.commit_sale(make_sale(rng)).receipt_no == 1
    assert b.commit_sale(make_sale(rng, device_id="kiosk-2")).receipt_no == 1
    assert a.commit_sale(make_sale(rng)).receipt_no == 2
    assert b.get_sale_by_receipt(2, device_id="kiosk-1") is not None
    a.close()
    b.close()


def test_voids_are_taken_from_extra(ledger):
    sale = dataclasses.replace(
        make_sale(random.Random(11)), extra={"voids": {"count": 2, "amount": 7000}}
    )
    ledger.commit_sale(sale)
    assert tuple(ledger.conn.execute("SELECT void_count, void_amount FROM sales").fetchone()) == (
        2,
        7000,
    )
    bad = dataclasses.replace(make_sale(random.Random(12)), extra={"void_count": "two"})
    with pytest.raises(ValueError, match="void count"):
        ledger.commit_sale(bad)


def test_record_event_journals_and_optionally_publishes(ledger):
    ledger.record_event("no_sale", "drawer", {"reason": "change"}, "2026-11-27T01:00:00Z")
    ledger.record_event("void", "b1", {"line_no": 2}, "2026-11-27T01:00:01Z", publish=False)
    kinds = [r[0] for r in ledger.conn.execute("SELECT kind FROM journal ORDER BY seq")]
    assert kinds == ["no_sale", "void"]
    [row] = outbox.pending(ledger.conn)
    assert row.topic == "event"
    assert json.loads(row.payload)["payload"] == {"reason": "change"}
    with pytest.raises(ValueError, match="sale"):
        ledger.record_event("sale", "x", {}, "t")
    assert journal.verify(ledger.conn).ok


def test_suspend_and_resume_a_basket(ledger):
    basket = {"basket_id": "b1", "lines": [{"sku": "A", "qty": 2}]}
    ledger.suspend_basket("b1", basket, "Ibu Sari", "2026-11-27T01:00:00Z")
    with pytest.raises(ValueError, match="already suspended"):
        ledger.suspend_basket("b1", basket, "again", "2026-11-27T01:00:01Z")
    assert ledger.list_suspended() == [
        {"basket_id": "b1", "created_at": "2026-11-27T01:00:00Z", "label": "Ibu Sari"}
    ]
    assert ledger.resume_basket("b1") == basket
    assert ledger.list_suspended() == []
    with pytest.raises(SuspendedBasketNotFoundError, match="no suspended basket 'b1'"):
        ledger.resume_basket("b1")
    with pytest.raises(KeyError):
        ledger.resume_basket("never")
    kinds = [r[0] for r in ledger.conn.execute("SELECT kind FROM journal ORDER BY seq")]
    assert kinds == ["suspend", "resume"]


def test_checkpoint_moves_the_wal_into_the_database(ledger):
    rng = random.Random(13)
    for _ in range(20):
        ledger.commit_sale(make_sale(rng))
    result = ledger.checkpoint()
    assert not result.busy and result.wal_frames > 0
    assert result.copied_frames == result.wal_frames and result.complete


def test_ledger_on_a_given_connection(tmp_path):
    from kiosk.storage.db import open_db

    conn = open_db(tmp_path / "l.db")
    led = SqliteLedger(conn, "kiosk-1")
    led.commit_sale(make_sale(random.Random(14)))
    led.close()  # does not close a connection it did not open
    assert conn.execute("SELECT count(*) FROM sales").fetchone()[0] == 1


def test_line_with_unknown_weight_type_is_stored_verbatim(ledger):
    sale = make_sale(random.Random(15), lines=1)
    line = SaleLine(**{**dataclasses.asdict(sale.lines[0]), "promotions": ("P1", "P2")})
    stored = ledger.commit_sale(dataclasses.replace(sale, lines=(line,)))
    assert ledger.get_sale(sale.sale_id) == stored
    assert stored.lines[0].promotions == ("P1", "P2")


def test_outbox_documents_pass_the_telemetry_schemas(ledger):
    from kiosk.contract.schemas import validate

    ledger.commit_sale(make_sale(random.Random(16)))
    ledger.record_event("no_sale", "drawer", {"reason": "change"}, "2026-11-27T01:00:00.000000Z")
    rows = outbox.pending(ledger.conn)
    assert sorted(row.topic for row in rows) == ["event", "sale"]
    for row in rows:
        assert validate(row.topic, json.loads(row.payload)) == [], row.topic


# -- a closed past -------------------------------------------------------------------------


def test_an_ended_business_day_takes_no_more_sales(ledger):
    rng = random.Random(21)
    ledger.commit_sale(
        make_sale(rng, business_date="2026-11-28", created_at="2026-11-28T02:00:00.000000Z")
    )
    before = counts(ledger.conn)
    late = make_sale(rng, business_date="2026-11-27", created_at="2026-11-28T03:00:00.000000Z")
    with pytest.raises(SaleRefusedError, match="business day 2026-11-27 has ended"):
        ledger.commit_sale(late)
    assert counts(ledger.conn) == before and ledger.last_receipt_no() == 1


def test_a_sale_dated_before_the_previous_sale_is_refused(ledger):
    rng = random.Random(22)
    ledger.commit_sale(make_sale(rng, created_at="2026-11-27T06:00:00.000000Z"))
    with pytest.raises(SaleRefusedError, match="before the previous sale"):
        ledger.commit_sale(make_sale(rng, created_at="2026-11-27T05:59:59.999999Z"))
    same = ledger.commit_sale(make_sale(rng, created_at="2026-11-27T06:00:00.000000Z"))
    assert same.receipt_no == 2  # the same instant is not before it


def test_the_clock_floor_is_the_later_of_the_stored_floor_and_the_last_record(ledger):
    assert ledger.clock_floor() is None
    ledger.remember_time("2026-11-27T06:00:00.000000Z", synchronised=True)
    ledger.record_event("no_sale", "d", {}, "2026-11-27T07:00:00.000000Z")
    assert ledger.clock_floor() == "2026-11-27T07:00:00.000000Z"
    ledger.remember_time("2026-11-27T08:00:00.000000Z", synchronised=False)
    ledger.remember_time("2026-11-27T05:00:00.000000Z", synchronised=False)  # never lowers
    assert ledger.clock_floor() == "2026-11-27T08:00:00.000000Z"
