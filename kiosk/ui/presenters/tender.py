"""Tender helpers: the quick-cash buttons a cashier taps, from the amount due."""

from __future__ import annotations

NOTES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000)


def quick_cash(due: int, count: int = 4) -> list[int]:
    """Exact amount first, then the next round sums a customer is likely to hand over."""
    if due <= 0:
        return []
    options = [due]
    for step in (5_000, 10_000, 20_000, 50_000, 100_000):
        rounded = -(-due // step) * step
        if rounded not in options:
            options.append(rounded)
        if len(options) >= count:
            break
    return sorted(options)[:count]
