"""GTIN barcodes (EAN-13, EAN-8, UPC-A, UPC-E, GTIN-14): check digits and one catalog key.

The catalog indexes every barcode by ``normalize(code)``: the GTIN right-aligned in 13
digits, i.e. the GTIN-14 form without its leading indicator zero. So an EAN-13 stays as
it is, a UPC-A gains a leading ``0``, an EAN-8 gains five leading zeros, a UPC-E is first
expanded to its UPC-A, and a GTIN-14 whose indicator digit is ``0`` loses it. A GTIN-14
with another indicator (a case or pack of the item) is a different trade item and stays
14 digits. The same item scanned as UPC-A or as its EAN-13 therefore finds one product.

EAN-8 versus UPC-E: both are 8 digits. A scanner in keyboard mode does not say which one
it read, so an 8-digit code is taken as EAN-8 when its EAN-8 check digit is valid and as
UPC-E otherwise (a UPC-E check digit is computed over the expanded UPC-A, so the two
checks disagree for most codes). Callers that know the symbology (an AIM id from a serial
scanner) pass ``symbology="ean8"`` or ``"upce"`` to force it.
"""

from __future__ import annotations

from kiosk.domain.errors import ShownError

SYMBOLOGIES = ("ean13", "upca", "ean8", "upce", "gtin14")
GTIN_LENGTHS = (8, 12, 13, 14)
KEY_LENGTH = 13

_NAMES = {8: "EAN-8", 12: "UPC-A", 13: "EAN-13", 14: "GTIN-14"}
_FORCED_LENGTH = {"ean13": 13, "upca": 12, "ean8": 8, "upce": 8, "gtin14": 14}


class InvalidBarcode(ShownError, ValueError):  # noqa: N818 (the name is the API)
    """A code that claims to be a GTIN but is malformed or fails its check digit."""


def check_digit(body: str) -> str:
    """GS1 mod-10 check digit of ``body`` (the GTIN without its last digit).

    Weights 3, 1, 3, ... from the rightmost digit of the body; the check digit brings
    the weighted sum up to a multiple of ten.
    """
    if not body or not body.isascii() or not body.isdigit():
        raise InvalidBarcode.of(
            "barcode.not_digits",
            code=body,
            message=f"check digit needs a string of digits, got {body!r}",
        )
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def _is_digits(code: str) -> bool:
    return bool(code) and code.isascii() and code.isdigit()


def is_valid_gtin(code: str) -> bool:
    """True for an 8, 12, 13 or 14 digit string whose GS1 check digit is right."""
    return _is_digits(code) and len(code) in GTIN_LENGTHS and check_digit(code[:-1]) == code[-1]


def _verify(code: str, kind: str) -> None:
    expected = check_digit(code[:-1])
    if expected != code[-1]:
        raise InvalidBarcode.of(
            "barcode.check_digit",
            code=code,
            message=f"{kind} {code}: check digit should be {expected}, got {code[-1]}",
        )


def _upce_body_to_upca(number_system: str, six: str) -> str:
    """The 11-digit UPC-A body (without check digit) that a UPC-E body stands for."""
    d1, d2, d3, d4, d5, d6 = (six[i] for i in range(6))
    if d6 in "012":
        manufacturer, product = d1 + d2 + d6 + "00", "00" + d3 + d4 + d5
    elif d6 == "3":
        manufacturer, product = d1 + d2 + d3 + "00", "000" + d4 + d5
    elif d6 == "4":
        manufacturer, product = d1 + d2 + d3 + d4 + "0", "0000" + d5
    else:
        manufacturer, product = d1 + d2 + d3 + d4 + d5, "0000" + d6
    return number_system + manufacturer + product


def expand_upce(code: str) -> str:
    """Expand an 8-digit UPC-E (number system 0 or 1, six digits, check digit) to its
    12-digit UPC-A. The check digit is verified against the expanded form.

    >>> expand_upce("04252614")
    '042100005264'
    """
    if not _is_digits(code) or len(code) != 8:
        raise InvalidBarcode.of(
            "barcode.length", code=code, message=f"UPC-E must be 8 digits, got {code!r}"
        )
    if code[0] not in "01":
        raise InvalidBarcode.of(
            "barcode.check_digit",
            code=code,
            message=f"UPC-E {code}: number system must be 0 or 1, got {code[0]}",
        )
    body = _upce_body_to_upca(code[0], code[1:7])
    expected = check_digit(body)
    if expected != code[7]:
        raise InvalidBarcode.of(
            "barcode.check_digit",
            code=code,
            message=f"UPC-E {code}: check digit should be {expected}, got {code[7]}",
        )
    return body + code[7]


def _normalize_eight(code: str, symbology: str | None) -> str:
    if symbology == "ean8":
        _verify(code, "EAN-8")
        return code.zfill(KEY_LENGTH)
    if symbology == "upce":
        return "0" + expand_upce(code)
    if is_valid_gtin(code):
        return code.zfill(KEY_LENGTH)
    if code[0] in "01":
        try:
            return "0" + expand_upce(code)
        except InvalidBarcode:
            pass
    expected = check_digit(code[:7])
    raise InvalidBarcode.of(
        "barcode.check_digit",
        code=code,
        message=f"EAN-8 {code}: check digit should be {expected}, got {code[7]}"
        + (" (and it is not a valid UPC-E either)" if code[0] in "01" else ""),
    )


def normalize(code: str, *, allow_internal: bool = False, symbology: str | None = None) -> str:
    """The canonical catalog key of a scanned or typed barcode (see the module docstring).

    Codes that are not GTINs at all (letters, or digits of another length, as used for
    in-house SKU labels) come back unchanged (stripped of surrounding spaces) when
    ``allow_internal`` is true and raise ``InvalidBarcode`` otherwise. A code of GTIN
    length with a wrong check digit always raises: that is a misread, not a SKU.
    """
    if symbology is not None and symbology not in SYMBOLOGIES:
        raise InvalidBarcode.of(
            "barcode.symbology",
            message=f"unknown symbology {symbology!r}; expected one of {SYMBOLOGIES}",
        )
    code = code.strip()
    if symbology is not None:
        want = _FORCED_LENGTH[symbology]
        if not _is_digits(code) or len(code) != want:
            label = "UPC-E" if symbology == "upce" else _NAMES[want]
            raise InvalidBarcode.of(
                "barcode.length", code=code, message=f"{label} must be {want} digits, got {code!r}"
            )
    if not _is_digits(code) or len(code) not in GTIN_LENGTHS:
        if allow_internal and code:
            return code
        raise InvalidBarcode.of(
            "barcode.length",
            code=code,
            message=f"a GTIN has 8, 12, 13 or 14 digits, got {code!r}",
        )
    length = len(code)
    if length == 8:
        return _normalize_eight(code, symbology)
    _verify(code, _NAMES[length])
    if length == 12:
        return "0" + code
    if length == 14 and code[0] == "0":
        return code[1:]
    return code
