"""Builds CompletedSale objects for storage tests (and the crash child, and the bench)."""

from __future__ import annotations

import random
import uuid
from fractions import Fraction

from kiosk.domain.money import round_half_up
from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord


def make_sale(
    rng: random.Random,
    *,
    device_id: str = "kiosk-1",
    business_date: str = "2026-11-27",
    created_at: str = "2026-11-27T06:01:02.000000Z",
    lines: int | None = None,
    sale_id: str | None = None,
) -> CompletedSale:
    """A consistent sale: 3-5 lines (one may be weighed), PPN per rate, random tenders."""
    count = lines if lines is not None else rng.randint(3, 5)
    sale_lines = []
    for n in range(1, count + 1):
        weighed = rng.random() < 0.15
        qty = 1 if weighed else rng.randint(1, 4)
        unit_price = rng.randrange(1_000, 60_000, 500)
        gross = unit_price * qty
        discount = rng.choice([0, 0, 0, 500, 1_000]) if gross > 1_000 else 0
        sale_lines.append(
            SaleLine(
                line_no=n,
                sku=f"SKU{rng.randint(1, 40):03d}",
                name=f"Item {n}",
                qty=qty,
                unit_price=unit_price,
                gross=gross,
                discount=discount,
                amount=gross - discount,
                tax_rate_percent=rng.choice(["11", "11", "0"]),
                barcode=f"899{rng.randint(10**9, 10**10 - 1)}",
                category="food",
                weight_g=rng.randint(100, 2_000) if weighed else None,
            )
        )
    taxes = []
    for rate in sorted({ln.tax_rate_percent for ln in sale_lines}, reverse=True):
        taxable = sum(ln.amount for ln in sale_lines if ln.tax_rate_percent == rate)
        r = Fraction(rate) / 100
        ppn = round_half_up(taxable * r / (1 + r))
        taxes.append(TaxLine(rate_percent=rate, taxable=taxable, dpp=taxable - ppn, ppn=ppn))
    total = sum(ln.amount for ln in sale_lines)
    discount_total = sum(ln.discount for ln in sale_lines)
    method = rng.choice(["cash", "card", "qris", "split"])
    cash_rounding = 0
    change = 0
    tenders: list[TenderRecord] = []
    if method == "cash":
        cash_rounding = -(total % 100)
        payable = total + cash_rounding
        given = payable + rng.choice([0, 500, 1_000, 5_000])
        change = given - payable
        tenders.append(TenderRecord(method="cash", amount=payable, given=given))
    elif method == "split":
        part = total // 2
        tenders.append(TenderRecord(method="cash", amount=part, given=part))
        tenders.append(TenderRecord(method="qris", amount=total - part, reference="QR123"))
    else:
        tenders.append(
            TenderRecord(
                method=method,
                amount=total,
                reference="RRN000111",
                approval_code="A1B2C3" if method == "card" else "",
                masked_pan="421234******1234" if method == "card" else "",
            )
        )
    return CompletedSale(
        sale_id=sale_id or uuid.UUID(int=rng.getrandbits(128)).hex,
        store_id="store-1",
        device_id=device_id,
        business_date=business_date,
        created_at=created_at,
        lines=tuple(sale_lines),
        taxes=tuple(taxes),
        tenders=tuple(tenders),
        total=total,
        discount_total=discount_total,
        cash_rounding=cash_rounding,
        change=change,
        cashier="ana",
        mode="counter",
    )
