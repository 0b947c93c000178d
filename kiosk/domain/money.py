"""Money: integer rupiah, explicit rounding, locale formatting.

Every amount in the system is an ``int`` of whole rupiah. Fractions appear only inside
a computation (tax decomposition, percent discounts) and leave it through one of the
rounding functions here, never through ``round()`` (banker's rounding) or ``int()``.
"""

from __future__ import annotations

import re
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


_AMOUNT = re.compile(
    r"""(?P<sign>-?)
        (?:(?:rp|idr)\.?[ \u00a0]*)?
        (?P<number>[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+)""",
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
MAX_AMOUNT_DIGITS = 15


def parse_rupiah(text: str) -> int:
    """Parse a whole-rupiah amount typed by a person or found in a file.

    Accepted, with an optional leading ``-`` and ``Rp``/``Rp.``/``IDR`` prefix (any
    case, spaces allowed after it): plain digits ``12500``, or groups of three after
    a first group of one to three digits, all separated by dots (``12.500``, Indonesian)
    or all by commas (``12,500``, English). Both read ``1.000`` and ``1,000`` as one
    thousand. Refused, never guessed: fractions (``12.5``, ``12500,00``), mixed
    separators (``1,000.500``, ``1.000,50``), other groupings (``1.2345``, ``1 000``),
    digits other than ASCII 0-9 (Arabic-Indic, full-width), and more than
    ``MAX_AMOUNT_DIGITS`` digits."""
    if not isinstance(text, str):
        raise ValueError(f"{type(text).__name__} is not a rupiah amount")
    cleaned = text.strip(" \t\u00a0")
    if any(ch.isdigit() and not ch.isascii() for ch in cleaned):
        raise ValueError(f"{_shown(text)} is not a rupiah amount: use the digits 0-9")
    found = _AMOUNT.fullmatch(cleaned)
    if found is None:
        if "," in cleaned and "." in cleaned:
            raise ValueError(
                f"{_shown(text)} is not a rupiah amount: it mixes . and , as separators"
            )
        raise ValueError(f"{_shown(text)} is not a whole rupiah amount")
    digits = found["number"].replace(".", "").replace(",", "")
    if len(digits.lstrip("0")) > MAX_AMOUNT_DIGITS:
        raise ValueError(f"{_shown(text)} is too large (more than {MAX_AMOUNT_DIGITS} digits)")
    value = int(digits)
    return -value if found["sign"] else value


def _shown(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")
