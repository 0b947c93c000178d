"""Price a basket: discounts, promotions, order discount and PPN, in that order.

1. Line discounts (manual): a percent of the line's gross, rounded half up, or an amount
   capped at the gross.
2. Promotions on what remains (``promotion_engine.apply_promotions``: best for the
   customer).
3. The order discount, a percent of (or an amount capped at) what remains, allocated over
   the remaining line amounts by largest remainder, so no line goes below zero.
4. PPN per rate over the line amounts (``tax.taxes_for``).

Voided lines are left out entirely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.basket import Basket, BasketLine
from kiosk.domain.money import allocate
from kiosk.domain.promotion_engine import AppliedPromotion, PromoLine, apply_promotions
from kiosk.domain.promotions import Promotion
from kiosk.domain.sale import TaxLine
from kiosk.domain.tax import normalize_rate, taxes_for


@dataclass(frozen=True)
class TaxConfig:
    rate_percent: str = "11"  # effective rate: 12% on a DPP of 11/12
    pkp: bool = True  # False: the store is not PKP and charges no PPN at all

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate_percent", normalize_rate(self.rate_percent))

    def rate_for(self, product_rate: str | None) -> str:
        if not self.pkp:
            return "0"
        return self.rate_percent if product_rate is None else normalize_rate(product_rate)


@dataclass(frozen=True)
class PricedLine:
    basket_line_no: int
    sku: str
    name: str
    barcode: str
    category: str
    qty: int
    unit_price: int  # per unit, or per kg for a weighed line
    weight_g: int | None
    gross: int
    line_discount: int
    promo_discount: int
    order_discount: int
    discount: int  # the three together
    amount: int  # gross - discount
    tax_rate_percent: str
    promotions: tuple[str, ...]
    age_restricted: int = 0


@dataclass(frozen=True)
class PricedBasket:
    lines: tuple[PricedLine, ...]
    total: int
    discount_total: int
    gross: int
    taxes: tuple[TaxLine, ...]
    applied: tuple[AppliedPromotion, ...]

    @property
    def ppn_total(self) -> int:
        return sum(t.ppn for t in self.taxes)

    @property
    def item_count(self) -> int:
        return sum(line.qty for line in self.lines)


def price_basket(
    basket: Basket, promotions: Sequence[Promotion], at: datetime, tax: TaxConfig
) -> PricedBasket:
    active: list[BasketLine] = basket.active_lines()
    line_off = [line.line_discount for line in active]
    after_lines = [line.gross - off for line, off in zip(active, line_off, strict=True)]
    promo = apply_promotions(
        [
            PromoLine(line.product.sku, line.product.category, line.qty, left)
            for line, left in zip(active, after_lines, strict=True)
        ],
        promotions,
        at,
    )
    after_promos = [a - p for a, p in zip(after_lines, promo.per_line, strict=True)]
    order_off = [0] * len(active)
    if basket.order_discount is not None and active:
        base = sum(after_promos)
        order_off = allocate(basket.order_discount.of(base), after_promos)
    priced = [
        _priced_line(line, tax, line_off=line_off[i], promo_off=promo.per_line[i],
                     order_off=order_off[i], promotions=promo.line_promotions[i])
        for i, line in enumerate(active)
    ]  # fmt: skip
    return PricedBasket(
        lines=tuple(priced),
        total=sum(p.amount for p in priced),
        discount_total=sum(p.discount for p in priced),
        gross=sum(p.gross for p in priced),
        taxes=taxes_for(priced),
        applied=promo.applied,
    )


def _priced_line(
    line: BasketLine,
    tax: TaxConfig,
    *,
    line_off: int,
    promo_off: int,
    order_off: int,
    promotions: tuple[str, ...],
) -> PricedLine:
    """One basket line with its three discounts (line, promotion, share of the order's)."""
    discount = line_off + promo_off + order_off
    return PricedLine(
        basket_line_no=line.line_no,
        sku=line.product.sku,
        name=line.product.name,
        barcode=line.barcode,
        category=line.product.category,
        qty=line.qty,
        unit_price=line.unit_price,
        weight_g=line.weight_g,
        gross=line.gross,
        line_discount=line_off,
        promo_discount=promo_off,
        order_discount=order_off,
        discount=discount,
        amount=line.gross - discount,
        tax_rate_percent=tax.rate_for(line.product.tax_rate_percent),
        promotions=promotions,
        age_restricted=line.product.age_restricted,
    )
