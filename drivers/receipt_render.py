"""Receipt document -> python-escpos calls -> exact bytes.

A receipt is rendered into an escpos ``Dummy`` first and sent to the real connection as
one block of bytes: the bytes are then known before the printer is touched (a failed job
keeps them for a reprint, ``--printer-out`` writes them, tests snapshot them).

The code page is fixed per printer (``ESC t`` once) and text it cannot show is
transliterated (é stays in CP858, — becomes -, ẞ becomes SS...), never dropped: escpos's
automatic code page switching made bytes depend on the text (FIELD-NOTES).
"""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from escpos.constants import QR_ECLEVEL_M
from escpos.escpos import Escpos
from escpos.printer import Dummy

from kiosk.domain.receipt import PrintLine, ReceiptDocument, layout

PAPER_COLUMNS = {"58mm": 32, "80mm": 48}  # font A; 80 mm printers with 512 dots have 42
_FALLBACKS = {
    "—": "-", "–": "-", "‐": "-", "‘": "'", "’": "'", "‚": ",", "“": '"', "”": '"', "„": '"',
    "…": "...", "•": "*", "·": ".", "€": "EUR", "™": "TM", "©": "(c)", "®": "(R)",
    "×": "x", "÷": "/", "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O",
    "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "\u00a0": " ",
    "\u200b": "", "\t": " ",
}  # fmt: skip


@dataclass(frozen=True)
class RenderOptions:
    columns: int = 48
    codepage: str = "CP437"
    profile: str | None = None  # an escpos capabilities profile name, e.g. "TM-T20II"
    barcode_height: int = 60
    barcode_width: int = 2
    qr_size: int = 5
    logo_path: str = ""
    cut: str = "PART"  # PART | FULL | NONE

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> RenderOptions:
        paper = str(settings.get("paper", "80mm"))
        if paper not in PAPER_COLUMNS:
            raise ValueError(f"printer paper must be one of {sorted(PAPER_COLUMNS)}, got {paper!r}")
        columns = int(settings.get("columns", PAPER_COLUMNS[paper]))
        return cls(
            columns=columns,
            codepage=str(settings.get("codepage", "CP437")).upper(),
            profile=settings.get("profile"),
            barcode_height=int(settings.get("barcode_height", 60)),
            barcode_width=int(settings.get("barcode_width", 2)),  # escpos accepts 2-6
            qr_size=int(settings.get("qr_size", 5 if paper == "80mm" else 4)),
            logo_path=str(settings.get("logo", "")),
            cut=str(settings.get("cut", "PART")).upper(),
        )


def _python_codec(codepage: str) -> str:
    name = codepage.lower().replace("_", "-")
    codecs.lookup(name)  # raises LookupError for a code page Python cannot encode
    return name


def to_printable(text: str, codepage: str = "CP437") -> str:
    """Text the code page can show: kept; anything else transliterated, '?' last."""
    codec = _python_codec(codepage)
    out: list[str] = []
    for char in text:
        if char == "\n" or (char.isprintable() and _encodable(char, codec)):
            out.append(char)
            continue
        if char in _FALLBACKS:
            out.append(_FALLBACKS[char])
            continue
        decomposed = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(_encodable(c, codec) and c.isprintable() for c in base):
            out.append(base)
        else:
            out.append("?")
    return "".join(out)


def _encodable(char: str, codec: str) -> bool:
    try:
        char.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


class _Style:
    """Send ESC/POS style commands only when the style actually changes."""

    def __init__(self, printer: Escpos) -> None:
        self.printer = printer
        self.align, self.bold, self.large = "left", False, False

    def apply(self, align: str, bold: bool, large: bool) -> None:
        p = self.printer
        if large != self.large:
            if large:
                p.set(double_width=True, double_height=True)
            else:
                p.set(normal_textsize=True)
        if bold != self.bold:
            p.set(bold=bold)
        if align != self.align:
            p.set(align=align)
        self.align, self.bold, self.large = align, bold, large


def render(printer: Escpos, document: ReceiptDocument, options: RenderOptions) -> None:
    """Draw a receipt on any escpos printer object (Dummy in tests and for job bytes)."""
    render_lines(printer, layout(document, options.columns), options)


def render_lines(printer: Escpos, lines: Sequence[PrintLine], options: RenderOptions) -> None:
    """Draw laid-out lines (a receipt's, or an X/Z/shift report's) and cut."""
    codec = options.codepage
    printer.hw("INIT")
    printer.charcode(codec)
    style = _Style(printer)
    for line in lines:
        _draw(printer, style, line, options)
    style.apply("left", False, False)
    if options.cut != "NONE":
        printer.cut(mode=options.cut)


def _draw(printer: Escpos, style: _Style, line: PrintLine, options: RenderOptions) -> None:
    if line.kind == "rule":
        style.apply("left", False, False)
        printer.textln("-" * options.columns)
    elif line.kind == "logo":
        if options.logo_path:
            style.apply("center", False, False)
            printer.image(options.logo_path, center=False)
    elif line.kind == "barcode":
        style.apply("center", False, False)
        printer.ln()
        # _hw_barcode, not barcode(): the public one prints "Using hardware barcode
        # renderer" to stdout, which would corrupt `kiosk replay` output.
        printer._hw_barcode(
            "{B" + to_printable(line.text, "ascii"), "CODE128", options.barcode_height,
            options.barcode_width, "BELOW", "A", False, "B",
        )  # fmt: skip
        printer.ln()
        style.align = "center"
    elif line.kind == "qr":
        style.apply("center", False, False)
        printer.qr(line.text, ec=QR_ECLEVEL_M, size=options.qr_size, native=True)
        printer.ln()
    elif line.kind == "blank":
        printer.ln()
    else:
        style.apply(line.align, line.bold, line.large)
        printer.textln(to_printable(line.text, options.codepage))


def render_bytes(document: ReceiptDocument, options: RenderOptions | None = None) -> bytes:
    """The exact bytes a printer gets for this receipt."""
    options = options or RenderOptions()
    dummy = Dummy(profile=options.profile) if options.profile else Dummy()
    render(dummy, document, options)
    return bytes(dummy.output)


def lines_bytes(lines: Sequence[PrintLine], options: RenderOptions | None = None) -> bytes:
    """The exact bytes a printer gets for laid-out lines (X, Z and shift reports)."""
    options = options or RenderOptions()
    dummy = Dummy(profile=options.profile) if options.profile else Dummy()
    render_lines(dummy, lines, options)
    return bytes(dummy.output)


def drawer_kick_bytes(pin: int = 2) -> bytes:
    """``ESC p`` for the drawer connector pin 2 or 5 (escpos ``cashdraw``)."""
    dummy = Dummy()
    dummy.cashdraw(pin)
    return bytes(dummy.output)
