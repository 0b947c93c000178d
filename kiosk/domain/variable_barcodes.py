"""Variable-measure barcodes: scale labels that carry a price or a weight.

A store's scales print EAN-13 labels in the GS1 restricted-circulation range (prefixes
20-29). Each rule describes one prefix with a 13-character template:

- ``P`` the prefix digits (as many as the prefix is long, at the start)
- ``I`` item code digits: which product this is
- ``V`` value digits: the price in rupiah (kind "price") or the weight in grams ("weight")
- ``X`` an optional check digit over the value that some scales print; ignored
- ``C`` the EAN-13 check digit (exactly one, last)

``DEFAULT_RULES``: prefixes 20-24 carry a price, 25-29 a weight, all as
``PPIIIIIVVVVVC`` (five item digits, five value digits: at most Rp99.999 or 99.999 kg).
A store whose labels differ (a six-digit price, say ``PPIIIIVVVVVVC``) configures its own
through ``parse_rules``.

How an item code finds its product (see ``Catalog.lookup``): first by the label's
*template barcode* (the label with every V and X digit zeroed and the check digit
recomputed; enter that as the product's barcode), then by a SKU equal to the item
digits, then by a SKU equal to the item digits without leading zeros.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.domain.gtin import check_digit

Kind = Literal["price", "weight"]
KINDS: tuple[Kind, ...] = ("price", "weight")
TEMPLATE_LENGTH = 13
_TEMPLATE_CHARS = frozenset("PIVXC")


class RuleError(ValueError):
    """A variable-barcode rule that cannot work (bad prefix, pattern or kind)."""


@dataclass(frozen=True)
class VariableBarcode:
    """A scale label read through a rule."""

    rule: VariableBarcodeRule
    code: str  # the label as scanned (13 digits)
    item: str  # the item code digits
    value: int  # rupiah (price rules) or grams (weight rules)
    template: str  # the label with value digits zeroed and the check digit recomputed


@dataclass(frozen=True)
class VariableBarcodeRule:
    prefix: str
    pattern: str
    kind: Kind

    def __post_init__(self) -> None:
        where = f"variable barcode rule {self.prefix!r}"
        if not (self.prefix.isascii() and self.prefix.isdigit()) or not 1 <= len(self.prefix) <= 3:
            raise RuleError(f"{where}: prefix must be 1 to 3 digits")
        if self.kind not in KINDS:
            raise RuleError(f"{where}: kind must be 'price' or 'weight', got {self.kind!r}")
        p = self.pattern
        if len(p) != TEMPLATE_LENGTH:
            raise RuleError(f"{where}: pattern must be 13 characters, got {len(p)} ({p!r})")
        if bad := sorted(set(p) - _TEMPLATE_CHARS):
            raise RuleError(f"{where}: pattern {p!r} has {bad}; use only P, I, V, X and C")
        if p[: len(self.prefix)] != "P" * len(self.prefix) or p.count("P") != len(self.prefix):
            raise RuleError(
                f"{where}: pattern {p!r} must start with exactly {len(self.prefix)} P "
                "(one per prefix digit)"
            )
        if p[-1] != "C" or p.count("C") != 1:
            raise RuleError(f"{where}: pattern {p!r} must end with the one check digit C")
        if "I" not in p or "V" not in p:
            raise RuleError(f"{where}: pattern {p!r} needs item digits I and value digits V")

    def matches(self, code: str) -> bool:
        return len(code) == TEMPLATE_LENGTH and code.isdigit() and code.startswith(self.prefix)

    def decode(self, code: str) -> VariableBarcode:
        """Read a label that ``matches`` this rule (its EAN-13 check is the caller's job)."""
        if not self.matches(code):
            raise RuleError(f"{code!r} is not a 13-digit label with prefix {self.prefix}")
        item = "".join(d for d, c in zip(code, self.pattern, strict=True) if c == "I")
        value = int("".join(d for d, c in zip(code, self.pattern, strict=True) if c == "V"))
        zeroed = "".join(
            "0" if c in "VX" else d for d, c in zip(code[:-1], self.pattern, strict=False)
        )
        return VariableBarcode(self, code, item, value, zeroed + check_digit(zeroed))

    def to_dict(self) -> dict[str, str]:
        return {"prefix": self.prefix, "pattern": self.pattern, "kind": self.kind}


DEFAULT_RULES: tuple[VariableBarcodeRule, ...] = tuple(
    VariableBarcodeRule(str(p), "PPIIIIIVVVVVC", "price" if p <= 24 else "weight")
    for p in range(20, 30)
)


def parse_rules(items: Iterable[Mapping[str, Any]]) -> list[VariableBarcodeRule]:
    """Rules from settings or a fleet message: ``[{"prefix", "pattern", "kind"}, ...]``.

    Raises ``RuleError`` naming the entry at fault; a prefix may appear only once and no
    prefix may start another (which rule would win would be unclear).
    """
    rules: list[VariableBarcodeRule] = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            raise RuleError(f"rule {n}: expected an object, got {type(item).__name__}")
        if unknown := sorted(set(item) - {"prefix", "pattern", "kind"}):
            raise RuleError(f"rule {n}: unknown field(s) {unknown}")
        values = [item.get(k) for k in ("prefix", "pattern", "kind")]
        if not all(isinstance(v, str) for v in values):
            raise RuleError(f"rule {n}: prefix, pattern and kind are required strings")
        try:
            rule = VariableBarcodeRule(
                str(item["prefix"]), str(item["pattern"]).upper(), item["kind"]
            )
        except RuleError as exc:
            raise RuleError(f"rule {n}: {exc}") from None
        for other in rules:
            if rule.prefix.startswith(other.prefix) or other.prefix.startswith(rule.prefix):
                raise RuleError(
                    f"rule {n}: prefix {rule.prefix} overlaps the rule for prefix {other.prefix}"
                )
        rules.append(rule)
    return rules


def find_rule(code: str, rules: Sequence[VariableBarcodeRule]) -> VariableBarcodeRule | None:
    """The rule whose prefix this 13-digit code starts with (longest prefix wins)."""
    best: VariableBarcodeRule | None = None
    for rule in rules:
        if rule.matches(code) and (best is None or len(rule.prefix) > len(best.prefix)):
            best = rule
    return best
