"""Writes scanner-sheet.svg: check barcodes for the three settings a till needs (suffix
Enter, US keyboard layout, AIM identifiers), the one vendor programming code whose exact
content published sources confirm, and where each brand's manual keeps the others.

A vendor code goes into VENDOR_CODES only with its sources (README.md beside this file
says what each one showed); none was tried on a scanner here. Everything else stays
"see your manual". Run: python firmware/scanner-sheet/make_sheet.py
"""

from __future__ import annotations

import sys
from html import escape
from pathlib import Path

import segno

sys.path.insert(0, str(Path(__file__).resolve().parent))
from barcodes import code128_widths, ean13_modules, svg_bars, widths_to_modules

OUT = Path(__file__).resolve().parent / "scanner-sheet.svg"

# (kind, data, what the person checks). EAN-13 is the demo catalog's Teh Botol 330 ml.
CHECKS = [
    (
        "ean13",
        "8991000000003",
        [
            "1. Suffix Enter: scan this at the till (demo catalog). The item is added.",
            "   Nothing happens until you press Enter: the scanner sends no Enter suffix.",
        ],
    ),
    (
        "code128",
        "KIOSK-yz_1!@#$%&*()",
        [
            "2. US keyboard layout: scan into a text editor on a laptop. You must see",
            "   exactly KIOSK-yz_1!@#$%&*() and a new line. y and z swapped or other signs:",
            "   the scanner types for another keyboard layout. Set it to US.",
        ],
    ),
    (
        "qr",
        "KIOSK check QR 0123456789",
        [
            "3. 2D scanners (needed for setup codes): the text editor shows",
            "   KIOSK check QR 0123456789.",
        ],
    ),
]
AIM = [
    "4. AIM identifiers on: the text editor shows ]E0 before the digits of 1, ]C0 before",
    "   the text of 2 and ]Q1 before the text of 3. The till uses them to tell a GS1",
    "   code from plain digits. Without them it still works, with less certainty.",
]
# (family, setting, label content after FNC3, sources). Datalogic programming labels are
# Code 128: FNC3, "$", the command, CR; "$P" toggles programming mode, so "$P,cmd,P"
# is a whole programming session in one label.
VENDOR_CODES = [
    (
        "Datalogic PowerScan PD/PM96xx, Gryphon GD/GM/GBT4xxx",
        "AIM identifiers on (Global AIM ID = Enable)",
        "$P,CAIEN01,P\r",
        [
            "Datalogic PowerScan PD/PM96XX Product Reference Guide, Global AIM ID: $CAIEN01",
            "Datalogic Gryphon I GFS4400 PRG, single-label form $P,AE,P\\r",
            "Datalogic Magellan PRG: a Code 128 programming label starts with FNC3, ends with CR",
            "github.com/anders/td1100 main.go ([FNC3]$P\\r ...); lecuc50/AutoMate ($P,CAIEN01,P)",
        ],
    ),
]
MANUALS = [
    (
        "Honeywell",
        "User Guide: Prefix/Suffix (add CR suffix), Keyboard Country (USA),"
        " Symbology Identifiers (AIM ID prefix)",
    ),
    (
        "Zebra / Symbol",
        "Product Reference Guide: Scan Data Transmission Format (suffix"
        " Enter), Country Keyboard Types (US English), Transmit Code ID Character (AIM)",
    ),
    (
        "Datalogic",
        "Product Reference Guide: Global Suffix (CR), Country Mode (US); AIM: the code above",
    ),
    ("Newland", "User Guide: Suffix (CR), Keyboard Layout / Country (US), AIM ID prefix"),
    (
        "Netum, Eyoyo and other generic",
        "the programming sheet in the box: Enter suffix,"
        " US keyboard, AIM ID (some models have no AIM option: leave it off)",
    ),
]


def text(x: float, y: float, line: str, size: float = 3.6, weight: str = "normal") -> str:
    return (
        f'<text x="{x}" y="{y:.1f}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{size}" font-weight="{weight}" xml:space="preserve">'
        f"{escape(line)}</text>"
    )


