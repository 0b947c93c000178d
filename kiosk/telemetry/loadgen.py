"""Plausible sales for demos, benchmarks and broker tests (not for the till itself)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord, iso_utc
from kiosk.storage.ledger import SqliteLedger


def make_sale(
    store_id: str, device_id: str, n: int, *, at: datetime | None = None, lines: int = 3
) -> CompletedSale:
    """Sale number ``n``: ``lines`` lines of Rp 10,000 less Rp 500, paid in cash."""
    moment = (at or datetime(2026, 11, 27, 6, 0, tzinfo=UTC)) + timedelta(seconds=n)
    sale_lines = tuple(
        SaleLine(line_no=i + 1, sku=f"SKU{i:04d}", name=f"Product {i}", qty=1,
                 unit_price=10_000, gross=10_000, discount=500, amount=9_500,
                 tax_rate_percent="11", barcode=f"89{i:011d}", category="grocery")
        for i in range(lines)
    )  # fmt: skip
    total = sum(line.amount for line in sale_lines)
    ppn = total * 11 // 111
    return CompletedSale(
        sale_id=uuid.uuid4().hex, store_id=store_id, device_id=device_id,
        business_date=moment.date().isoformat(),
        created_at=iso_utc(moment), lines=sale_lines,
        taxes=(TaxLine(rate_percent="11", taxable=total, dpp=total - ppn, ppn=ppn),),
        tenders=(TenderRecord(method="cash", amount=total, given=total),),
        total=total, discount_total=500 * lines, cashier="demo",
    )  # fmt: skip


def commit_sales(
    db_path: str | Path, store_id: str, device_id: str, count: int, *, start: int = 0
) -> list[str]:
    """Commit ``count`` sales through the real ledger; returns their ids in order."""
    ledger = SqliteLedger(db_path, device_id)
    try:
        return [
            ledger.commit_sale(make_sale(store_id, device_id, start + i)).sale_id
            for i in range(count)
        ]
    finally:
        ledger.close()
