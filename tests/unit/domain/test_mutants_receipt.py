"""Receipt layout at its edges, read as the customer reads it (render_text) or as the
printer gets it (the PrintLine kinds and styles): long names, amounts that just fit,
weights, members, points, reprints, logos and codes (written for mutants of
kiosk.domain.receipt that survived `make mutation`)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.domain.receipt import (
    AmountRow,
    ItemRow,
    PrintLine,
    ReceiptDocument,
    TaxRow,
    build_receipt,
    layout,
    render_text,
)
from kiosk.domain.sale import TenderRecord
from kiosk.testing.sales import build_sale, sale_line


def doc(**fields: object) -> ReceiptDocument:
    base = ReceiptDocument(header=("TOKO",), meta=(), items=(), totals=(), tenders=(),
                           taxes=(), footer=())  # fmt: skip
    return replace(base, **fields)  # type: ignore[arg-type]


def rows(document: ReceiptDocument, width: int = 32) -> list[str]:
    return render_text(document, width).splitlines()


def item(name: str, price: int, qty: int = 1, **kw: object) -> ItemRow:
    return ItemRow(name, qty, price, price * qty, 0, price * qty, **kw)  # type: ignore[arg-type]


def test_widths_from_24_to_64_columns() -> None:
    for width in (24, 64):
        assert all(len(r) <= width for r in rows(doc(), width))
    for width in (23, 65):
        with pytest.raises(ValueError, match=f"receipt width must be 24-64 columns, got {width}"):
            layout(doc(), width)


def test_name_and_price_that_just_fit_share_a_line() -> None:
    name = "N" * 24  # 24 + 1 + 7 ("100.000") = 32
    assert rows(doc(items=(item(name, 100000),)))[3] == f"{name} 100.000"


def test_a_long_name_wraps_and_the_price_joins_its_last_line() -> None:
    name = "Susu UHT Ultra Coklat Besar Sekali 1L"  # wraps after "Sekali"
    assert rows(doc(items=(item(name, 15000),)))[3:5] == [
        "Susu UHT Ultra Coklat Besar",
        "Sekali 1L                 15.000",
    ]


def test_a_price_that_does_not_fit_the_last_line_goes_below_on_the_right() -> None:
    name = "Minyak Goreng Bimoli Spesial Pouch Refill 2L Hemat!"  # last line 22 + 1 + 9 = 32
    assert rows(doc(items=(item(name, 1234567),)))[3:5] == [
        "Minyak Goreng Bimoli Spesial",
        "Pouch Refill 2L Hemat! 1.234.567",
    ]
    name = "Kopi " + "X" * 26  # 31 columns: no room left for the price
    assert rows(doc(items=(item(name, 12500),)))[3:5] == [name, "12.500".rjust(32)]


def test_long_multi_unit_names_wrap_to_the_width() -> None:
    name = "Teh Botol Sosro Kotak Less Sugar 250ml"
    assert rows(doc(items=(item(name, 3500, 2),)))[3:6] == [
        "Teh Botol Sosro Kotak Less Sugar",
        "250ml",
        "  2 x 3.500                7.000",
    ]


def test_weights_are_kilograms_with_the_language_decimal_mark() -> None:
    beef = ItemRow("Daging", 1, 150000, 150000, 0, 150000, weight_g=1000)
    assert rows(doc(items=(beef,)))[4] == f"  1,000 kg{'150.000':>22}"
    assert rows(doc(items=(beef,), lang="id_ID"))[4] == f"  1,000 kg{'150.000':>22}"
    assert rows(doc(items=(beef,), lang="en"))[4] == f"  1.000 kg{'150,000':>22}"


@pytest.mark.parametrize(("lang", "copy"), [("en_US", "*** COPY ***"), ("fr", "*** SALINAN ***")])
def test_labels_by_language_prefix_and_indonesian_otherwise(lang: str, copy: str) -> None:
    lines = layout(doc(reprint=True, lang=lang), 32)
    assert PrintLine(text=copy, align="center", bold=True) in lines


def test_a_strong_total_is_large_when_it_fits_in_half_the_width() -> None:
    def total_line(amount: int, width: int) -> PrintLine:
        lines = layout(doc(totals=(AmountRow("TOTAL", amount, strong=True),)), width)
        return next(x for x in lines if x.text.startswith("TOTAL"))

    # "TOTAL" + 1 + "Rp1.234.567" = 17 = 34 // 2: large; one digit more: normal, bold
    assert total_line(1234567, 34) == PrintLine(text="TOTAL Rp1.234.567", bold=True, large=True)
    wide = total_line(12345678, 34)
    assert (wide.large, wide.bold, wide.text) == (False, True, "TOTAL" + " " * 17 + "Rp12.345.678")


def test_a_large_label_with_a_space_spreads_over_the_text_width() -> None:
    document = doc(totals=(AmountRow("To pay", 12300, strong=True),), lang="en")
    assert "To pay" + " " * 18 + "Rp12,300" in rows(document)


def test_logo_barcode_and_qr_are_their_own_kinds() -> None:
    document = doc(logo=True, barcode="K01-000123", qr="https://e.example/r/1")
    lines = layout(document, 32)
    assert lines[0] == PrintLine(kind="logo", align="center")
    assert lines[1] == PrintLine(text="TOKO", align="center", bold=True)
    assert lines[-2:] == [
        PrintLine(kind="barcode", text="K01-000123", align="center"),
        PrintLine(kind="qr", text="https://e.example/r/1", align="center"),
    ]
    text = rows(document)
    assert text[0] == "TOKO".center(32).rstrip()  # the logo prints nothing in text
    assert text[-2:] == ["|| K01-000123 ||".center(32).rstrip(), "[QR]".center(32).rstrip()]


def test_a_blank_header_line_stays_blank() -> None:
    assert rows(doc(header=("TOKO", "", "Bandung")))[:3] == ["TOKO".center(32).rstrip(), "",
                                                              "Bandung".center(32).rstrip()]  # fmt: skip


def test_strong_amounts_are_bold_and_others_not() -> None:
    document = doc(header=(), totals=(AmountRow("Subtotal", 5000),
                                      AmountRow("TOTAL", 10**9, strong=True)),
                   tenders=(AmountRow("Kembali", 10**9, strong=True),))  # fmt: skip
    lines = layout(document, 24)
    bold = {x.text.split()[0]: x.bold for x in lines if x.text and x.text[0] in "SKT"}
    assert bold == {"Subtotal": False, "TOTAL": True, "Kembali": True}


def test_tax_rows_exempt_only_at_a_zero_rate() -> None:
    taxes = (TaxRow("11", 4, 4, 0), TaxRow("0.0", 1000, 1000, 0), TaxRow("", 500, 500, 0))
    text = rows(doc(taxes=taxes))
    assert "PPN 11%                        0" in text
    assert text.count("Bebas PPN" + " " * 18 + "1.000") == 1
    assert text.count("Bebas PPN" + " " * 20 + "500") == 1


def sale(**fields: object):  # type: ignore[no-untyped-def]
    lines = [sale_line(1, 10000, name="Beras")]
    tenders = fields.pop("tenders", [TenderRecord("cash", 10000, given=10000)])
    return build_sale(lines, tenders, receipt_no=fields.pop("receipt_no", 7),  # type: ignore[arg-type]
                      device_id="K01", **fields)  # fmt: skip


def test_the_member_is_named_under_the_cashier() -> None:
    document = build_receipt(sale(cashier="Ani", member_id="M0001"), header=[], footer=[])
    assert document.meta[1:] == (("Kasir: Ani", ""), ("Member: M0001", ""))
    assert "Member: M0001" in rows(document)


def test_points_and_other_tenders() -> None:
    tenders = [TenderRecord("points", 4000, given=400), TenderRecord("voucher", 6000)]
    document = build_receipt(sale(tenders=tenders), header=[], footer=[])
    assert document.tenders == (
        AmountRow("Poin", 4000, details=("400 poin",)),
        AmountRow("VOUCHER", 6000),
    )


def test_cash_rounding_shows_what_to_pay_in_bold() -> None:
    document = build_receipt(sale(cash_rounding=-50), header=[], footer=[])
    assert document.totals[-2:] == (AmountRow("Pembulatan", -50),
                                    AmountRow("Bayar", 9950, strong=True))  # fmt: skip


def test_no_receipt_number_no_barcode_and_no_logo_unless_asked() -> None:
    document = build_receipt(sale(receipt_no=0), header=["TOKO"], footer=[])
    assert (document.barcode, document.logo) == ("", False)
    assert [x.kind for x in layout(document, 32)].count("barcode") == 0
    with_logo = build_receipt(sale(), header=["TOKO"], footer=[], logo=True, reprint=True)
    assert (with_logo.logo, with_logo.reprint, with_logo.barcode) == (True, True, "K01-000007")


def test_items_carry_what_each_line_costs_after_discounts() -> None:
    lines = [sale_line(1, 10000, 2, discount=1500, name="Beras")]
    document = build_receipt(build_sale(lines, []), header=[], footer=[])
    assert document.items == (ItemRow("Beras", 2, 10000, 20000, 1500, 18500),)


def test_a_name_one_column_too_long_puts_the_price_below() -> None:
    name = "N" * 25  # 25 + 1 + 7 = 33 > 32
    assert rows(doc(items=(item(name, 100000),)))[3:5] == [name, "100.000".rjust(32)]
    wrapped = "A" * 30 + " " + "B" * 26  # last line 26 + 1 + 6 = 33 > 32
    assert rows(doc(items=(item(wrapped, 12500),)))[3:6] == ["A" * 30, "B" * 26,
                                                            "12.500".rjust(32)]  # fmt: skip


def test_a_name_over_three_lines_ends_with_its_price() -> None:
    name = "Minyak Goreng Bimoli Spesial Pouch Refill Ekonomis Hemat Banget Sekali 2L"
    assert rows(doc(items=(item(name, 45000),)))[3:6] == [
        "Minyak Goreng Bimoli Spesial",
        "Pouch Refill Ekonomis Hemat",
        "Banget Sekali 2L          45.000",
    ]


def test_a_long_cashier_name_wraps_at_the_width() -> None:
    document = doc(meta=(("Kasir: Siti Nurhaliza binti Abdullah Rahman", ""),))
    assert rows(document)[2:4] == ["Kasir: Siti Nurhaliza binti", "Abdullah Rahman"]


def test_a_strong_amount_too_wide_for_its_line_stays_bold_below_its_label() -> None:
    document = doc(header=(), totals=(AmountRow("To pay", 10**12, strong=True),), lang="en")
    lines = [x for x in layout(document, 24) if x.kind == "text" and x.text.strip()]
    assert lines[-2:] == [PrintLine(text="To pay", bold=True),
                          PrintLine(text="Rp1,000,000,000,000".rjust(24), bold=True)]  # fmt: skip
