"""Turn a priced basket and its settled tenders into the ``CompletedSale`` record.

This is the last pure step before the ledger's one transaction: everything the record
says is checked to add up here (lines to total, tenders to payable), so a sale that does
not balance never reaches storage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kiosk.domain.basket import Basket
from kiosk.domain.pricing import PricedBasket
from kiosk.domain.sale import CompletedSale, SaleLine
from kiosk.domain.tax import taxes_for
from kiosk.domain.tenders import TenderError, TenderSession


def voided_lines_of(basket: Basket) -> list[dict[str, Any]]:
    """The voided lines in the shape ``complete_sale`` keeps in ``extra``."""
    return [
        {"sku": line.product.sku, "qty": line.qty, "amount": line.gross}
        for line in basket.voided_lines()
    ]


def sale_lines(priced: PricedBasket) -> tuple[SaleLine, ...]:
    """The priced lines as receipt lines, numbered 1..n."""
    return tuple(
        SaleLine(
            line_no=n,
            sku=line.sku,
            name=line.name,
            qty=line.qty,
            unit_price=line.unit_price,
            gross=line.gross,
            discount=line.discount,
            amount=line.amount,
            tax_rate_percent=line.tax_rate_percent,
            barcode=line.barcode,
            category=line.category,
            weight_g=line.weight_g,
            promotions=line.promotions,
        )
        for n, line in enumerate(priced.lines, start=1)
    )


def complete_sale(
    priced: PricedBasket,
    tenders: TenderSession,
    *,
    sale_id: str,
    store_id: str,
    device_id: str,
    business_date: str,
    created_at: str,
    cashier: str = "",
    member_id: str = "",
    mode: str = "counter",
    voided_lines: Sequence[Mapping[str, Any]] = (),
) -> CompletedSale:
    """The sale record. Raises ``TenderError`` when the tenders do not cover the sale or
    were opened for a different amount."""
    _check_paid(priced, tenders)
    for name, value in (("sale_id", sale_id), ("store_id", store_id), ("device_id", device_id)):
        if not value:
            raise ValueError(f"{name} is required for a sale record")
    lines = sale_lines(priced)
    records = tenders.records()
    sale = CompletedSale(
        sale_id=sale_id,
        store_id=store_id,
        device_id=device_id,
        business_date=business_date,
        created_at=created_at,
        lines=lines,
        taxes=taxes_for(lines),
        tenders=records,
        total=sum(line.amount for line in lines),
        discount_total=sum(line.discount for line in lines),
        cash_rounding=tenders.cash_rounding,
        change=tenders.change,
        cashier=cashier,
        member_id=member_id,
        mode=mode,
        extra=_extra(priced, voided_lines),
    )
    if sum(r.amount for r in records) != sale.payable:
        raise TenderError.of(
            "tender.sum",
            paid=tenders.applied,
            total=sale.payable,
            message=f"tenders add up to {tenders.applied}, not {sale.payable}",
        )
    return sale


def _check_paid(priced: PricedBasket, tenders: TenderSession) -> None:
    """The payment was opened for this very total and covers it."""
    if tenders.payable != priced.total:
        raise TenderError.of(
            "tender.total_changed",
            total=priced.total,
            message=f"the payment was started for {tenders.payable} but the basket totals "
            f"{priced.total}; start the payment again",
        )
    if not tenders.is_complete:
        raise TenderError.of(
            "tender.not_paid",
            paid=tenders.applied,
            total=priced.total,
            due=tenders.remaining,
            message=f"the sale is not paid: {tenders.applied} of {priced.total} received, "
            f"{tenders.remaining} still due",
        )


def _extra(priced: PricedBasket, voided_lines: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """What the record carries beyond the sums: lines voided before payment, promotions."""
    return {
        "voided_lines": [
            {"sku": str(v["sku"]), "qty": int(v["qty"]), "amount": int(v["amount"])}
            for v in voided_lines
        ],
        "promotions": [
            {"promo_id": a.promo_id, "name": a.name, "amount": a.amount} for a in priced.applied
        ],
    }
