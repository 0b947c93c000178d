"""X, Z and shift reports on the receipt printer (exact ESC/POS bytes through escpos
Dummy, snapshotted), as PDF (read back with pypdf) and CSV, from a real day of books on
a SQLite ledger with a fixed clock."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from syrupy.assertion import SnapshotAssertion

from drivers.receipt_render import RenderOptions, lines_bytes
from kiosk.domain.books_report import layout_report, shift_document, z_document
from kiosk.domain.catalog import Catalog, Product
from kiosk.export.report_files import report_csv, report_pdf
from kiosk.services.books import books_services
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.staff import StaffMember
from kiosk.storage import books
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.testing.clock import SettableClock

HEADER = ["TOKO MAJU JAYA", "Jl. Merdeka 1, Bandung"]
BUDI = StaffMember("s1", "Budi", "supervisor")
PRINTED = "2026-11-20 18:00"


@pytest.fixture
def day(tmp_path: Path) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    """(Z figures, shift figures) of a small closed day."""
    clock = SettableClock(datetime(2026, 11, 20, 3, 0, tzinfo=UTC))
    ledger = SqliteLedger(tmp_path / "ledger.sqlite", "K01")
    products = [Product("TEH", "Teh", 5_000), Product("KOPI", "Kopi", 12_500)]
    checkout = CheckoutService(catalog=Catalog(products), ledger=ledger, clock=clock,
                               config=CheckoutConfig("s1", "K01", cash_rounding_step=100))  # fmt: skip
    service = books_services(SqliteUnitOfWork(ledger), clock, "Asia/Jakarta")
    service.shifts.open(BUDI, 200_000)
    for items, card in ((("TEH", 3), 0), (("KOPI", 2), 10_000)):
        clock.advance(600)
        checkout.add_sku(*items)
        if card:
            checkout.pay_card(card, reference="RRN1")
        checkout.pay_cash(checkout.start_payment().remaining)
        checkout.complete()
    clock.advance(60)
    service.refunds.refund(BUDI, 1, [(1, 1)], restock=True)
    service.shifts.no_sale(BUDI, "change for the float")
    shift = service.shifts.close(BUDI, 225_100)
    closed = service.day_close.close(BUDI)
    z = books.z_report(ledger.conn, closed["business_date"], "K01")
    yield z, shift
    ledger.close()


@pytest.mark.parametrize(("paper", "lang"), [("80mm", "id"), ("58mm", "en")])
def test_the_z_report_prints_exact_bytes(
    day: tuple[dict[str, Any], dict[str, Any]], paper: str, lang: str, snapshot: SnapshotAssertion
) -> None:
    z, _ = day
    document = z_document(z, kind="Z", header=HEADER, lang=lang, printed_at=PRINTED,
                          utc_offset_minutes=420)  # fmt: skip
    options = RenderOptions.from_settings({"paper": paper})
    lines = layout_report(document, options.columns)
    assert all(len(line.text) <= options.columns for line in lines if not line.large)
    data = lines_bytes(lines, options)
    assert data.startswith(b"\x1b@\x1bt\x00") and data.endswith(b"\x1dV\x01")  # a partial cut last
    text = data.decode("cp437")
    if lang == "id":
        for shown in ("LAPORAN Z", "Nomor Z", "Penjualan kotor", "Rp40.000", "Refund",
                      "Laci dibuka tanpa transaksi", "Kartu (1)", "Budi"):  # fmt: skip
            assert shown in text, shown
    else:
        assert "Z REPORT" in text and "No-sales (drawer opened)" in text
    assert data == snapshot


def test_the_x_and_shift_reports_print(
    day: tuple[dict[str, Any], dict[str, Any]], snapshot: SnapshotAssertion
) -> None:
    z, shift = day
    x = z_document(z, kind="X", header=HEADER, lang="id", printed_at=PRINTED)
    assert "Nomor Z" not in [label for label, _ in x.meta]
    shift_doc = shift_document({**shift, "shift_id": "a1b2c3d4e5f6a7b8"}, header=HEADER,
                               lang="id", printed_at=PRINTED, utc_offset_minutes=420)  # fmt: skip
    assert ("Dibuka", "2026-11-20 10:00") in shift_doc.meta
    rows = dict(shift_doc.sections[0].rows)
    assert rows["Modal awal"] == "Rp200.000" and rows["Lebih/kurang"] == "Rp100"
    options = RenderOptions.from_settings({"paper": "80mm"})
    assert lines_bytes(layout_report(shift_doc, 48), options) == snapshot


def test_the_reports_as_pdf_and_csv(day: tuple[dict[str, Any], dict[str, Any]]) -> None:
    z, shift = day
    document = z_document(z, kind="Z", header=HEADER, lang="id", printed_at=PRINTED)
    pdf = report_pdf(document)
    assert pdf.startswith(b"%PDF-") and pdf == report_pdf(document)  # same report, same bytes
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for shown in ("TOKO MAJU JAYA", "LAPORAN Z", "Penjualan kotor", "Rp40.000", "PPN 11%"):
        assert shown in text, shown
    rows = list(csv.DictReader(io.StringIO(report_csv(document))))
    assert {"section": "Penjualan", "label": "Penjualan kotor", "value": "Rp40.000"} in rows
    assert {"section": "LAPORAN Z", "label": "Nomor Z", "value": "1"} in rows
    named = shift_document({**shift, "cashier": "ẞeto Wọ"}, header=HEADER, lang="en",
                           printed_at=PRINTED)  # fmt: skip
    shift_text = PdfReader(io.BytesIO(report_pdf(named))).pages[0].extract_text()
    assert "SHIFT REPORT" in shift_text and "Expected cash" in shift_text
