"""Reordering and stock analysis: reorder points, suggestions, ABC classes, stock cover.

reorder point = daily demand x lead time + safety stock (rounded up to whole units);
suggested order = what brings stock back to the reorder point plus one lead time of
demand, when stock is at or below the reorder point; otherwise nothing.
ABC: items sorted by revenue; A until 80% of revenue, B until 95%, C the rest.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction


def daily_demand(units_sold: int, days: int) -> Fraction:
    return Fraction(units_sold, days) if days > 0 else Fraction(0)


def reorder_point(demand: Fraction, lead_time_days: int, safety_stock: int = 0) -> int:
    return math.ceil(demand * lead_time_days) + safety_stock


def suggested_order(on_hand: int, demand: Fraction, lead_time_days: int, safety: int = 0) -> int:
    point = reorder_point(demand, lead_time_days, safety)
    if on_hand > point or demand == 0:
        return 0
    return point + math.ceil(demand * lead_time_days) - on_hand


def stock_cover_days(on_hand: int, demand: Fraction) -> float | None:
    """Days the stock lasts at the current rate; None when nothing sells."""
    if demand == 0:
        return None
    return float(max(on_hand, 0) / demand)


def abc_classes(revenue: Mapping[str, int]) -> dict[str, str]:
    total = sum(max(v, 0) for v in revenue.values())
    classes: dict[str, str] = {}
    running = 0
    for sku, value in sorted(revenue.items(), key=lambda kv: (-kv[1], kv[0])):
        share_before = Fraction(running, total) if total else Fraction(1)
        classes[sku] = (
            "A"
            if share_before < Fraction(80, 100)
            else ("B" if share_before < Fraction(95, 100) else "C")
        )
        running += max(value, 0)
    return classes
