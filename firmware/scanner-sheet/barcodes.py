"""Code 128 (sets B and A, FNC3) and EAN-13 as bar widths, and a small SVG writer: enough
to print the scanner sheet without a barcode dependency. Decoded by zbar in tests/appliance."""

from __future__ import annotations

# Code 128 symbol values 0..106 as bar/space widths (bar first); 106 is the stop.
_C128_TABLE = (
    "212222 222122 222221 121223 121322 131222 122213 122312 132212 221213 221312 231212 "
    "112232 122132 122231 113222 123122 123221 223211 221132 221231 213212 223112 312131 "
    "311222 321122 321221 312212 322112 322211 212123 212321 232121 111323 131123 131321 "
    "112313 132113 132311 211313 231113 231311 112133 112331 132131 113123 113321 133121 "
    "313121 211331 231131 213113 213311 213131 311123 311321 331121 312113 312311 332111 "
    "314111 221411 431111 111224 111422 121124 121421 141122 141221 112214 112412 122114 "
    "122411 142112 142211 241211 221114 413111 241112 134111 111242 121142 121241 114212 "
    "124112 124211 411212 421112 421211 212141 214121 412121 111143 111341 131141 114113 "
    "114311 411113 411311 113141 114131 311141 411131 211412 211214 211232 2331112"
)
_C128 = _C128_TABLE.split()
START_B, STOP = 104, 106
FNC3, CODE_B, CODE_A = 96, 100, 101  # values shared by code sets A and B

_EAN_L = "0001101 0011001 0010011 0111101 0100011 0110001 0101111 0111011 0110111 0001011"
_EAN_L_CODES = _EAN_L.split()
_EAN_PARITY_TABLE = "LLLLLL LLGLGG LLGGLG LLGGGL LGLLGG LGGLLG LGGGLL LGLGLG LGLGGL LGGLGL"
_EAN_PARITY = _EAN_PARITY_TABLE.split()


def code128_values(text: str, *, fnc3: bool = False, fnc3_last: bool = False) -> list[int]:
    """Symbol values of ``text`` from the start character on, without checksum and stop.

    Starts in code set B; a control character (CR ends Datalogic programming labels)
    switches to code set A, and a lower-case one back to B. ``fnc3`` puts FNC3 first, the
    mark scanners look for on a reader-programming label; Honeywell's labels carry it last
    (``fnc3_last``).
    """
    if not text or any(ord(c) > 127 for c in text):
        raise ValueError("code sets A and B hold printable ASCII only, plus control characters")
    values, current = [START_B, *([FNC3] if fnc3 else [])], "B"
    for char in text:
        code = ord(char)
        wanted = current if 32 <= code < 96 else ("A" if code < 32 else "B")
        if wanted != current:
            values.append(CODE_A if wanted == "A" else CODE_B)
            current = wanted
        values.append(code + 64 if code < 32 else code - 32)
    return [*values, FNC3] if fnc3_last else values


def code128_widths(text: str, *, fnc3: bool = False, fnc3_last: bool = False) -> list[int]:
    """Bar/space widths (modules) of ``text``, with checksum and stop."""
    values = code128_values(text, fnc3=fnc3, fnc3_last=fnc3_last)
    check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
    return [int(w) for v in [*values, check, STOP] for w in _C128[v]]


def ean13_modules(digits: str) -> str:
    """The 95 modules (1 = bar) of an EAN-13; the 13th digit must be the right check digit."""
    if len(digits) != 13 or not digits.isdigit():
        raise ValueError("EAN-13 needs 13 digits")
    body = [int(d) for d in digits]
    check = (10 - sum(d * (3 if i % 2 else 1) for i, d in enumerate(body[:12])) % 10) % 10
    if check != body[12]:
        raise ValueError(f"check digit should be {check}")
    left = ""
    for digit, parity in zip(body[1:7], _EAN_PARITY[body[0]], strict=True):
        code = _EAN_L_CODES[digit]
        # G codes are the R codes (complement of L) reversed.
        left += code if parity == "L" else _invert(code)[::-1]
    right = "".join(_invert(_EAN_L_CODES[d]) for d in body[7:])
    return "101" + left + "01010" + right + "101"


def _invert(bits: str) -> str:
    return bits.translate(str.maketrans("01", "10"))


def widths_to_modules(widths: list[int]) -> str:
    return "".join(("1" if i % 2 == 0 else "0") * w for i, w in enumerate(widths))


def svg_bars(modules: str, x: float, y: float, module: float, height: float) -> str:
    """One <rect> per run of bars; ``module`` is the narrowest bar's width (mm)."""
    rects, i = [], 0
    while i < len(modules):
        if modules[i] == "1":
            j = i
            while j < len(modules) and modules[j] == "1":
                j += 1
            rects.append(
                f'<rect x="{x + i * module:.3f}" y="{y:.3f}" width="{(j - i) * module:.3f}" '
                f'height="{height:.3f}"/>'
            )
            i = j
        else:
            i += 1
    return "".join(rects)
