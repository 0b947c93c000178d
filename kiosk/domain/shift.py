"""A cashier's shift: the float, cash in and out, the blind count and over/short.

expected cash = float + cash sales (net of change) + cash in - cash out - cash refunds;
over/short = counted - expected (positive: more in the drawer than there should be).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kiosk.domain.errors import ShownError

# Rupiah in circulation: coins 100-1.000, notes 1.000-100.000 (1.000 exists as both).
COINS = (100, 200, 500, 1000)
NOTES = (1000, 2000, 5000, 10000, 20000, 50000, 100000)
DENOMINATIONS = tuple(sorted(set(COINS) | set(NOTES)))
MAX_PIECES = 100_000


class ShiftError(ShownError, ValueError):
    """A count or a cash movement that cannot be taken."""


def count_total(pieces: Mapping[int, int]) -> int:
    """The value of a drawer count given as {denomination: number of pieces}."""
    total = 0
    for denomination, number in pieces.items():
        if denomination not in DENOMINATIONS:
            raise ShiftError.of("shift.denomination", value=denomination)
        if isinstance(number, bool) or not isinstance(number, int) or not 0 <= number <= MAX_PIECES:
            raise ShiftError.of("shift.pieces", value=denomination, max=MAX_PIECES)
        total += denomination * number
    return total


@dataclass(frozen=True)
class ShiftTotals:
    float_amount: int
    cash_sales: int
    cash_in: int
    cash_out: int
    cash_refunds: int

    @property
    def expected(self) -> int:
        return (
            self.float_amount + self.cash_sales + self.cash_in - self.cash_out - self.cash_refunds
        )

    def over_short(self, counted: int) -> int:
        return counted - self.expected

    def to_dict(self, counted: int | None = None) -> dict[str, int | None]:
        return {
            "float": self.float_amount,
            "cash_sales": self.cash_sales,
            "cash_in": self.cash_in,
            "cash_out": self.cash_out,
            "cash_refunds": self.cash_refunds,
            "expected_cash": self.expected,
            "counted": counted,
            "over_short": None if counted is None else self.over_short(counted),
        }
