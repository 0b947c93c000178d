"""A realistic completed sale for receipt tests, with numbers that add up."""

from __future__ import annotations

from kiosk.domain.money import round_half_up
from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord

NAMES = [
    "Indomie Goreng 85g", "Aqua Botol 600ml", "Teh Botol Sosro 450ml", "Roti Tawar Sari Roti",
    "Gula Pasir Gulaku 1kg", "Minyak Goreng Bimoli 2L", "Kopi Kapal Api 165g",
    "Sabun Lifebuoy 110g", "Susu UHT Ultra Coklat 1L — Promo", "Beras Pandan Wangi 5kg",
]  # fmt: skip


def sample_sale(n_lines: int = 4, *, tender: str = "cash", receipt_no: int = 123) -> CompletedSale:
    lines = []
    for i in range(n_lines):
        qty = 1 + i % 3
        unit = 2500 + 1750 * (i % 7)
        gross = unit * qty
        discount = 500 if i % 4 == 3 else 0
        weight = 1250 if i == 5 else None
        lines.append(
            SaleLine(
                line_no=i + 1, sku=f"SKU{i:03d}", name=NAMES[i % len(NAMES)],
                qty=1 if weight else qty, unit_price=unit if not weight else gross,
                gross=gross, discount=discount, amount=gross - discount,
                tax_rate_percent="0" if i == 4 else "11", weight_g=weight,
            )
        )  # fmt: skip
    total = sum(line.amount for line in lines)
    taxes = []
    for rate in ("11", "0"):
        taxable = sum(line.amount for line in lines if line.tax_rate_percent == rate)
        if taxable:
            ppn = round_half_up(taxable * int(rate) / (100 + int(rate))) if rate != "0" else 0
            taxes.append(TaxLine(rate, taxable, taxable - ppn, ppn))
    if tender == "cash":
        rounding = -(total % 100)
        given = ((total + rounding) // 10000 + 1) * 10000
        tenders = (TenderRecord("cash", total + rounding, given=given),)
        change = given - (total + rounding)
    else:
        rounding, change = 0, 0
        tenders = (
            TenderRecord("card", total, reference="123456789012", approval_code="A1B2C3",
                         masked_pan="421234******1234", terminal_id="T0001"),
        )  # fmt: skip
    return CompletedSale(
        sale_id="0" * 31 + "1", store_id="S01", device_id="K01", business_date="2026-11-27",
        created_at="2026-11-27T06:01:02.123456Z", lines=tuple(lines), taxes=tuple(taxes),
        tenders=tenders, total=total, discount_total=sum(x.discount for x in lines),
        cash_rounding=rounding, change=change, receipt_no=receipt_no, cashier="Ani",
    )  # fmt: skip
