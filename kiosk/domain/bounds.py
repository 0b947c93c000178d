"""Bounds on every amount and field the till accepts, in one place.

Every entry (catalog CSV/JSON import, fleet commands, replay scripts, the keypad) runs
what it receives through these checks before anything changes, so a hostile or mistyped
value is refused with a message instead of reaching the ledger.

- **Amounts** are whole rupiah: an ``int`` (never ``bool`` or ``float``) or text in one
  of the formats ``money.parse_rupiah`` documents. No amount may exceed
  ``AMOUNT_CEILING`` (Rp1 trillion), whatever the settings say: a business day would
  need over nine million sales at the ceiling before a report's SQLite ``SUM`` could
  overflow 64 bits. Below it, ``Limits`` holds the shop's own maxima (the ``limits.*``
  settings); the domain takes them as values and never reads settings itself.
- **Text** is a ``str`` where a string is due (a JSON list or number as a name is
  refused), at most ``MAX_FIELD_CHARS`` characters, with no control characters (NUL,
  escape, line breaks) and no bidirectional overrides that could disguise a name.
- **Documents** (catalog files, command payloads, script lines) are at most
  ``MAX_DOCUMENT_BYTES`` and ``MAX_DEPTH`` levels of nesting; ``NaN`` and ``Infinity``
  are not JSON and are refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from kiosk.domain.errors import ShownError
from kiosk.domain.money import format_rupiah, parse_rupiah

AMOUNT_CEILING = 10**12  # Rp1 trillion: no setting may allow more
MAX_FIELD_CHARS = 256  # one text field (a name, a SKU, a category)
MAX_DOCUMENT_BYTES = 64 * 2**20  # a catalog file of a few hundred thousand products
MAX_DEPTH = 16  # the deepest message today nests 5 levels
# Unicode's control characters (Cc), surrogates (Cs), line and paragraph separators
# (Zl, Zp) and the bidirectional overrides and isolates; one C-speed search per field.
_FORBIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\u202a-\u202e\u2066-\u2069]")


class BoundsError(ShownError, ValueError):
    """A value outside the till's bounds; ``message`` names the field and the bound."""

    def __init__(self, what: str, message: str, *, line: int | None = None) -> None:
        super().__init__(f"{what}: {message}" if what else message)
        self.what = what
        self.reason = message
        self.line = line  # where in a document, when known


