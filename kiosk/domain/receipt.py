"""A completed sale -> a printable receipt document, and its layout in N columns.

The document is plain data (no printer types): ``build_receipt`` decides *what* a receipt
says, ``layout`` decides *where* it goes on a 32/42/48-column roll as a list of
``PrintLine``s, and two renderers draw those lines: ``render_text`` here (for
``kiosk replay --receipts`` and tests) and ``drivers.receipt_render`` (ESC/POS bytes).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.money import format_rupiah
from kiosk.domain.sale import CompletedSale, TenderRecord

MIN_WIDTH, MAX_WIDTH = 24, 64

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "receipt": "No", "cashier": "Kasir", "copy": "*** SALINAN ***", "subtotal": "Subtotal",
        "discount": "Diskon", "total": "TOTAL", "rounding": "Pembulatan", "payable": "Bayar",
        "change": "Kembali", "cash": "Tunai", "card": "Kartu", "qris": "QRIS", "dpp": "DPP",
        "ppn": "PPN", "exempt": "Bebas PPN", "items": "item", "member": "Member",
        "approval": "Appr", "ref": "Ref", "points": "Poin", "pts": "poin",
        "online": "Dibayar online",
    },
    "en": {
        "receipt": "No", "cashier": "Cashier", "copy": "*** COPY ***", "subtotal": "Subtotal",
        "discount": "Discount", "total": "TOTAL", "rounding": "Rounding", "payable": "To pay",
        "change": "Change", "cash": "Cash", "card": "Card", "qris": "QRIS", "dpp": "Tax base",
        "ppn": "VAT", "exempt": "VAT exempt", "items": "items", "member": "Member",
        "approval": "Appr", "ref": "Ref", "points": "Points", "pts": "points",
        "online": "Paid online",
    },
}  # fmt: skip


@dataclass(frozen=True)
class ItemRow:
    name: str
    qty: int
    unit_price: int
    gross: int
    discount: int
    amount: int
    weight_g: int | None = None


@dataclass(frozen=True)
class AmountRow:
    label: str
    amount: int
    strong: bool = False
    details: tuple[str, ...] = ()  # e.g. the masked card number, approval code


@dataclass(frozen=True)
class TaxRow:
    rate_percent: str
    taxable: int
    dpp: int
    ppn: int


@dataclass(frozen=True)
class ReceiptDocument:
    header: tuple[str, ...]
    meta: tuple[tuple[str, str], ...]  # (left, right) pairs: receipt no + time, cashier
    items: tuple[ItemRow, ...]
    totals: tuple[AmountRow, ...]
    tenders: tuple[AmountRow, ...]
    taxes: tuple[TaxRow, ...]
    footer: tuple[str, ...]
    barcode: str = ""  # receipt code (CODE128) for returns
    qr: str = ""  # e-receipt URL or QRIS payload
    logo: bool = False
    reprint: bool = False
    lang: str = "id"


@dataclass(frozen=True)
class PrintLine:
    """One line of the laid-out receipt. kind: text | rule | barcode | qr | logo | blank."""

    kind: str = "text"
    text: str = ""
    align: str = "left"
    bold: bool = False
    large: bool = False  # double width and height: the text fits in width // 2 columns


def receipt_code(sale: CompletedSale) -> str:
    """What the receipt barcode encodes: device and gap-free number, e.g. ``K01-000123``."""
    return f"{sale.device_id}-{sale.receipt_no:06d}"


def labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang[:2], _LABELS["id"])


def build_receipt(
    sale: CompletedSale,
    *,
    header: list[str],
    footer: list[str],
    lang: str = "id",
    reprint: bool = False,
    qr: str | None = None,
    logo: bool = False,
    utc_offset_minutes: int = 420,  # WIB; WITA is 480, WIT 540
) -> ReceiptDocument:
    lab = labels(lang)
    created = datetime.fromisoformat(sale.created_at) + timedelta(minutes=utc_offset_minutes)
    meta = [(f"{lab['receipt']} {receipt_code(sale)}", created.strftime("%d-%m-%Y %H:%M"))]
    if sale.cashier:
        meta.append((f"{lab['cashier']}: {sale.cashier}", ""))
    if sale.member_id:
        meta.append((f"{lab['member']}: {sale.member_id}", ""))
    items = tuple(
        ItemRow(line.name, line.qty, line.unit_price, line.gross, line.discount, line.amount,
                line.weight_g)
        for line in sale.lines
    )  # fmt: skip
    totals = [AmountRow(lab["subtotal"], sale.gross)]
    if sale.discount_total:
        totals.append(AmountRow(lab["discount"], -sale.discount_total))
    totals.append(AmountRow(lab["total"], sale.total, strong=True))
    has_cash = any(t.method == "cash" for t in sale.tenders)
    if sale.cash_rounding and has_cash:
        totals.append(AmountRow(lab["rounding"], sale.cash_rounding))
        totals.append(AmountRow(lab["payable"], sale.payable, strong=True))
    tenders = [_tender_row(t, lab) for t in sale.tenders]
    if sale.change:
        tenders.append(AmountRow(lab["change"], sale.change, strong=True))
    taxes = tuple(TaxRow(t.rate_percent, t.taxable, t.dpp, t.ppn) for t in sale.taxes)
    return ReceiptDocument(
        header=tuple(header), meta=tuple(meta), items=items, totals=tuple(totals),
        tenders=tuple(tenders), taxes=taxes, footer=tuple(footer),
        barcode=receipt_code(sale) if sale.receipt_no else "", qr=qr or "", logo=logo,
        reprint=reprint, lang=lang,
    )  # fmt: skip


def _tender_row(tender: TenderRecord, lab: dict[str, str]) -> AmountRow:
    label = lab.get(tender.method, tender.method.upper())
    details: list[str] = []
    if tender.masked_pan:
        details.append(tender.masked_pan)
    refs = []
    if tender.approval_code:
        refs.append(f"{lab['approval']} {tender.approval_code}")
    if tender.reference:
        refs.append(f"{lab['ref']} {tender.reference}")
    if refs:
        details.append(" ".join(refs))
    if tender.terminal_id:
        details.append(f"TID {tender.terminal_id}")
    if tender.method == "points" and tender.given:
        details.append(f"{tender.given} {lab['pts']}")
    shown = tender.given if tender.method == "cash" and tender.given is not None else tender.amount
    return AmountRow(label, shown, details=tuple(details))


def _number(amount: int, lang: str) -> str:
    return format_rupiah(amount, lang).replace("Rp", "")


def _columns(left: str, right: str, width: int, *, bold: bool = False) -> list[PrintLine]:
    """``left ..... right`` on one line; when too long, left wraps and right goes below."""
    if not right:
        return [PrintLine(text=part, bold=bold) for part in textwrap.wrap(left, width) or [""]]
    if len(left) + 1 + len(right) <= width:
        gap = width - len(left) - len(right)
        return [PrintLine(text=left + " " * gap + right, bold=bold)]
    lines = [PrintLine(text=part, bold=bold) for part in textwrap.wrap(left, width) or [""]]
    last = lines[-1].text
    if right and len(last) + 1 + len(right) <= width:
        lines[-1] = PrintLine(text=last + " " * (width - len(last) - len(right)) + right, bold=bold)
    elif right:
        lines.append(PrintLine(text=right.rjust(width), bold=bold))
    return lines


def _centered(lines: tuple[str, ...], width: int, *, first_bold: bool) -> list[PrintLine]:
    out: list[PrintLine] = []
    for i, line in enumerate(lines):
        for part in textwrap.wrap(line, width) or [""]:
            out.append(PrintLine(text=part, align="center", bold=first_bold and i == 0))
    return out


def _weight(grams: int, lang: str) -> str:
    sep = "," if lang[:2] == "id" else "."
    return f"{grams // 1000}{sep}{grams % 1000:03d} kg"


def _item_lines(document: ReceiptDocument, width: int) -> list[PrintLine]:
    lab, lang = labels(document.lang), document.lang
    out: list[PrintLine] = []
    for item in document.items:
        if item.qty == 1 and not item.discount and item.weight_g is None:
            out += _columns(item.name, _number(item.gross, lang), width)
            continue
        out += [PrintLine(text=part) for part in textwrap.wrap(item.name, width) or [""]]
        if item.weight_g is not None:
            detail = f"  {_weight(item.weight_g, lang)}"
        else:
            detail = f"  {item.qty} x {_number(item.unit_price, lang)}"
        out += _columns(detail, _number(item.gross, lang), width)
        if item.discount:
            out += _columns(f"  {lab['discount']}", _number(-item.discount, lang), width)
    return out


def layout(document: ReceiptDocument, width: int) -> list[PrintLine]:
    """Lay the document out for a roll of ``width`` columns (32, 42 or 48 usually)."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"receipt width must be {MIN_WIDTH}-{MAX_WIDTH} columns, got {width}")
    lab = labels(document.lang)
    lang = document.lang
    rule = PrintLine(kind="rule")
    out: list[PrintLine] = []
    if document.logo:
        out.append(PrintLine(kind="logo", align="center"))
    out += _centered(document.header, width, first_bold=True)
    if document.reprint:
        out.append(PrintLine(text=lab["copy"], align="center", bold=True))
    out.append(rule)
    for left, right in document.meta:
        out += _columns(left, right, width)
    out.append(rule)
    out += _item_lines(document, width)
    out.append(rule)
    count = sum(item.qty for item in document.items)
    out.append(PrintLine(text=f"{count} {lab['items']}"))
    for row in document.totals:
        amount = format_rupiah(row.amount, lang)
        if row.strong and len(row.label) + 1 + len(amount) <= width // 2:
            text = row.label + " " * (width // 2 - len(row.label) - len(amount)) + amount
            out.append(PrintLine(text=text, bold=True, large=True))
        else:
            out += _columns(row.label, amount, width, bold=row.strong)
    if document.tenders:
        out.append(rule)
    for row in document.tenders:
        out += _columns(row.label, format_rupiah(row.amount, lang), width, bold=row.strong)
        out += [PrintLine(text=f"  {detail}"[:width]) for detail in row.details]
    if document.taxes:
        out.append(rule)
    for tax in document.taxes:
        if tax.ppn == 0 and tax.rate_percent in ("0", "0.0", ""):
            out += _columns(lab["exempt"], _number(tax.taxable, lang), width)
            continue
        out += _columns(lab["dpp"], _number(tax.dpp, lang), width)
        out += _columns(f"{lab['ppn']} {tax.rate_percent}%", _number(tax.ppn, lang), width)
    if document.footer:
        out.append(rule)
        out += _centered(document.footer, width, first_bold=False)
    if document.barcode:
        out.append(PrintLine(kind="barcode", text=document.barcode, align="center"))
    if document.qr:
        out.append(PrintLine(kind="qr", text=document.qr, align="center"))
    return out


def render_text(document: ReceiptDocument, width: int) -> str:
    """The receipt as plain text, ``width`` columns wide, one trailing newline."""
    rows: list[str] = []
    for line in layout(document, width):
        if line.kind == "rule":
            rows.append("-" * width)
        elif line.kind == "logo":
            continue
        elif line.kind == "barcode":
            rows.append(f"|| {line.text} ||".center(width).rstrip())
        elif line.kind == "qr":
            rows.append("[QR]".center(width).rstrip())
        elif line.align == "center":
            rows.append(line.text.center(width).rstrip())
        elif line.align == "right":
            rows.append(line.text.rjust(width))
        elif line.large:  # double width on paper: spread over the full width in text
            left, _, right = line.text.rpartition(" ")
            left = left.rstrip()
            rows.append(left + " " * (width - len(left) - len(right)) + right)
        else:
            rows.append(line.text.rstrip())
    return "\n".join(rows) + "\n"
