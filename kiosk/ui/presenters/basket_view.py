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
    # The discount on the whole sale: its own line below the rows, not spread into them.
    order_discount: int = 0
    order_discount_label: str = ""
    order_discount_text: str = ""  # "-Rp1.000"


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
        # The line's own and promotion discounts; the order's share is shown once, below.
        discount = line.line_discount + line.promo_discount
        rows.append(
            RowView(
                line_no=line.basket_line_no,
                name=line.name,
                qty_text=qty_text,
                amount_text=lang.money(line.gross - discount),
                discount_text=lang.money(-discount) if discount else "",
            )
        )
    savings = priced.discount_total
    order_off = sum(line.order_discount for line in priced.lines)
    return BasketView(
        rows=tuple(rows),
        total=priced.total,
        total_text=lang.money(priced.total),
        savings=savings,
        savings_text=lang.money(savings) if savings else "",
        item_count=count,
        last_line_no=rows[-1].line_no if rows else 0,
        order_discount=order_off,
        order_discount_label=lang._("Discount on the sale") if order_off else "",
        order_discount_text=lang.money(-order_off) if order_off else "",
    )


def order_discount_row(basket: BasketView) -> list[dict[str, object]]:
    """The sale's discount as the basket list's last row (none without one); a plain
    row: nothing to select or void."""
    if not basket.order_discount:
        return []
    return [{
        "line_no": 0, "name": basket.order_discount_label, "qty_text": "",
        "amount_text": basket.order_discount_text, "discount_text": "", "selected": False,
        "action": "", "void_action": "", "on_void": None, "on_row": None, "saving": True,
    }]  # fmt: skip