def barcode(kind: str, data: str, x: float, y: float) -> tuple[str, float]:
    """The symbol's SVG and its height (mm), with a quiet zone left of it."""
    if kind == "qr":
        matrix = segno.make(data, error="m", micro=False).matrix
        cell = 0.8
        bits = "".join("1" if v else "0" for row in matrix for v in row)
        width = len(matrix[0])
        rows = [bits[i : i + width] for i in range(0, len(bits), width)]
        body = "".join(
            svg_bars(r, x + 4 * cell, y + i * cell, cell, cell) for i, r in enumerate(rows)
        )
        return body, len(rows) * cell
    if kind == "ean13":
        modules = ean13_modules(data)
    else:
        modules = widths_to_modules(code128_widths(data, fnc3=kind == "code128-fnc3"))
    module = 0.33 if kind == "ean13" else 0.3
    height = 12.0 if kind == "code128-fnc3" else 14.0
    return svg_bars(modules, x + 10 * module, y, module, height), height


def sheet() -> str:
    parts, y = [], 18.0
    parts.append(text(15, y, "Scanner setup for the Pi POS till", 6.0, "bold"))
    y += 7
    for line in (
        "Print at 100% (no 'fit to page'). Scan the check codes below after",
        "programming your scanner (confirmed codes and where the others are: below).",
    ):
        parts.append(text(15, y, line))
        y += 5
    for kind, data, lines in CHECKS:
        y += 4
        for line in lines:
            parts.append(text(15, y, line))
            y += 4.6
        body, height = barcode(kind, data, 15, y)
        parts.append(f'<g fill="#000">{body}</g>')
        y += height + 3
        if kind != "qr":
            parts.append(text(18, y, data, 3.2))
            y += 3
    y += 4
    for line in AIM:
        parts.append(text(15, y, line))
        y += 4.6
    y += 5
    parts.append(text(15, y, "Programming codes confirmed from published sources", 4.4, "bold"))
    y += 5.5
    for family, setting, content, sources in VENDOR_CODES:
        parts.append(text(15, y, f"{family}:", 3.4, "bold"))
        y += 4.2
        parts.append(text(15, y, setting, 3.4, "bold"))
        y += 1.5
        body, height = barcode("code128-fnc3", content, 15, y)
        parts.append(f'<g fill="#000">{body}</g>')
        y += height + 3
        shown = content.replace("\r", "<CR>")
        parts.append(text(18, y, f"Code 128 <FNC3>{shown}: one label enters programming,", 3.0))
        y += 3.6
        parts.append(text(18, y, "sets it and leaves. Sources:", 3.0))
        y += 3.6
        for source in sources:
            parts.append(text(20, y, source, 2.8))
            y += 3.4
    y += 3
    parts.append(
        text(15, y, "Where the other programming codes are (not printed here)", 4.4, "bold")
    )
    y += 6
    for line in (
        "Codes differ by model and firmware; nothing else here was confirmed, and",
        "no code on this sheet was tried on a scanner. Scan only your manual's codes, in",
        "this order: factory defaults, US keyboard, suffix Enter (CR), AIM prefix on.",
    ):
        parts.append(text(15, y, line))
        y += 4.6
    for brand, where in MANUALS:
        y += 1.0
        parts.append(text(15, y, brand, 3.4, "bold"))
        y += 3.9
        for chunk in _wrap(where, 96):
            parts.append(text(20, y, chunk, 3.0))
            y += 3.6
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" '
        'viewBox="0 0 210 297">\n<rect width="210" height="297" fill="#fff"/>\n'
        + "\n".join(parts)
        + "\n</svg>\n"
    )


def _wrap(line: str, width: int) -> list[str]:
    out, current = [], ""
    for word in line.split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*out, current]


if __name__ == "__main__":
    OUT.write_text(sheet(), encoding="utf-8")
    print(f"wrote {OUT}")
