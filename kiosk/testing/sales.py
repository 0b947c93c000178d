"""One sale builder for tests, benchmarks and demos: completed sales whose numbers add up.

:func:`build_sale` does the arithmetic every sale needs (totals, discounts, PPN per rate,
tax-inclusive and rounded half up as the till does); the three recipes choose lines and
tenders: :func:`make_sale` (random but consistent, from a seeded ``random.Random``),
:func:`sample_sale` (fixed, realistic names, for receipt bytes) and :func:`numbered_sale`
(sale number ``n`` of a uniform load).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

from kiosk.domain.money import round_half_up
from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord, iso_utc

NAMES = [
    "Indomie Goreng 85g", "Aqua Botol 600ml", "Teh Botol Sosro 450ml", "Roti Tawar Sari Roti",
    "Gula Pasir Gulaku 1kg", "Minyak Goreng Bimoli 2L", "Kopi Kapal Api 165g",
    "Sabun Lifebuoy 110g", "Susu UHT Ultra Coklat 1L — Promo", "Beras Pandan Wangi 5kg",
]  # fmt: skip


def sale_line(
    line_no: int, unit_price: int, qty: int = 1, *, discount: int = 0, **fields: Any
) -> SaleLine:
    """A line whose gross is ``unit_price * qty`` and amount gross less ``discount``."""
    gross = unit_price * qty
    fields.setdefault("sku", f"SKU{line_no:03d}")
    fields.setdefault("name", f"Item {line_no}")
    fields.setdefault("tax_rate_percent", "11")
    return SaleLine(line_no=line_no, qty=qty, unit_price=unit_price, gross=gross,
                    discount=discount, amount=gross - discount, **fields)  # fmt: skip


def card_tender(
    amount: int, reference: str = "123456789012", terminal_id: str = ""
) -> TenderRecord:
    """An approved card payment, the number masked as the terminal reports it."""
    return TenderRecord("card", amount, reference=reference, approval_code="A1B2C3",
                        masked_pan="421234******1234", terminal_id=terminal_id)  # fmt: skip


def taxes_of(lines: Sequence[SaleLine]) -> tuple[TaxLine, ...]:
    """PPN per rate (highest first) of tax-inclusive amounts: ``taxable * r / (1 + r)``."""
    taxes = []
    for rate in sorted({line.tax_rate_percent for line in lines}, reverse=True):
        taxable = sum(line.amount for line in lines if line.tax_rate_percent == rate)
        r = Fraction(rate) / 100
        ppn = round_half_up(taxable * r / (1 + r))
        taxes.append(TaxLine(rate_percent=rate, taxable=taxable, dpp=taxable - ppn, ppn=ppn))
    return tuple(taxes)


def build_sale(
    lines: Sequence[SaleLine], tenders: Sequence[TenderRecord], **fields: Any
) -> CompletedSale:
    """A completed sale of ``lines``: totals and taxes computed, the rest from ``fields``
    (defaults: a fresh id, store-1/kiosk-1, 2026-11-27 13:01 in Jakarta)."""
    fields.setdefault("sale_id", uuid.uuid4().hex)
    fields.setdefault("store_id", "store-1")
    fields.setdefault("device_id", "kiosk-1")
    fields.setdefault("business_date", "2026-11-27")
    fields.setdefault("created_at", "2026-11-27T06:01:02.000000Z")
    return CompletedSale(
        lines=tuple(lines), taxes=taxes_of(lines), tenders=tuple(tenders),
        total=sum(line.amount for line in lines),
        discount_total=sum(line.discount for line in lines), **fields,
    )  # fmt: skip


def make_sale(
    rng: random.Random,
    *,
    device_id: str = "kiosk-1",
    business_date: str = "2026-11-27",
    created_at: str = "2026-11-27T06:01:02.000000Z",
    lines: int | None = None,
    sale_id: str | None = None,
) -> CompletedSale:
    """A random, consistent sale: 3-5 lines (one may be weighed), PPN 11% or none,
    paid by cash (rounded down to Rp100), card, QRIS or cash and QRIS."""
    count = lines if lines is not None else rng.randint(3, 5)
    sale_lines = []
    for n in range(1, count + 1):
        weighed = rng.random() < 0.15
        qty = 1 if weighed else rng.randint(1, 4)
        unit_price = rng.randrange(1_000, 60_000, 500)
        discount = rng.choice([0, 0, 0, 500, 1_000]) if unit_price * qty > 1_000 else 0
        sale_lines.append(sale_line(
            n, unit_price, qty, discount=discount, sku=f"SKU{rng.randint(1, 40):03d}",
            tax_rate_percent=rng.choice(["11", "11", "0"]),
            barcode=f"899{rng.randint(10**9, 10**10 - 1)}", category="food",
            weight_g=rng.randint(100, 2_000) if weighed else None,
        ))  # fmt: skip
    total = sum(line.amount for line in sale_lines)
    method = rng.choice(["cash", "card", "qris", "split"])
    cash_rounding = change = 0
    if method == "cash":
        cash_rounding = -(total % 100)
        payable = total + cash_rounding
        given = payable + rng.choice([0, 500, 1_000, 5_000])
        change = given - payable
        tenders = [TenderRecord(method="cash", amount=payable, given=given)]
    elif method == "split":
        part = total // 2
        tenders = [TenderRecord(method="cash", amount=part, given=part),
                   TenderRecord(method="qris", amount=total - part, reference="QR123")]  # fmt: skip
    elif method == "card":
        tenders = [card_tender(total, reference="RRN000111")]
    else:
        tenders = [TenderRecord(method="qris", amount=total, reference="RRN000111")]
    return build_sale(
        sale_lines, tenders, sale_id=sale_id or uuid.UUID(int=rng.getrandbits(128)).hex,
        device_id=device_id, business_date=business_date, created_at=created_at,
        cash_rounding=cash_rounding, change=change, cashier="ana", mode="counter",
    )  # fmt: skip


def sample_sale(n_lines: int = 4, *, tender: str = "cash", receipt_no: int = 123) -> CompletedSale:
    """A fixed sale with real product names (the sixth line weighed, the fifth untaxed),
    paid in cash from the next Rp10,000 or by card: the receipt tests' sale."""
    lines = []
    for i in range(n_lines):
        qty, unit = 1 + i % 3, 2500 + 1750 * (i % 7)
        weighed = i == 5
        lines.append(sale_line(
            i + 1, unit * qty if weighed else unit, 1 if weighed else qty,
            discount=500 if i % 4 == 3 else 0, sku=f"SKU{i:03d}", name=NAMES[i % len(NAMES)],
            tax_rate_percent="0" if i == 4 else "11", weight_g=1250 if weighed else None,
        ))  # fmt: skip
    total = sum(line.amount for line in lines)
    if tender == "cash":
        rounding = -(total % 100)
        given = ((total + rounding) // 10000 + 1) * 10000
        tenders = [TenderRecord("cash", total + rounding, given=given)]
        change = given - (total + rounding)
    else:
        rounding, change = 0, 0
        tenders = [card_tender(total, terminal_id="T0001")]
    return build_sale(
        lines, tenders, sale_id="0" * 31 + "1", store_id="S01", device_id="K01",
        created_at="2026-11-27T06:01:02.123456Z", cash_rounding=rounding, change=change,
        receipt_no=receipt_no, cashier="Ani",
    )  # fmt: skip


def numbered_sale(
    store_id: str, device_id: str, n: int, *, at: datetime | None = None, lines: int = 3
) -> CompletedSale:
    """Sale number ``n`` of a load, one second after the previous: ``lines`` lines of
    Rp 10,000 less Rp 500, paid in cash."""
    moment = (at or datetime(2026, 11, 27, 6, 0, tzinfo=UTC)) + timedelta(seconds=n)
    sale_lines = [
        sale_line(i + 1, 10_000, discount=500, sku=f"SKU{i:04d}", name=f"Product {i}",
                  barcode=f"89{i:011d}", category="grocery")
        for i in range(lines)
    ]  # fmt: skip
    total = sum(line.amount for line in sale_lines)
    return build_sale(
        sale_lines, [TenderRecord(method="cash", amount=total, given=total)],
        store_id=store_id, device_id=device_id, business_date=moment.date().isoformat(),
        created_at=iso_utc(moment), cashier="demo",
    )  # fmt: skip
