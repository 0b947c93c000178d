import pytest

from kiosk.storage import stock
from kiosk.storage.db import open_db, transaction


@pytest.fixture
def conn(tmp_path):
    c = open_db(tmp_path / "l.db")
    yield c
    c.close()


def test_adjust_records_moves_and_keeps_a_running_level(conn):
    assert stock.level(conn, "A") == 0
    assert stock.adjust(conn, "A", 24, "delivery", "PO-1", "2026-11-27T01:00:00Z") == 24
    assert stock.adjust(conn, "A", -30, "count", "CNT-7", "2026-11-27T02:00:00Z") == -6
    assert stock.adjust(conn, "B", 5, "delivery", "PO-1", "2026-11-27T01:00:00Z") == 5
    assert stock.levels(conn) == {"A": -6, "B": 5}
    assert [(m["delta"], m["reason"]) for m in stock.moves(conn, "A")] == [
        (-30, "count"),
        (24, "delivery"),
    ]


@pytest.mark.parametrize(
    ("sku", "delta", "reason", "message"),
    [("", 1, "x", "needs a sku"), ("A", 1.5, "x", "whole number"), ("A", 1, "", "reason")],
)
def test_bad_adjustments_are_refused(conn, sku, delta, reason, message):
    with pytest.raises(ValueError, match=message):
        stock.adjust(conn, sku, delta, reason, "", "t")
    assert stock.levels(conn) == {}


def test_adjust_inside_a_failed_transaction_leaves_nothing(conn):
    with pytest.raises(RuntimeError), transaction(conn):
        stock.adjust(conn, "A", 10, "delivery", "PO-2", "t")
        raise RuntimeError("the rest of the delivery failed")
    assert stock.level(conn, "A") == 0
    assert stock.moves(conn, "A") == []
