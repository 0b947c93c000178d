"""QRIS: EMVCo merchant-presented QR payloads, parsed, validated and built.

A payload is a run of TLV data objects: a two-digit tag, a two-digit length (counted in
characters) and the value. Tags 26-51 (merchant account information) and 62 (additional
data) are templates holding TLV objects of their own. The payload ends with tag 63, a
CRC-16/CCITT-FALSE (polynomial 0x1021, initial 0xFFFF) over the UTF-8 bytes of everything
before its value, "6304" included, written as four upper-case hex digits.

A shop's static QRIS (tag 01 = "11", no amount) becomes a dynamic one (tag 01 = "12") by
parsing it, setting the amount and the bill number, and building it again: never by
string replacement, so a template's length can never drift from its content.
"""

from __future__ import annotations

import binascii
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from kiosk.domain.errors import ShownError

QRIS_MAX_AMOUNT = 10_000_000  # Bank Indonesia's per-transaction limit since March 2022
STATIC, DYNAMIC = "11", "12"
TEMPLATE_TAGS = frozenset({f"{n:02d}" for n in range(26, 52)} | {"62", "64"})
ADDITIONAL_DATA = "62"
BILL_NUMBER, TERMINAL_LABEL = "01", "07"  # sub-tags of template 62
TIP_PROMPT, TIP_FIXED, TIP_PERCENT = "01", "02", "03"

_MANDATORY = {
    "00": "payload format indicator",
    "01": "point of initiation method",
    "52": "merchant category code",
    "53": "transaction currency",
    "58": "country code",
    "59": "merchant name",
    "60": "merchant city",
    "63": "CRC",
}
_MAX_LENGTH = {"59": 25, "60": 15, "61": 10}
_TAG_NAMES = MappingProxyType(
    {
        "00": "payload_format",
        "01": "initiation",
        "52": "merchant_category",
        "53": "currency",
        "54": "amount",
        "55": "tip_indicator",
        "56": "tip_fixed",
        "57": "tip_percent",
        "58": "country",
        "59": "merchant_name",
        "60": "merchant_city",
        "61": "postal_code",
        "63": "crc",
    }
)
_ADDITIONAL_NAMES = MappingProxyType(
    {
        "01": "bill_number",
        "02": "mobile_number",
        "03": "store_label",
        "04": "loyalty_number",
        "05": "reference_label",
        "06": "customer_label",
        "07": "terminal_label",
        "08": "purpose",
        "09": "consumer_data_request",
    }
)


class QrisError(ShownError):
    """A payload that is not a valid QRIS; the message says which field and why."""


Element = tuple[str, "str | tuple[Element, ...]"]


