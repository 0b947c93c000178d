"""X, Z and shift report documents whole, from figures written by hand: every section and
row, the defaults of figures a day may lack, the language and offset, and the layout's
edges (written for mutants of kiosk.domain.books_report that survived the fourth mutation
run; the printer, PDF and CSV forms are in tests/drivers/test_books_report_print.py)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.domain.books_report import (
    ReportDocument,
    Section,
    layout_report,
    report_labels,
    shift_document,
    z_document,
)
from kiosk.domain.receipt import PrintLine

HEADER = ["TOKO MAJU JAYA"]


def full_day() -> dict[str, Any]:
    return {
        "business_date": "2026-11-20", "device_id": "K01", "z_number": 7,
        "closed_at": "2026-11-20T14:30:00.000000Z", "first_receipt": 1, "last_receipt": 9,
        "gross": 120_000, "discounts": 5_000, "returns": 2_000, "net": 113_000,
        "cash_rounding": -100, "transactions": 9, "average_ticket": 12_555, "items": 20,
        "items_per_basket": "2.22", "voids": {"count": 2, "amount": 7_500}, "no_sales": 1,
        "taxes": [{"rate_percent": "11", "dpp": 100_901, "ppn": 11_099},
                  {"rate_percent": "0", "dpp": 1_000, "ppn": 0}],
        "tenders": [{"method": "cash", "count": 8, "amount": 100_000},
                    {"method": "voucher", "count": 1, "amount": 12_900}],
        "refunds": {"count": 1, "amount": 2_000, "ppn": 198,
                    "tenders": {"points": 400, "cash": 1_500, "voucher": 100}},
        "channels": [{"channel": "store", "count": 8, "total": 100_000},
                     {"channel": "web", "count": 1, "total": 13_000}],
        "cost_of_goods": {"costed_lines": 12, "sold": 80_000, "returned": 1_500},
        "over_short": {"Siti": 200, "Budi": -100},
    }  # fmt: skip


def test_a_z_report_of_a_full_day_has_every_section_and_row() -> None:
    document = z_document(full_day(), kind="Z", header=HEADER, lang="en", printed_at="P",
                          utc_offset_minutes=420)  # fmt: skip
    assert document == ReportDocument(
        "Z REPORT", ("TOKO MAJU JAYA",),
        (("Business day", "2026-11-20"), ("Till", "K01"), ("Z number", "7"),
         ("Closed", "2026-11-20 21:30"), ("Printed", "P")),
        (Section("Sales", (
            ("Gross sales", "Rp120,000"), ("Discounts", "-Rp5,000"), ("Returns", "-Rp2,000"),
            ("Net sales", "Rp113,000"), ("Cash rounding", "-Rp100"), ("Transactions", "9"),
            ("Average ticket", "Rp12,555"), ("Items sold", "20"), ("Items per basket", "2.22"),
            ("Line voids", "2 (Rp7,500)"), ("No-sales (drawer opened)", "1"),
            ("Receipts", "1-9"))),
         Section("Taxes", (("Tax base 11%", "Rp100,901"), ("VAT 11%", "Rp11,099"),
                           ("Tax base 0%", "Rp1,000"), ("VAT 0%", "Rp0"))),
         Section("Tenders", (("Cash (8)", "Rp100,000"), ("voucher (1)", "Rp12,900"))),
         Section("Refunds", (("Refunds made", "1"), ("Refunded", "Rp2,000"),
                             ("VAT in refunds", "Rp198"), ("Cash", "Rp1,500"),
                             ("Points", "Rp400"), ("voucher", "Rp100"))),
         Section("Sales by channel", (("At the till (8)", "Rp100,000"),
                                      ("Web shop (1)", "Rp13,000"))),
         Section("Cost of goods", (("Cost of goods sold", "Rp78,500"),)),
         Section("Over/short by cashier", (("Budi", "-Rp100"), ("Siti", "Rp200")))),
        "en",
    )  # fmt: skip


def test_a_channel_without_a_label_is_shown_by_its_name() -> None:
    day = {**full_day(), "channels": [{"channel": "gofood", "count": 2, "total": 30_000}]}
    document = z_document(day, kind="X", header=HEADER, lang="id", printed_at="P")
    assert document.sections[4] == Section("Penjualan per kanal", (("gofood (2)", "Rp30.000"),))


def test_figures_a_day_lacks_show_as_their_defaults() -> None:
    day = {**full_day(), "device_id": None, "z_number": None, "closed_at": None,
           "first_receipt": None, "refunds": {"count": 0, "amount": 0, "ppn": 0},
           "channels": [{"channel": "store", "count": 8, "total": 100_000}],
           "cost_of_goods": {"costed_lines": 0, "sold": 0, "returned": 0}, "over_short": {}}  # fmt: skip
    for key in ("items", "items_per_basket", "no_sales"):
        del day[key]
    document = z_document(day, kind="Z", header=HEADER, lang="id", printed_at="P")
    assert document.meta == (("Hari buka", "2026-11-20"), ("Perangkat", ""),
                             ("Nomor Z", "belum ditutup"), ("Ditutup", "belum ditutup"),
                             ("Dicetak", "P"))  # fmt: skip
    rows = dict(document.sections[0].rows)
    assert (rows["Jumlah barang"], rows["Barang per transaksi"]) == ("0", "0,00")
    assert (rows["Laci dibuka tanpa transaksi"], rows["Struk"]) == ("0", "-")
    assert [s.heading for s in document.sections] == ["Penjualan", "Pajak", "Pembayaran", "Refund"]
    assert document.sections[3].rows == (("Jumlah refund", "0"), ("Nilai refund", "Rp0"),
                                         ("PPN dalam refund", "Rp0"))  # fmt: skip


def test_times_are_utc_unless_an_offset_is_given() -> None:
    z = z_document(full_day(), kind="Z", header=HEADER, lang="id", printed_at="P")
    assert ("Ditutup", "2026-11-20 14:30") in z.meta
    shift = shift_document(open_shift(), header=HEADER, lang="id", printed_at="P")
    assert ("Dibuka", "2026-11-20 01:00") in shift.meta


def test_a_language_is_chosen_by_its_first_two_letters_and_indonesian_is_the_default() -> None:
    assert report_labels("en-US")["Z"] == "Z REPORT"
    assert report_labels("fr")["Z"] == "LAPORAN Z"
    document = z_document(full_day(), kind="X", header=HEADER, lang="id-ID", printed_at="P")
    assert ("Barang per transaksi", "2,22") in document.sections[0].rows


def open_shift() -> dict[str, Any]:
    return {"cashier": "Budi", "shift_id": "a1b2c3d4e5f6a7b8", "opened_at": "2026-11-20T01:00:00Z",
            "closed_at": None, "float": 200_000, "cash_sales": 15_000, "cash_in": 0,
            "cash_out": 5_000, "cash_refunds": 0, "expected_cash": 210_000, "counted": None,
            "over_short": None}  # fmt: skip


def test_an_open_shift_shows_no_close_and_no_count_yet() -> None:
    document = shift_document(open_shift(), header=HEADER, lang="en", printed_at="P",
                              utc_offset_minutes=420)  # fmt: skip
    assert document == ReportDocument(
        "SHIFT REPORT", ("TOKO MAJU JAYA",),
        (("Cashier", "Budi"), ("Shift", "a1b2c3d4e5f6"), ("Opened", "2026-11-20 08:00"),
         ("Closed", "not closed"), ("Printed", "P")),
        (Section("Cash drawer", (
            ("Float", "Rp200,000"), ("Cash sales", "Rp15,000"), ("Cash in", "Rp0"),
            ("Cash out", "Rp5,000"), ("Cash refunds", "Rp0"), ("Expected cash", "Rp210,000"),
            ("Counted", "-"), ("Over/short", "-"))),),
        "en",
    )  # fmt: skip


def test_the_layout_puts_a_row_on_one_line_only_when_it_fits() -> None:
    rows = (("a" * 20, "Rp1"),  # 20 + 1 + 3 = 24: fits exactly
            ("b" * 21, "Rp1"),  # one column too many: the value goes under
            ("c" * 30, "Rp12"),  # a label wider than the roll wraps
            ("", "Rp" + "9" * 23))  # fmt: skip
    document = ReportDocument("T", ("",), (), (Section("S", rows),))
    assert layout_report(document, 24) == [
        PrintLine(text="", align="center", bold=True),
        PrintLine(text="T", align="center", bold=True, large=True),
        PrintLine(kind="rule"),
        PrintLine(kind="rule"),
        PrintLine(text="S", bold=True),
        PrintLine(text="a" * 20 + " Rp1"),
        PrintLine(text="b" * 21),
        PrintLine(text=" " * 21 + "Rp1"),
        PrintLine(text="c" * 24),
        PrintLine(text="c" * 6),
        PrintLine(text=" " * 20 + "Rp12"),
        PrintLine(text=""),
        PrintLine(text="Rp" + "9" * 23),
        PrintLine(kind="rule"),
    ]


def test_the_header_wraps_at_the_roll_and_only_widths_24_to_64_are_laid_out() -> None:
    document = ReportDocument("T", ("TOKO MAJU JAYA CABANG BANDUNG UTARA", "Jl. Merdeka 1"), (), ())
    lines = layout_report(document, 24)
    assert [(x.text, x.bold) for x in lines[:3]] == [
        ("TOKO MAJU JAYA CABANG", True), ("BANDUNG UTARA", True), ("Jl. Merdeka 1", False)]  # fmt: skip
    assert len(layout_report(document, 64)) == 5
    with pytest.raises(ValueError) as caught:
        layout_report(document, 23)
    assert str(caught.value) == "report width must be 24-64 columns, got 23"
