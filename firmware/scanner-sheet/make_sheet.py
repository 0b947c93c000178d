"""Writes the scanner sheet, one A4 page per language: scanner-sheet.svg (Indonesian, the
one shop staff print) and scanner-sheet.en.svg (the same page in English). On it: test
barcodes for the three settings a till needs (Enter suffix, US keyboard layout, AIM
identifiers), the vendor programming codes whose exact content two published sources
confirm, and where each brand's manual keeps the others.

A vendor code goes into VENDOR_CODES only with its sources (README.md beside this file
says what each one showed); none was tried on a scanner here. Everything else stays
"see your manual". Run: python firmware/scanner-sheet/make_sheet.py [--lang id|en]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from html import escape
from pathlib import Path

import segno

sys.path.insert(0, str(Path(__file__).resolve().parent))
from barcodes import code128_widths, ean13_modules, svg_bars, widths_to_modules
from sheet_text import LANGS, t

HERE = Path(__file__).resolve().parent
OUT = {"id": HERE / "scanner-sheet.svg", "en": HERE / "scanner-sheet.en.svg"}
LEFT, RIGHT = 15.0, 195.0  # mm: the text column

# (kind, data, text key). The EAN-13 is a valid GTIN (a demo item: any till answers it).
CHECKS = [
    ("ean13", "8991000000003", "check_enter"),
    ("code128", "AbC-yz_1!@#$%&*()", "check_layout"),
    ("qr", "QR-2D 0123456789", "check_2d"),
]
# Each: family and setting (text keys), label content, where FNC3 goes ("first", "last" or
# ""), note (text key), sources and, where a vendor's own label image was decoded bar by bar,
# the symbol values (start character first, no checksum) of that label and the content that
# gives them in our encoder, for the tests to compare.
# Datalogic programming labels are Code 128: FNC3, "$", the command, CR; "$P" toggles
# programming mode, so "$P,cmd,P" is a whole programming session in one label. Honeywell's
# are "~", the menu command, "." (store), FNC3 last.
VENDOR_CODES: list[dict[str, object]] = [
    {
        "family": "datalogic_family",
        "setting": "aim_on",
        "content": "$P,CAIEN01,P\r",
        "fnc3": "first",
        "note": "datalogic_note",
        "sources": [
            "Datalogic PowerScan PD/PM96XX Product Reference Guide, Global AIM ID: $CAIEN01",
            "Datalogic Gryphon I GFS4400 PRG, single-label form $P,AE,P\\r",
            "Datalogic Magellan PRG: a Code 128 programming label starts with FNC3, ends with CR",
            "github.com/anders/td1100 main.go ([FNC3]$P\\r ...); lecuc50/AutoMate ($P,CAIEN01,P)",
        ],
    },
    {
        "family": "netum_family",
        "setting": "us_keyboard",
        "content": "$LAN#EN",
        "fnc3": "",
        "note": "netum_note",
        "sources": [
            "Netum manual image 24LAN23EN.png (Keyboard Language, America), read bar by bar:"
            " Start B, $LAN#EN, no FNC3",
            'Netum SDK: KeyboardSelectedLanguage_EN = "$LAN#EN"; SdkValue:'
            ' C_America_EN_key = "$LAN#EN"',
        ],
        "vendor_label": ("$LAN#EN", [104, 4, 44, 33, 46, 3, 37, 46]),
    },
    {
        "family": "honeywell_family",
        "setting": "enter_suffix",
        "content": "~VSUFCR.",
        "fnc3": "last",
        "note": "honeywell_note",
        "sources": [
            "Honeywell Xenon 1900 label (REV23 desktop docs), read bar by bar: Start B,"
            " ~KBDCAS1., FNC3",
            "accuratedata.com, Honeywell default label: ~DEFALT. then FNC3",
            "VSUFCR = CR suffix, all symbologies: HHP serial driver (VB.NET);"
            " N36xx command list; label text ~VSUFCR. in a scanner admin app",
        ],
        "vendor_label": ("~KBDCAS1.", [104, 94, 43, 34, 36, 35, 33, 51, 17, 14, 96]),
    },
]
MANUALS = [
    ("Honeywell", "manual_honeywell"),
    ("Zebra / Symbol", "manual_zebra"),
    ("Datalogic", "manual_datalogic"),
    ("Newland", "manual_newland"),
    (None, "manual_generic"),
]


def text(x: float, y: float, line: str, size: float = 3.6, weight: str = "normal") -> str:
    return (
        f'<text x="{x}" y="{y:.1f}" font-family="DejaVu Sans, sans-serif" '
        f'font-size="{size}" font-weight="{weight}" xml:space="preserve">'
        f"{escape(line)}</text>"
    )


def wrap(line: str, x: float, right: float, size: float, bold: bool = False) -> list[str]:
    """Words to lines that fit between x and right; DejaVu Sans averages about 0.55 em per
    character in these texts (0.62 bold), so this errs on the short side."""
    width = int((right - x) / (size * (0.62 if bold else 0.55)))
    out, current = [], ""
    for word in _pieces(line.split(), width):
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return [*out, current]


def _pieces(words: list[str], width: int) -> list[str]:
    """Words longer than a line (addresses) split after each "/"; the sheet's text then reads
    them back joined by spaces, so tests compare with the same split."""
    out: list[str] = []
    for word in words:
        out.extend(word.replace("/", "/ ").split() if len(word) > width else [word])
    return out


class Page:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.y = 16.0

    def para(self, line: str, *, x: float = LEFT, size: float = 3.6, weight: str = "normal",
             hang: float = 0.0, gap: float = 1.28, right: float = RIGHT) -> None:  # fmt: skip
        """A wrapped paragraph; ``hang`` indents every line after the first."""
        for i, chunk in enumerate(wrap(line, x + hang, right, size, weight == "bold")):
            self.parts.append(text(x + (hang if i else 0.0), self.y, chunk, size, weight))
            self.y += size * gap

    def symbol(self, kind: str, data: str, x: float, fnc3: str = "") -> None:
        body, height = barcode(kind, data, x, self.y, fnc3=fnc3)
        self.parts.append(f'<g fill="#000">{body}</g>')
        self.y += height

    def column(self, x: float, right: float, draw: Callable[[Page, float, float], None]) -> float:
        """Draws from the current line down between x and right; returns where it ended and
        leaves y where it was, so two columns start level."""
        top = self.y
        draw(self, x, right)
        bottom, self.y = self.y, top
        return bottom


def _vendor_head(code: dict[str, object], lang: str) -> Callable[[Page, float, float], None]:
    def draw(p: Page, x: float, right: float) -> None:
        words = t(str(code["family"]), lang) + ": " + t(str(code["setting"]), lang)
        p.para(words, x=x, right=right, size=3.2, weight="bold", gap=1.2)

    return draw


def _vendor_block(code: dict[str, object], lang: str) -> Callable[[Page, float, float], None]:
    def draw(p: Page, x: float, right: float) -> None:
        p.y -= 2.0
        p.symbol("label", str(code["content"]), x, fnc3=str(code["fnc3"]))
        p.y += 3.2
        p.para(t(str(code["note"]), lang), x=x + 2, right=right, size=2.9, gap=1.2)
        p.para(t("sources", lang), x=x + 2, right=right, size=2.9, gap=1.2)
        for source in code["sources"]:  # type: ignore[attr-defined]
            p.para(source, x=x + 3, right=right, size=2.5, hang=2.5, gap=1.2)

    return draw


def barcode(kind: str, data: str, x: float, y: float, fnc3: str = "") -> tuple[str, float]:
    """The symbol's SVG and its height (mm), with a quiet zone left of it. Kinds: qr, ean13,
    code128 and label (a vendor's Code 128 programming label, FNC3 "first", "last" or "")."""
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
        widths = code128_widths(data, fnc3=fnc3 == "first", fnc3_last=fnc3 == "last")
        modules = widths_to_modules(widths)
    # Labels at 0.25 mm (10 mil, a usual Code 128 size) so that three fit abreast.
    module = {"ean13": 0.33, "label": 0.25}.get(kind, 0.3)
    height = 11.0 if kind == "label" else 13.0
    return svg_bars(modules, x + 10 * module, y, module, height), height


def sheet(lang: str = "id") -> str:
    page = Page()
    page.para(t("title", lang), size=6.0, weight="bold", gap=1.2)
    page.y += 1
    page.para(t("intro", lang))
    for kind, data, key in CHECKS:
        page.y += 3.0

        def words(p: Page, x: float, right: float, key: str = key) -> None:
            p.para(t(key, lang), x=x, right=right, size=3.4, hang=4.0)

        def code(p: Page, x: float, _right: float, kind: str = kind, data: str = data) -> None:
            p.y -= 3  # level with the first line of text
            p.symbol(kind, data, x)
            if kind != "qr":
                p.y += 3.2
                p.parts.append(text(x + 3, p.y, data, 3.2))

        page.y = max(page.column(LEFT, 121, words), page.column(124, RIGHT, code))
    page.y += 3.5
    page.para(t("check_aim", lang), size=3.4, hang=4.0)
    page.y += 4
    page.para(t("vendor_heading", lang), size=4.4, weight="bold")
    page.y += 1
    lefts = (LEFT, LEFT + 61, LEFT + 122)
    for part in (_vendor_head, _vendor_block):  # heads first, so the labels line up
        ends = [page.column(x, x + 57, part(code, lang))
                for code, x in zip(VENDOR_CODES, lefts, strict=True)]  # fmt: skip
        page.y = max(ends)
    page.y += 3
    page.para(t("others_heading", lang), size=4.4, weight="bold")
    page.y += 0.5
    page.para(t("others_intro", lang), size=3.4)
    for brand, key in MANUALS:
        page.y += 1.2

        def name(p: Page, x: float, right: float, brand: str | None = brand) -> None:
            p.para(brand or t("generic_brand", lang), x=x, right=right, size=3.2, weight="bold")

        def where(p: Page, x: float, right: float, key: str = key) -> None:
            p.para(t(key, lang), x=x, right=right, size=3.0, gap=1.2)

        page.y = max(page.column(LEFT, LEFT + 36, name), page.column(LEFT + 38, RIGHT, where))
    if page.y > 287:
        raise ValueError(f"the {lang} sheet runs {page.y - 287:.1f} mm past the A4 margin")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" xml:lang="{lang}" width="210mm" '
        'height="297mm" viewBox="0 0 210 297">\n<rect width="210" height="297" fill="#fff"/>\n'
        + "\n".join(page.parts)
        + "\n</svg>\n"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGS, help="only this language (default: both)")
    for lang in [parser.parse_args().lang] if parser.parse_args().lang else LANGS:
        OUT[lang].write_text(sheet(lang), encoding="utf-8")
        print(f"wrote {OUT[lang]}")