@dataclass(frozen=True)
class QrisPayload:
    """A parsed payload: its data objects in the order they came, templates expanded."""

    elements: tuple[Element, ...]
    _index: dict[str, str | tuple[Element, ...]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        self._index.update(self.elements)

    def get(self, tag: str) -> str | None:
        value = self._index.get(tag)
        return value if isinstance(value, str) else None

    def template(self, tag: str) -> dict[str, str]:
        value = self._index.get(tag)
        if not isinstance(value, tuple):
            return {}
        return {sub: v for sub, v in value if isinstance(v, str)}

    @property
    def dynamic(self) -> bool:
        return self.get("01") == DYNAMIC

    @property
    def amount(self) -> int | None:
        """The amount in whole rupiah, or None when the payer types it in."""
        raw = self.get("54")
        return None if raw is None else _rupiah(raw)

    @property
    def merchant_name(self) -> str:
        return self.get("59") or ""

    @property
    def bill_number(self) -> str:
        return self.template(ADDITIONAL_DATA).get(BILL_NUMBER, "")

    def to_dict(self) -> dict[str, object]:
        """Named fields for people and JSON; unknown tags keep their number."""
        out: dict[str, object] = {}
        for tag, value in self.elements:
            if isinstance(value, tuple):
                names = _ADDITIONAL_NAMES if tag == ADDITIONAL_DATA else {}
                sub = {names.get(s, s): v for s, v in value if isinstance(v, str)}
                if tag == ADDITIONAL_DATA:
                    out["additional_data"] = sub
                else:
                    accounts = out.setdefault("merchant_accounts", {})
                    assert isinstance(accounts, dict)
                    accounts[tag] = sub
            else:
                out[_TAG_NAMES.get(tag, tag)] = value
        out["dynamic"] = self.dynamic
        if self.amount is not None:
            out["amount_rupiah"] = self.amount
        return out


def crc16(data: str) -> str:
    """CRC-16/CCITT-FALSE of ``data``'s UTF-8 bytes as four upper-case hex digits."""
    return f"{binascii.crc_hqx(data.encode('utf-8'), 0xFFFF):04X}"


def _split(text: str, where: str) -> tuple[tuple[str, str], ...]:
    elements: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not (head.isascii() and head.isdigit()):
            raise QrisError(
                f"{where}: bad tag or length at position {pos}: {head!r}"
                " (a length before it may be wrong)"
            )
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise QrisError(
                f"{where}: tag {tag} says {length} characters but only {len(value)} remain"
            )
        elements.append((tag, value))
        pos += 4 + length
    return tuple(elements)


def _rupiah(raw: str) -> int:
    """Tag 54: digits with an optional '.', no separators, above zero, whole rupiah."""
    whole, _, cents = raw.partition(".")
    digits = whole + cents
    if not (whole and digits.isascii() and digits.isdigit()):
        raise QrisError(f"amount (tag 54) must be digits with an optional '.': {raw!r}")
    if cents.strip("0"):
        raise QrisError(f"amount (tag 54) must be whole rupiah: {raw!r}")
    amount = int(whole)
    if amount <= 0:
        raise QrisError("amount (tag 54) must be above zero")
    return amount


def parse(text: str, *, max_amount: int = QRIS_MAX_AMOUNT) -> QrisPayload:
    """A validated payload, or ``QrisError`` naming the first problem found."""
    text = text.strip()
    if not text.startswith("000201"):
        raise QrisError("payload must start with 000201 (payload format indicator 01)")
    top = _split(text, "payload")
    if top[-1][0] != "63" or len(top[-1][1]) != 4:
        raise QrisError("payload must end with the CRC (tag 63, 4 characters)")
    expected = crc16(text[:-4])
    if top[-1][1].upper() != expected:
        raise QrisError(f"CRC mismatch: payload says {top[-1][1]}, content gives {expected}")
    elements: list[Element] = []
    seen: set[str] = set()
    for tag, value in top:
        if tag in seen:
            raise QrisError(f"tag {tag} appears twice")
        seen.add(tag)
        if tag in TEMPLATE_TAGS:
            elements.append((tag, _split(value, f"template {tag}")))
        else:
            elements.append((tag, value))
    payload = QrisPayload(tuple(elements))
    _validate(payload, seen, max_amount)
    return payload


def _validate(payload: QrisPayload, tags: set[str], max_amount: int) -> None:
    for tag, what in _MANDATORY.items():
        if tag not in tags:
            raise QrisError(f"missing mandatory tag {tag} ({what})")
    if not any("02" <= tag <= "51" for tag in tags):
        raise QrisError("missing merchant account information (tags 02-51)")
    for tag, limit in _MAX_LENGTH.items():
        value = payload.get(tag)
        if value is not None and len(value) > limit:
            raise QrisError(f"tag {tag} is longer than {limit} characters")
    if payload.get("01") not in (STATIC, DYNAMIC):
        raise QrisError("point of initiation (tag 01) must be 11 (static) or 12 (dynamic)")
    if payload.get("53") != "360":
        raise QrisError("currency (tag 53) must be 360 (rupiah)")
    if payload.get("58") != "ID":
        raise QrisError("country (tag 58) must be ID")
    category = payload.get("52") or ""
    if len(category) != 4 or not category.isdigit():
        raise QrisError("merchant category (tag 52) must be 4 digits")
    amount = payload.amount
    if amount is not None and amount > max_amount:
        raise QrisError(f"amount {amount} is over the QRIS limit of {max_amount}")
    tip = payload.get("55")
    if tip is not None:
        needs = {TIP_PROMPT: None, TIP_FIXED: "56", TIP_PERCENT: "57"}
        if tip not in needs:
            raise QrisError("tip indicator (tag 55) must be 01, 02 or 03")
        required = needs[tip]
        if required is not None and payload.get(required) is None:
            raise QrisError(f"tip indicator {tip} needs tag {required}")


def _encode(elements: tuple[Element, ...]) -> str:
    parts = []
    for tag, value in elements:
        text = value if isinstance(value, str) else _encode(value)
        if len(text) > 99:
            raise QrisError(f"tag {tag} is longer than 99 characters")
        parts.append(f"{tag}{len(text):02d}{text}")
    return "".join(parts)


def build(payload: QrisPayload) -> str:
    """The payload text, data objects in tag order, with a fresh CRC."""
    body = tuple(sorted((e for e in payload.elements if e[0] != "63"), key=lambda e: e[0]))
    text = _encode(body) + "6304"
    return text + crc16(text)


def _set(
    elements: tuple[Element, ...], tag: str, value: str | tuple[Element, ...] | None
) -> tuple[Element, ...]:
    kept = tuple(e for e in elements if e[0] != tag)
    return kept if value is None else (*kept, (tag, value))


def to_dynamic(
    static: QrisPayload | str,
    amount: int,
    *,
    bill_number: str = "",
    terminal: str = "",
    max_amount: int = QRIS_MAX_AMOUNT,
) -> str:
    """A dynamic payload for one sale of ``amount`` rupiah, from the shop's QRIS."""
    source = parse(static, max_amount=max_amount) if isinstance(static, str) else static
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise QrisError("amount must be whole rupiah above zero")
    if amount > max_amount:
        raise QrisError(f"amount {amount} is over the QRIS limit of {max_amount}")
    for label, value in (("bill number", bill_number), ("terminal", terminal)):
        if len(value) > 25 or not value.isprintable() or not value.isascii():
            raise QrisError(f"{label} must be at most 25 printable ASCII characters")
    elements = _set(source.elements, "01", DYNAMIC)
    elements = _set(elements, "54", str(amount))
    additional = dict(source.template(ADDITIONAL_DATA))
    if bill_number:
        additional[BILL_NUMBER] = bill_number
    if terminal:
        additional[TERMINAL_LABEL] = terminal
    sub = tuple(sorted(additional.items()))
    elements = _set(elements, ADDITIONAL_DATA, sub or None)
    text = build(replace(source, elements=elements))
    parse(text, max_amount=max_amount)  # what we hand out always parses
    return text
