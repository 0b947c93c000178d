"""PPN (Indonesian VAT) on tax-inclusive prices.

Rates are decimal strings of the *effective* rate: "11" for 12% on a DPP of 11/12,
"1.1" for a special regime, "0" for exempt goods or a store that is not PKP. The tax is
taken out of each rate's total (not line by line) so rounding happens once per rate:
``PPN = round_half_up(T * r / (1 + r))`` with ``r = rate / 100``; ``DPP = T - PPN``.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Protocol

from kiosk.domain.money import round_half_up
from kiosk.domain.sale import TaxLine


class TaxError(ValueError):
    """A tax rate that is not a number from 0 to 100."""


class Taxable(Protocol):
    """Anything with a rate and a tax-inclusive amount (a priced line, a sale line)."""

    @property
    def tax_rate_percent(self) -> str: ...

    @property
    def amount(self) -> int: ...


def normalize_rate(rate_percent: str) -> str:
    """``"11.0"`` -> ``"11"``, ``"1.10"`` -> ``"1.1"``, ``"0.00"`` -> ``"0"``."""
    try:
        value = Decimal(str(rate_percent).strip())
    except InvalidOperation:
        raise TaxError(f"tax rate {rate_percent!r} is not a number") from None
    if not value.is_finite() or not 0 <= value <= 100:
        raise TaxError(f"tax rate must be from 0 to 100 percent, got {rate_percent!r}")
    return format(value.normalize(), "f") if value else "0"


def decompose(taxable: int, rate_percent: str) -> tuple[int, int]:
    """Split a tax-inclusive amount into ``(dpp, ppn)``; 10,000 at "11" -> (9009, 991)."""
    r = Fraction(normalize_rate(rate_percent)) / 100
    ppn = round_half_up(taxable * r / (1 + r))
    return taxable - ppn, ppn


def taxes_for(lines: Iterable[Taxable]) -> tuple[TaxLine, ...]:
    """One ``TaxLine`` per rate (exempt "0" included, so the receipt can show it),
    sorted by rate from low to high."""
    totals: dict[str, int] = {}
    for line in lines:
        rate = normalize_rate(line.tax_rate_percent)
        totals[rate] = totals.get(rate, 0) + line.amount
    result = []
    for rate in sorted(totals, key=Decimal):
        dpp, ppn = decompose(totals[rate], rate)
        result.append(TaxLine(rate_percent=rate, taxable=totals[rate], dpp=dpp, ppn=ppn))
    return tuple(result)
