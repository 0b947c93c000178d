"""The basket as the screens show it: rows, running total, savings, all as display text."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.pricing import PricedBasket
from kiosk.ui.i18n import Language


@dataclass(frozen=True)
class RowView:
    line_no: int
    name: str
    qty_text: str  # "2 x Rp5.000" or "350 g"
    amount_text: str
    discount_text: str  # "" or "-Rp1.000"
    voided: bool = False


@dataclass(frozen=True)
class BasketView:
    rows: tuple[RowView, ...] = ()
    total: int = 0
    total_text: str = ""
    savings: int = 0
    savings_text: str = ""
    item_count: int = 0
    last_line_no: int = 0


def basket_view(priced: PricedBasket, lang: Language) -> BasketView:
    """Render a ``kiosk.domain.pricing.PricedBasket`` for display."""
    rows = []
    count = 0
    for line in priced.lines:
        weight = line.weight_g
        if weight:
            qty_text = f"{weight} g x {lang.money(line.unit_price)}/kg"
            count += 1
        else:
            qty_text = f"{line.qty} x {lang.money(line.unit_price)}"
            count += line.qty
        discount = line.discount
        rows.append(
            RowView(
                line_no=line.basket_line_no,
                name=line.name,
                qty_text=qty_text,
                amount_text=lang.money(line.amount),
                discount_text=lang.money(-discount) if discount else "",
            )
        )
    savings = priced.discount_total
    return BasketView(
        rows=tuple(rows),
        total=priced.total,
        total_text=lang.money(priced.total),
        savings=savings,
        savings_text=lang.money(savings) if savings else "",
        item_count=count,
        last_line_no=rows[-1].line_no if rows else 0,
    )
