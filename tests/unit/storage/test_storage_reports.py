"""Report figures on a small dataset whose totals are worked out by hand."""

import pytest

from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.reports import day_report, x_report

DAY = "2026-11-27"


def line(n, price, qty=1, discount=0, rate="11"):
    return SaleLine(
        line_no=n, sku=f"S{n}", name=f"Item {n}", qty=qty, unit_price=price,
        gross=price * qty, discount=discount, amount=price * qty - discount,
        tax_rate_percent=rate,
    )  # fmt: skip


def sale(sale_id, lines, taxes, tenders, *, day=DAY, device="kiosk-1", rounding=0, extra=None):
    total = sum(ln.amount for ln in lines)
    return CompletedSale(
        sale_id=sale_id, store_id="store-1", device_id=device, business_date=day,
        created_at=f"{day}T03:00:00.000000Z", lines=tuple(lines), taxes=tuple(taxes),
        tenders=tuple(tenders), total=total, discount_total=sum(ln.discount for ln in lines),
        cash_rounding=rounding, extra=extra or {},
    )  # fmt: skip


@pytest.fixture
def conn(tmp_path):
    one = SqliteLedger(tmp_path / "l.db", "kiosk-1")
    two = SqliteLedger(one.conn, "kiosk-2")
    # A: 10,000 + 2 x 5,550 (11%), cash 21,100 -> rounds to 21,100 - 0; paid 21,100
    one.commit_sale(
        sale(
            "A",
            [line(1, 10_000), line(2, 5_550, qty=2)],
            [TaxLine("11", 21_100, 19_009, 2_091)],
            [TenderRecord("cash", 21_100, given=50_000)],
        )
    )
    # B: 20,000 less 2,000 discount (11%) + 3,050 exempt; card 18,000 + cash 3,000 (-50)
    one.commit_sale(
        sale(
            "B",
            [line(1, 20_000, discount=2_000), line(2, 3_050, rate="0")],
            [TaxLine("11", 18_000, 16_216, 1_784), TaxLine("0", 3_050, 3_050, 0)],
            [TenderRecord("card", 18_000), TenderRecord("cash", 3_000, given=3_000)],
            rounding=-50,
            extra={"voids": {"count": 1, "amount": 4_000}},
        )
    )
    # C: 1,001 qris
    one.commit_sale(
        sale("C", [line(1, 1_001)], [TaxLine("11", 1_001, 902, 99)], [TenderRecord("qris", 1_001)])
    )
    # Not in the report of kiosk-1 on DAY: another day, and another device.
    one.commit_sale(
        sale("D", [line(1, 7_000)], [TaxLine("11", 7_000, 6_306, 694)],
             [TenderRecord("cash", 7_000)], day="2026-11-28")
    )  # fmt: skip
    two.commit_sale(
        sale("E", [line(1, 9_000)], [TaxLine("11", 9_000, 8_108, 892)],
             [TenderRecord("card", 9_000)], device="kiosk-2")
    )  # fmt: skip
    yield one.conn
    one.close()


def test_day_report_of_one_device(conn):
    report = day_report(conn, DAY, "kiosk-1")
    assert report == {
        "business_date": DAY,
        "device_id": "kiosk-1",
        "transactions": 3,
        "gross": 10_000 + 11_100 + 20_000 + 3_050 + 1_001,  # 45,151
        "discounts": 2_000,
        "returns": 0,
        "net": 43_151,
        "average_ticket": 14_384,  # 43,151 / 3 = 14,383.67 -> half up
        "taxes": [
            {"rate_percent": "11", "taxable": 40_101, "dpp": 36_127, "ppn": 3_974},
            {"rate_percent": "0", "taxable": 3_050, "dpp": 3_050, "ppn": 0},
        ],
        "tenders": [
            {"method": "cash", "count": 2, "amount": 24_100},
            {"method": "card", "count": 1, "amount": 18_000},
            {"method": "qris", "count": 1, "amount": 1_001},
        ],
        "channels": [{"channel": "store", "count": 3, "total": 43_151}],
        "voids": {"count": 1, "amount": 4_000},
        "cash_rounding": -50,
        "first_receipt": 1,
        "last_receipt": 3,
    }


def test_day_report_of_all_devices_adds_the_other_device(conn):
    report = day_report(conn, DAY)
    assert report["transactions"] == 4
    assert report["net"] == 43_151 + 9_000
    assert {t["method"]: t["amount"] for t in report["tenders"]}["card"] == 27_000


def test_an_empty_day(conn):
    report = x_report(conn, "2026-01-01", "kiosk-1")
    assert report["transactions"] == 0
    assert report["average_ticket"] == 0
    assert report["taxes"] == [] and report["tenders"] == []
    assert report["first_receipt"] is None and report["last_receipt"] is None


def test_x_report_matches_the_day_so_far(conn):
    assert x_report(conn, DAY, "kiosk-1") == day_report(conn, DAY, "kiosk-1")


def test_the_report_queries_use_the_date_index(conn):
    seen: list[str] = []
    conn.set_trace_callback(seen.append)
    try:
        day_report(conn, DAY, "kiosk-1")
        day_report(conn, DAY)
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 8  # totals, taxes, tenders, channels; for one device and for all
    for statement in selects:
        plan = " ".join(str(tuple(r)) for r in conn.execute(f"EXPLAIN QUERY PLAN {statement}"))
        assert "sales_by_date" in plan, statement
        assert "SCAN" not in plan, (statement, plan)
