"""An order's lines priced by the server: the store's catalog price times the quantity,
less the store's promotions running now (``kiosk.domain.promotion_engine``, the same
rule the till applies: best for the customer). Nothing in the request is a price."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from fleet.shop.catalog import ShopProduct
from kiosk.domain.promotion_engine import PromoLine, apply_promotions
from kiosk.domain.promotions import PromotionError, parse_promotion


def price_lines(
    wanted: Sequence[tuple[str, int]],
    products: Mapping[str, ShopProduct],
    promotion_docs: Sequence[Mapping[str, Any]],
    at: datetime,
) -> list[dict[str, Any]]:
    """``wanted`` is (sku, qty) with each sku once and known; lines in that order."""
    promotions = []
    for doc in promotion_docs:
        try:
            promotions.append(parse_promotion(doc))
        except PromotionError:  # the kiosks refused it too; it never ran
            continue
    base = [(products[sku], qty) for sku, qty in wanted]
    promo = apply_promotions(
        [PromoLine(p.sku, p.category, qty, p.price * qty) for p, qty in base], promotions, at
    )
    lines = []
    for (product, qty), off in zip(base, promo.per_line, strict=True):
        gross = product.price * qty
        lines.append({"sku": product.sku, "name": product.name, "qty": qty,
                      "unit_price": product.price, "gross": gross, "discount": off,
                      "amount": gross - off})  # fmt: skip
    return lines
