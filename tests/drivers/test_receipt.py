from __future__ import annotations

import pytest
from escpos.printer import Dummy
from syrupy.assertion import SnapshotAssertion

from drivers.receipt_render import (
    PAPER_COLUMNS,
    RenderOptions,
    drawer_kick_bytes,
    render,
    render_bytes,
    to_printable,
)
from kiosk.domain.receipt import build_receipt, layout, render_text
from kiosk.testing.sales import sample_sale

HEADER = ["TOKO MAJU JAYA", "Jl. Merdeka 1, Bandung", "NPWP 01.234.567.8-901.000"]
FOOTER = ["Terima kasih", "Barang yang sudah dibeli tidak dapat ditukar"]


def document(n: int = 6, **kw):  # type: ignore[no-untyped-def]
    return build_receipt(
        sample_sale(n, **kw), header=HEADER, footer=FOOTER, qr="https://e.example/r/K01-000123"
    )


@pytest.mark.parametrize("width", [32, 42, 48])
def test_text_receipt_snapshot(width: int, snapshot: SnapshotAssertion) -> None:
    text = render_text(document(10), width)
    assert all(len(row) <= width for row in text.splitlines())
    assert text == snapshot


@pytest.mark.parametrize("paper", ["58mm", "80mm"])
def test_escpos_bytes_snapshot(paper: str, snapshot: SnapshotAssertion) -> None:
    data = render_bytes(document(6), RenderOptions.from_settings({"paper": paper}))
    assert data.startswith(b"\x1b@\x1bt\x00")  # init, then one fixed code page
    assert data == snapshot


def test_card_sale_reprint_in_english_snapshot(snapshot: SnapshotAssertion) -> None:
    doc = build_receipt(
        sample_sale(3, tender="card"), header=["TOKO"], footer=[], lang="en", reprint=True
    )
    text = render_text(doc, 32)
    assert "*** COPY ***" in text and "421234******1234" in text
    assert "4212340000001234" not in text
    assert text == snapshot


def test_bytes_contain_barcode_qr_and_cut() -> None:
    data = render_bytes(document(2), RenderOptions(columns=48))
    code = b"{BK01-000123"
    assert b"\x1dkI" + bytes([len(code)]) + code in data  # CODE128, function B
    payload = b"https://e.example/r/K01-000123"
    assert b"\x1d(k" + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload in data
    assert data.endswith(b"\x1dV\x01")  # partial cut


def test_large_total_uses_double_size_and_resets() -> None:
    data = render_bytes(document(2), RenderOptions(columns=32))
    before_total, after_total = data.split(b"TOTAL", 1)
    assert before_total.endswith(b"\x1b!\x00\x1b!\x30\x1bE\x01")  # double size, bold
    assert after_total.index(b"\x1b!\x00") < after_total.index(b"Tunai")


def test_text_the_code_page_cannot_show_is_transliterated() -> None:
    assert to_printable("Café — “Spesial” 5€ Straße", "CP437") == 'Café - "Spesial" 5EUR Straße'
    assert to_printable("Łódź ẞ ☃", "CP437") == "Lódz SS ?"  # ó is in CP437
    data = render_bytes(document(9), RenderOptions(columns=48))
    assert b"Coklat 1L - Promo" in data
    assert "—".encode("cp1252") not in data and b"\x1bt\x10" not in data  # no page switch


def test_render_into_any_escpos_printer_matches_render_bytes() -> None:
    dummy = Dummy()
    options = RenderOptions(columns=42)
    render(dummy, document(4), options)
    assert dummy.output == render_bytes(document(4), options)


def test_widths_and_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="receipt width must be 24-64 columns, got 10"):
        layout(document(1), 10)
    with pytest.raises(ValueError, match="printer paper must be one of"):
        RenderOptions.from_settings({"paper": "A4"})
    assert PAPER_COLUMNS == {"58mm": 32, "80mm": 48}
    assert RenderOptions.from_settings({"paper": "80mm", "columns": 42}).columns == 42


def test_drawer_kick_bytes() -> None:
    assert drawer_kick_bytes(2) == b"\x1bp\x00\x32\x32"
    assert drawer_kick_bytes(5) == b"\x1bp\x01\x32\x32"


def test_totals_add_up_on_the_receipt() -> None:
    sale = sample_sale(10)
    text = render_text(build_receipt(sale, header=[], footer=[]), 48)
    assert f"Rp{sale.total:,}".replace(",", ".") in text
    assert f"Rp{sale.change:,}".replace(",", ".") in text