@dataclass(frozen=True)
class Limits:
    """The shop's maxima in whole rupiah (settings ``limits.<field>``)."""

    max_price: int = 100_000_000  # a unit price: Rp100 million
    max_line_total: int = 1_000_000_000  # one line, quantity times price: Rp1 billion
    max_sale_total: int = 1_000_000_000  # one sale: Rp1 billion
    max_cash_tendered: int = 100_000_000  # cash handed over at once: 1,000 Rp100k notes

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise BoundsError(f"limits.{item.name}", "must be whole rupiah")
            if not 1 <= value <= AMOUNT_CEILING:
                raise BoundsError(
                    f"limits.{item.name}",
                    f"must be from Rp1 to {format_rupiah(AMOUNT_CEILING)}",
                )

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Limits:
        """Limits from ``{"max_price": ..., ...}``; missing keys keep their default."""
        known = {item.name for item in fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise BoundsError("limits", f"unknown limit(s): {', '.join(unknown)}")
        return cls(**dict(values))


DEFAULT_LIMITS = Limits()


# -- amounts ---------------------------------------------------------------------------


def check_amount(value: object, what: str, maximum: int = AMOUNT_CEILING, minimum: int = 0) -> int:
    """``value`` as whole rupiah within ``minimum..maximum``, or ``BoundsError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise BoundsError(what, f"must be whole rupiah, not {_kind(value)}")
    top = min(maximum, AMOUNT_CEILING)
    if value > top:
        raise BoundsError(what, f"is more than the limit of {format_rupiah(top)}")
    if value < minimum:
        raise BoundsError(what, f"must be at least {format_rupiah(minimum)}")
    return value


def parse_amount(value: object, what: str, maximum: int = AMOUNT_CEILING, minimum: int = 0) -> int:
    """An amount from a file, a message or a keypad: an ``int`` or rupiah text."""
    if isinstance(value, str):
        try:
            value = parse_rupiah(value)
        except ValueError as err:
            raise BoundsError(what, str(err)) from None
    return check_amount(value, what, maximum, minimum)


_WHOLE = re.compile(r"[+-]?[0-9]{1,15}", re.ASCII)


def parse_whole(text: str, what: str, *, minimum: int, maximum: int) -> int:
    """A whole number typed by a person (a quantity, a stock delta, a count of days):
    an optional sign and ASCII digits, within ``minimum..maximum``."""
    cleaned = text.strip() if isinstance(text, str) else ""
    if not _WHOLE.fullmatch(cleaned):
        shown = repr(text[:20]) if isinstance(text, str) else _kind(text)
        raise BoundsError(what, f"{shown} is not a whole number written with the digits 0-9")
    value = int(cleaned)
    if not minimum <= value <= maximum:
        raise BoundsError(what, f"must be from {minimum:,} to {maximum:,}, got {value:,}")
    return value


# -- text ------------------------------------------------------------------------------


def are_plain_texts(values: Sequence[object], max_chars: int = MAX_FIELD_CHARS) -> bool:
    """Whether ``check_text`` would accept every one of ``values`` (empty allowed): the
    fast test, one search over them all; ``check_text`` then says which and why."""
    try:
        joined = "".join(values)  # type: ignore[arg-type]  # a non-string raises
    except TypeError:
        return False
    longest = max(map(len, values), default=0)  # type: ignore[arg-type]
    return longest <= max_chars and _FORBIDDEN.search(joined) is None


def check_text(
    value: object, what: str, *, required: bool = True, max_chars: int = MAX_FIELD_CHARS
) -> str:
    """``value`` stripped, if it is a string of printable characters within bounds."""
    if not isinstance(value, str):
        raise BoundsError(what, f"must be text, not {_kind(value)}")
    if len(value) > max_chars:
        raise BoundsError(what, f"is longer than {max_chars} characters")
    found = _FORBIDDEN.search(value)
    if found is not None:
        char = found.group()
        raise BoundsError(
            what, f"holds a control character (U+{ord(char):04X}) at position {found.start() + 1}"
        )
    text = value.strip()
    if required and not text:
        raise BoundsError(what, "is empty")
    return text


# -- documents -------------------------------------------------------------------------


def check_size(size: int, what: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> None:
    if size > max_bytes:
        raise BoundsError(what, f"is larger than {_size(max_bytes)}")


def depth(value: object) -> int:
    """How deeply lists and objects nest in ``value`` (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, level = stack.pop()
        children: Any = (
            item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        )
        if children is None:
            continue
        deepest = max(deepest, level + 1)
        stack.extend((child, level + 1) for child in children)
    return deepest


def check_depth(value: object, what: str, max_depth: int = MAX_DEPTH) -> None:
    if depth(value) > max_depth:
        raise BoundsError(what, f"nests deeper than {max_depth} levels")


def load_json(
    text: str | bytes, what: str, *, max_bytes: int = MAX_DOCUMENT_BYTES, max_depth: int = MAX_DEPTH
) -> Any:
    """Parse a JSON document within bounds: size, nesting, standard numbers only.

    A syntax error is a ``BoundsError`` too, naming the line and column."""
    size = len(text.encode("utf-8", "surrogatepass")) if isinstance(text, str) else len(text)
    check_size(size, what, max_bytes)
    try:
        data = json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as err:
        raise BoundsError(
            what,
            f"not JSON: {err.msg} (line {err.lineno}, column {err.colno})",
            line=err.lineno,
        ) from None
    except RecursionError:
        raise BoundsError(what, f"nests deeper than {max_depth} levels") from None
    except (ValueError, UnicodeDecodeError) as err:  # a 5,000-digit number, bad UTF-8
        raise BoundsError(what, f"not usable JSON: {_first_line(err)}") from None
    check_depth(data, what, max_depth)
    return data


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# -- wording -----------------------------------------------------------------------------


def _kind(value: object) -> str:
    names = {
        type(None): "nothing (null)",
        bool: "true/false",
        int: "a number",
        float: "a fractional number",
        list: "a list",
        dict: "an object",
        str: "text",
    }
    return names.get(type(value), type(value).__name__)


def _size(n_bytes: int) -> str:
    return f"{n_bytes // 2**20} MB" if n_bytes >= 2**20 else f"{n_bytes:,} bytes"


def _first_line(err: BaseException) -> str:
    return (str(err).splitlines() or [type(err).__name__])[0][:200]
