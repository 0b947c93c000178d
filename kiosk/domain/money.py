"""Money: integer rupiah, explicit rounding, locale formatting.

Every amount in the system is an ``int`` of whole rupiah. Fractions appear only inside
a computation (tax decomposition, percent discounts) and leave it through one of the
rounding functions here, never through ``round()`` (banker's rounding) or ``int()``.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

Rupiah = int


def _as_fraction(value: Fraction | Decimal | int | str) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def round_half_up(value: Fraction | Decimal | int | str) -> int:
    """Round to the nearest integer, halves away from zero (1.5 -> 2, -1.5 -> -2)."""
    f = _as_fraction(value)
    sign = -1 if f < 0 else 1
    magnitude = abs(f)
    whole, remainder = divmod(magnitude.numerator, magnitude.denominator)
    if remainder * 2 >= magnitude.denominator:
        whole += 1
    return sign * whole


def round_down(value: Fraction | Decimal | int | str) -> int:
    """Round towards minus infinity."""
    f = _as_fraction(value)
    return f.numerator // f.denominator


def round_down_to(amount: int, step: int) -> int:
    """Round a non-negative amount down to a multiple of ``step`` (cash rounding)."""
    if step <= 0:
        raise ValueError("rounding step must be positive")
    return amount - amount % step


def percent_of(amount: int, percent: Fraction | Decimal | int | str) -> int:
    """``amount * percent / 100``, rounded half up."""
    return round_half_up(amount * _as_fraction(percent) / 100)


def allocate(total: int, weights: list[int]) -> list[int]:
    """Split ``total`` over ``weights`` by largest remainder; the parts sum to ``total``.

    Ties in the remainder go to the earlier index, so the result is deterministic.
    Zero weights get zero unless every weight is zero (then the split is even).
    """
    if not weights:
        if total:
            raise ValueError("cannot allocate a non-zero amount over no weights")
        return []
    if any(w < 0 for w in weights):
        raise ValueError("weights must be non-negative")
    sign = -1 if total < 0 else 1
    magnitude = abs(total)
    basis = sum(weights)
    if basis == 0:
        weights = [1] * len(weights)
        basis = len(weights)
    shares = [divmod(magnitude * w, basis) for w in weights]
    parts = [q for q, _ in shares]
    left = magnitude - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-shares[i][1], i))
    for i in order[:left]:
        parts[i] += 1
    return [sign * p for p in parts]


_SEPARATORS = {"id": ".", "en": ","}


def format_rupiah(amount: int, lang: str = "id") -> str:
    """``12500`` -> ``Rp12.500`` (id) or ``Rp12,500`` (en); negatives as ``-Rp1.000``."""
    sep = _SEPARATORS.get(lang[:2], ".")
    digits = f"{abs(amount):,}".replace(",", sep)
    return f"-Rp{digits}" if amount < 0 else f"Rp{digits}"


def parse_rupiah(text: str) -> int:
    """Parse a whole-rupiah amount typed by a person or found in a file: ``12500``,
    ``12.500``, ``Rp 12,500``. Decimal fractions are rejected, not truncated."""
    cleaned = text.strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    negative = cleaned.startswith("-")
    cleaned = cleaned.lstrip("-")
    groups = cleaned.replace(",", ".").split(".")
    if not cleaned or not all(g.isdigit() for g in groups):
        raise ValueError(f"not a rupiah amount: {text!r}")
    if len(groups) > 1 and any(len(g) != 3 for g in groups[1:]):
        raise ValueError(f"not a whole rupiah amount: {text!r}")
    value = int("".join(groups))
    return -value if negative else value
