"""Scanned text -> a structured ``Scan``: AIM symbology identifier, GS1 element strings.

AIM identifiers (``]E0`` EAN-13, ``]C1`` GS1-128, ``]e0`` GS1 DataBar, ...) are stripped
and named when the scanner is programmed to send them. GS1 element strings are split
into application identifiers: fixed-length AIs by the GS1 table, variable-length ones end
at the group separator (``\\x1d``, FNC1) or at the end of the data. Human-readable
``(01)...(17)...`` text is accepted too (people type it off labels).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from fractions import Fraction

from kiosk.domain.money import round_half_up
from kiosk.ports import Scan

GS = "\x1d"

# AIM symbology identifiers -> our symbology names (ISO/IEC 15424).
AIM_SYMBOLOGIES = {
    "]E0": "ean13", "]E4": "ean8", "]E1": "ean13+2", "]E2": "ean13+5", "]E3": "ean13+addon",
    "]C0": "code128", "]C1": "gs1-128", "]e0": "gs1-databar", "]A0": "code39", "]I0": "itf",
    "]I1": "itf", "]Q1": "qr", "]Q3": "gs1-qr", "]d1": "datamatrix", "]d2": "gs1-datamatrix",
    "]X0": "unknown",
}  # fmt: skip
GS1_SYMBOLOGIES = frozenset({"gs1-128", "gs1-databar", "gs1-qr", "gs1-datamatrix"})

# AI -> (digits of the AI, fixed data length or None, max data length). GS1 General
# Specifications, the AIs a grocery till meets; unknown AIs end the parse.
_AI_TABLE: dict[str, tuple[int | None, int]] = {
    "00": (18, 18), "01": (14, 14), "02": (14, 14), "10": (None, 20), "11": (6, 6),
    "12": (6, 6), "13": (6, 6), "15": (6, 6), "16": (6, 6), "17": (6, 6), "20": (2, 2),
    "21": (None, 20), "22": (None, 20), "30": (None, 8), "37": (None, 8),
    "240": (None, 30), "241": (None, 30), "250": (None, 30), "400": (None, 30),
    "410": (13, 13), "414": (13, 13), "422": (3, 3), "8005": (6, 6), "8008": (None, 12),
    "8020": (None, 25), "90": (None, 30), "91": (None, 90), "92": (None, 90),
}  # fmt: skip
for _x in range(10):
    for _base in ("310", "320", "330", "356"):  # net weight kg / lb, gross kg, net troy oz
        _AI_TABLE[f"{_base}{_x}"] = (6, 6)
    _AI_TABLE[f"392{_x}"] = (None, 15)  # amount payable, single currency
    _AI_TABLE[f"393{_x}"] = (None, 18)  # amount payable with ISO currency code

_HUMAN_READABLE = re.compile(r"\((\d{2,4})\)([^()]*)")


class Gs1Error(ValueError):
    """A GS1 element string that does not follow the AI rules."""


def gs1_check_digit_ok(digits: str) -> bool:
    """Mod-10 check digit of GTIN-8/12/13/14, SSCC and friends."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def _match_ai(data: str, pos: int) -> str:
    for length in (2, 3, 4):
        ai = data[pos : pos + length]
        if ai in _AI_TABLE:
            return ai
    raise Gs1Error(f"unknown GS1 application identifier at position {pos}: {data[pos : pos + 4]!r}")


def parse_gs1(data: str) -> dict[str, str]:
    """``"0109501101530003" GS "10ABC"`` -> ``{"01": "09501101530003", "10": "ABC"}``."""
    if data.startswith("("):
        return _parse_human_readable(data)
    ais: dict[str, str] = {}
    pos = 0
    data = data.lstrip(GS)  # a leading FNC1 is sometimes transmitted
    while pos < len(data):
        ai = _match_ai(data, pos)
        pos += len(ai)
        fixed, maximum = _AI_TABLE[ai]
        if fixed is not None:
            value = data[pos : pos + fixed]
            if len(value) != fixed:
                raise Gs1Error(f"AI ({ai}) needs {fixed} characters, got {len(value)}")
            pos += fixed
            if data[pos : pos + 1] == GS:  # some scanners send FNC1 after fixed AIs too
                pos += 1
        else:
            end = data.find(GS, pos)
            end = len(data) if end < 0 else end
            value = data[pos:end]
            if not value or len(value) > maximum:
                raise Gs1Error(f"AI ({ai}) takes 1-{maximum} characters, got {len(value)}")
            pos = end + 1
        if ai in ais:
            raise Gs1Error(f"AI ({ai}) appears twice")
        ais[ai] = value
    _check_values(ais)
    return ais


