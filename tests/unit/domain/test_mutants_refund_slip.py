"""The refund slip as a document, whole, from a refund written by hand: each way a share
goes back, a line without a name or written off, the cash rounding, the language and the
offset (written for mutants of kiosk.domain.refund_slip that survived the fourth mutation
run; the printed bytes are in tests/drivers/test_refund_slip_print.py)."""

from __future__ import annotations

from typing import Any

import pytest

from kiosk.domain.books_report import ReportDocument, Section
from kiosk.domain.refund_slip import refund_document, tender_label


def refund(**fields: Any) -> dict[str, Any]:
    return {
        "refund_id": "R1", "receipt_no": 12, "created_at": "2026-11-20T03:15:00.000000Z",
        "device_id": None, "by": "Budi", "cash_approved_by": "Budi", "rounding": 50,
        "total": -30_950, "ppn": 3_067,
        "lines": [{"sku": "KOPI", "qty": 2, "amount": -25_000, "restock": False},
                  {"sku": "TEH", "name": "Teh Botol", "qty": 1, "amount": -6_000}],
        "tenders": [
            {"method": "points", "amount": -3_300, "paid_as": "points", "points": 33},
            {"method": "points", "amount": -40, "paid_as": "cash"},
            {"method": "qris", "amount": -10_000, "paid_as": "qris"},
            {"method": "card", "amount": -5_000, "paid_as": "cash"},
            {"method": "online", "amount": -2_000, "paid_as": "cash"},
            {"method": "voucher", "amount": -610, "paid_as": "cash"},
            {"method": "cash", "amount": -10_000},
        ],
        **fields,
    }  # fmt: skip


def test_a_refund_slip_names_every_share_by_the_way_it_went_back() -> None:
    document = refund_document(refund(), header=["TOKO"], lang="en-US", printed_at="P")
    assert document == ReportDocument(
        "REFUND SLIP", ("TOKO",),
        (("Refund no.", "R1"), ("Original receipt", "12"), ("Time", "2026-11-20 03:15"),
         ("Till", ""), ("Approved by", "Budi"), ("Printed", "P")),
        (Section("Items returned", (("KOPI x2 (written off)", "Rp25,000"),
                                    ("Teh Botol x1", "Rp6,000"))),
         Section("Amount", (("Cash rounding", "-Rp50"), ("Total refunded", "Rp30,950"),
                            ("Incl. VAT", "Rp3,067"))),
         Section("Refunded to", (("Points (33)", "Rp3,300"), ("Cash (part of a point)", "Rp40"),
                                 ("QRIS", "Rp10,000"), ("Cash (for Card)", "Rp5,000"),
                                 ("Cash (for Online payment)", "Rp2,000"),
                                 ("Cash (for voucher)", "Rp610"), ("Cash", "Rp10,000")))),
        "en-US",
    )  # fmt: skip


def test_without_rounding_the_amounts_are_the_total_and_its_ppn() -> None:
    document = refund_document(refund(rounding=0), header=[], lang="id", printed_at="P",
                               utc_offset_minutes=420)  # fmt: skip
    assert ("Waktu", "2026-11-20 10:15") in document.meta
    assert document.sections[1] == Section("Jumlah", (("Total refund", "Rp30.950"),
                                                      ("Termasuk PPN", "Rp3.067")))  # fmt: skip


@pytest.mark.parametrize(
    ("tender", "shown"),
    [
        ({"method": "points", "amount": -100, "paid_as": "points"}, "Poin (0)"),
        ({"method": "card", "amount": -100, "paid_as": "card"}, "Kartu"),
        ({"method": "card", "amount": -100, "paid_as": "card", "via": {"masked_pan": "****"}},
         "Kartu"),
        ({"method": "card", "amount": -100, "paid_as": "card",
          "via": {"masked_pan": "4111 11** **** 1234"}}, "Kartu ****1234"),
    ],
)  # fmt: skip
def test_a_share_without_its_details_is_named_without_them(
    tender: dict[str, Any], shown: str
) -> None:
    assert tender_label(tender, "id") == shown
