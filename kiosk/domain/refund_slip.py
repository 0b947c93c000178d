"""The refund slip printed at the counter after every refund: what came back, from which
receipt, how much, the way each share went back (cash, the card by its masked number,
QRIS, points) and who approved it, in the shop's language (id or en).

It is a ``ReportDocument`` like the X, Z and shift reports, so ``layout_report`` lays it
out and the printer driver draws it the same way. ``refund`` is the refund document as
``RefundService.refund`` returns it (amounts negative), each line with the ``name`` of the
original sale's line added by the caller.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kiosk.domain.books_report import ReportDocument, Section, local_time
from kiosk.domain.money import format_rupiah

# Each label as (Bahasa Indonesia, English).
_WORDS: dict[str, tuple[str, str]] = {
    "title": ("STRUK REFUND", "REFUND SLIP"),
    "refund": ("No. refund", "Refund no."),
    "receipt": ("Struk asal", "Original receipt"),
    "at": ("Waktu", "Time"),
    "device": ("Perangkat", "Till"),
    "by": ("Disetujui oleh", "Approved by"),
    "cash_by": ("Tunai disetujui oleh", "Cash approved by"),
    "printed": ("Dicetak", "Printed"),
    "items": ("Barang kembali", "Items returned"),
    "written_off": ("dihapus", "written off"),
    "amount": ("Jumlah", "Amount"),
    "rounding": ("Pembulatan tunai", "Cash rounding"),
    "total": ("Total refund", "Total refunded"),
    "ppn": ("Termasuk PPN", "Incl. VAT"),
    "back": ("Dikembalikan ke", "Refunded to"),
    "cash": ("Tunai", "Cash"),
    "card": ("Kartu", "Card"),
    "qris": ("QRIS", "QRIS"),
    "points": ("Poin", "Points"),
    "online": ("Pembayaran online", "Online payment"),
    "cash_for": ("Tunai (ganti {method})", "Cash (for {method})"),
    "point_part": ("Tunai (sisa nilai poin)", "Cash (part of a point)"),
}


def refund_labels(lang: str) -> dict[str, str]:
    english = lang[:2] == "en"
    return {key: words[english] for key, words in _WORDS.items()}


def _card(via: Mapping[str, Any]) -> str:
    """The card's last four digits only, whatever the terminal's masking kept."""
    digits = [ch for ch in str(via.get("masked_pan") or "") if ch.isdigit()]
    return "****" + "".join(digits[-4:]) if digits else ""


def tender_label(tender: Mapping[str, Any], lang: str) -> str:
    """Where one share of the refund went, as the slip names it."""
    lab = refund_labels(lang)
    method, paid_as = str(tender["method"]), str(tender.get("paid_as", "cash"))
    via = tender.get("via") or {}
    if paid_as == "points":
        return f"{lab['points']} ({int(tender.get('points', 0))})"
    if paid_as == "card":
        return f"{lab['card']} {_card(via)}".strip()
    if paid_as == "qris":
        return lab["qris"]
    if method == "points":  # what no whole point fits, paid in cash
        return lab["point_part"]
    if method != "cash":  # a card or QRIS share its provider did not take
        return lab["cash_for"].format(method=lab.get(method, method))
    return lab["cash"]


def refund_document(
    refund: Mapping[str, Any], *, header: list[str], lang: str, printed_at: str,
    utc_offset_minutes: int = 0,
) -> ReportDocument:  # fmt: skip
    lab = refund_labels(lang)

    def money(amount: int) -> str:
        return format_rupiah(-int(amount), lang)  # the document's amounts are negative

    meta = [
        (lab["refund"], str(refund["refund_id"])),
        (lab["receipt"], str(refund["receipt_no"])),
        (lab["at"], local_time(str(refund["created_at"]), utc_offset_minutes)),
        (lab["device"], str(refund.get("device_id") or "")),
        (lab["by"], str(refund["by"])),
    ]
    if refund.get("cash_approved_by") and refund["cash_approved_by"] != refund["by"]:
        meta.append((lab["cash_by"], str(refund["cash_approved_by"])))
    meta.append((lab["printed"], printed_at))
    items = []
    for line in refund["lines"]:
        name = f"{line.get('name') or line['sku']} x{line['qty']}"
        if not line.get("restock", True):
            name += f" ({lab['written_off']})"
        items.append((name, money(line["amount"])))
    amounts = []
    if refund.get("rounding"):
        amounts.append((lab["rounding"], money(refund["rounding"])))
    amounts += [(lab["total"], money(refund["total"])), (lab["ppn"], money(-refund["ppn"]))]
    back = tuple((tender_label(t, lang), money(t["amount"])) for t in refund["tenders"])
    sections = (
        Section(lab["items"], tuple(items)),
        Section(lab["amount"], tuple(amounts)),
        Section(lab["back"], back),
    )
    return ReportDocument(lab["title"], tuple(header), tuple(meta), sections, lang)