def _parse_human_readable(data: str) -> dict[str, str]:
    ais: dict[str, str] = {}
    matches = list(_HUMAN_READABLE.finditer(data))
    if not matches or "".join(m.group(0) for m in matches) != data:
        raise Gs1Error(f"not a GS1 human-readable string: {data!r}")
    for m in matches:
        ai, value = m.group(1), m.group(2)
        if ai not in _AI_TABLE:
            raise Gs1Error(f"unknown GS1 application identifier ({ai})")
        fixed, maximum = _AI_TABLE[ai]
        if (fixed is not None and len(value) != fixed) or not 0 < len(value) <= maximum:
            raise Gs1Error(f"AI ({ai}) has a value of the wrong length: {value!r}")
        ais[ai] = value
    _check_values(ais)
    return ais


def _check_values(ais: dict[str, str]) -> None:
    for ai in ("01", "02", "00"):
        if ai in ais and not gs1_check_digit_ok(ais[ai]):
            raise Gs1Error(f"AI ({ai}) {ais[ai]} has a wrong check digit")
    for ai, value in ais.items():
        numeric = ai[:2] in {"00", "01", "02", "11", "12", "13", "15", "16", "17", "31", "32"}
        if (numeric or ai.startswith(("33", "35", "392"))) and not value.isdigit():
            raise Gs1Error(f"AI ({ai}) must be digits, got {value!r}")


def parse_scan(text: str, *, source: str = "") -> Scan:
    """Structure one read. Never raises: data that does not parse as what it claims to be
    is delivered as plain data (the catalog lookup decides)."""
    aim_id = ""
    symbology = ""
    data = text
    if len(text) >= 3 and text[0] == "]" and text[:3] in AIM_SYMBOLOGIES:
        aim_id, data = text[:3], text[3:]
        symbology = AIM_SYMBOLOGIES[aim_id]
    if not symbology:
        symbology = _guess(data)
    gtin = ""
    ais: dict[str, str] = {}
    if symbology in GS1_SYMBOLOGIES or (not aim_id and symbology == "gs1"):
        try:
            ais = parse_gs1(data)
        except Gs1Error:
            ais = {}
        if symbology == "gs1":
            symbology = "gs1-128" if ais else ""
        gtin = ais.get("01", "")
        data = data.lstrip(GS)
    elif symbology in {"ean13", "ean8", "upca"}:
        if gs1_check_digit_ok(data):
            gtin = data
        elif not aim_id:
            symbology = ""  # digits that only look like an EAN: plain data
    return Scan(data=data, source=source, symbology=symbology, aim_id=aim_id, gtin=gtin, ais=ais)


def _guess(data: str) -> str:
    if GS in data or data.startswith("("):
        return "gs1"
    if data.isdigit():
        if len(data) == 13:
            return "ean13"
        if len(data) == 8:
            return "ean8"
        if len(data) == 12:
            return "upca"
    if len(data) >= 16 and data.startswith("01") and gs1_check_digit_ok(data[2:16]):
        return "gs1"  # GS1-128 / DataBar sent without AIM id
    return ""


def net_weight_grams(ais: dict[str, str]) -> int | None:
    """AI 310x (kg with x decimals) -> whole grams, rounded half up."""
    for ai, value in ais.items():
        if ai.startswith("310"):
            kilograms = Fraction(int(value), 10 ** int(ai[3]))
            return round_half_up(kilograms * 1000)
    return None


def price_rupiah(ais: dict[str, str]) -> int | None:
    """AI 392x (amount payable, x decimals) -> whole rupiah, rounded half up."""
    for ai, value in ais.items():
        if ai.startswith("392"):
            return round_half_up(Fraction(int(value), 10 ** int(ai[3])))
    return None


def expiry_date(ais: dict[str, str]) -> date | None:
    """AI 17 YYMMDD -> a date; day 00 means the last day of the month (GS1 rule).
    The century follows GS1's sliding window, simplified to 2000-2099."""
    value = ais.get("17")
    if value is None:
        return None
    year, month, day = 2000 + int(value[:2]), int(value[2:4]), int(value[4:6])
    if not 1 <= month <= 12:
        raise Gs1Error(f"AI (17) has month {month:02d}")
    if day == 0:
        first_next = date(year + month // 12, month % 12 + 1, 1)
        return first_next - timedelta(days=1)
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise Gs1Error(f"AI (17) {value} is not a date: {exc}") from None
