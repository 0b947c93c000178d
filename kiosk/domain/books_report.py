"""The X, Z and shift reports as documents: one content, three forms.

``z_document`` and ``shift_document`` turn the figures the books compute (``z_report``,
``ShiftService.report``) into titled sections of labelled values in the shop's language
(id or en). ``layout_report`` lays a document out for the receipt printer (the same
``PrintLine`` kinds as a receipt, so the printer driver draws both), ``report_rows`` gives
its rows for CSV, and a PDF writer draws the same rows on A4.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from kiosk.domain.money import format_rupiah
from kiosk.domain.receipt import MAX_WIDTH, MIN_WIDTH, PrintLine

_LABELS: dict[str, dict[str, str]] = {
    "id": {
        "X": "LAPORAN X", "Z": "LAPORAN Z", "shift": "LAPORAN SHIFT", "day": "Hari buka",
        "device": "Perangkat", "z_number": "Nomor Z", "closed_at": "Ditutup",
        "open": "belum ditutup", "printed": "Dicetak", "sales": "Penjualan",
        "gross": "Penjualan kotor", "discounts": "Diskon", "returns": "Retur",
        "net": "Penjualan bersih", "rounding": "Pembulatan tunai",
        "transactions": "Transaksi", "average": "Rata-rata transaksi",
        "items": "Jumlah barang", "per_basket": "Barang per transaksi", "voids": "Batal baris",
        "no_sales": "Laci dibuka tanpa transaksi", "receipts": "Struk", "taxes": "Pajak",
        "dpp": "DPP", "ppn": "PPN", "tenders": "Pembayaran", "refunds": "Refund",
        "refund_count": "Jumlah refund", "refund_amount": "Nilai refund",
        "refund_ppn": "PPN dalam refund", "costs": "Harga pokok",
        "cogs": "Harga pokok penjualan", "over_short": "Selisih kas per kasir",
        "cash": "Tunai", "card": "Kartu", "qris": "QRIS", "points": "Poin",
        "online": "Dibayar online", "channels": "Penjualan per kanal",
        "channel_store": "Kasir toko", "channel_web": "Toko online",
        "cashier": "Kasir", "shift_id": "Shift", "opened_at": "Dibuka", "float": "Modal awal",
        "cash_sales": "Penjualan tunai", "cash_in": "Kas masuk", "cash_out": "Kas keluar",
        "cash_refunds": "Refund tunai", "expected_cash": "Kas seharusnya",
        "counted": "Kas dihitung", "shift_over_short": "Lebih/kurang", "drawer": "Laci kas",
        "none": "-",
    },
    "en": {
        "X": "X REPORT", "Z": "Z REPORT", "shift": "SHIFT REPORT", "day": "Business day",
        "device": "Till", "z_number": "Z number", "closed_at": "Closed",
        "open": "not closed", "printed": "Printed", "sales": "Sales",
        "gross": "Gross sales", "discounts": "Discounts", "returns": "Returns",
        "net": "Net sales", "rounding": "Cash rounding",
        "transactions": "Transactions", "average": "Average ticket",
        "items": "Items sold", "per_basket": "Items per basket", "voids": "Line voids",
        "no_sales": "No-sales (drawer opened)", "receipts": "Receipts", "taxes": "Taxes",
        "dpp": "Tax base", "ppn": "VAT", "tenders": "Tenders", "refunds": "Refunds",
        "refund_count": "Refunds made", "refund_amount": "Refunded",
        "refund_ppn": "VAT in refunds", "costs": "Cost of goods",
        "cogs": "Cost of goods sold", "over_short": "Over/short by cashier",
        "cash": "Cash", "card": "Card", "qris": "QRIS", "points": "Points",
        "online": "Paid online", "channels": "Sales by channel",
        "channel_store": "At the till", "channel_web": "Web shop",
        "cashier": "Cashier", "shift_id": "Shift", "opened_at": "Opened", "float": "Float",
        "cash_sales": "Cash sales", "cash_in": "Cash in", "cash_out": "Cash out",
        "cash_refunds": "Cash refunds", "expected_cash": "Expected cash",
        "counted": "Counted", "shift_over_short": "Over/short", "drawer": "Cash drawer",
        "none": "-",
    },
}  # fmt: skip


def report_labels(lang: str) -> dict[str, str]:
    return _LABELS.get(lang[:2], _LABELS["id"])


@dataclass(frozen=True)
class Section:
    heading: str
    rows: tuple[tuple[str, str], ...]  # (label, value as shown)


@dataclass(frozen=True)
class ReportDocument:
    title: str
    header: tuple[str, ...]  # the shop's name and address
    meta: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    lang: str = "id"


def _money(amount: int, lang: str) -> str:
    return format_rupiah(int(amount), lang)


def local_time(stamp: str | None, utc_offset_minutes: int) -> str:
    """``2026-11-20T03:21:00.000000Z`` -> ``2026-11-20 10:21`` at the shop's offset."""
    if not stamp:
        return ""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (moment + timedelta(minutes=utc_offset_minutes)).strftime("%Y-%m-%d %H:%M")


def z_document(
    report: Mapping[str, Any], *, kind: str, header: list[str], lang: str, printed_at: str,
    utc_offset_minutes: int = 0,
) -> ReportDocument:  # fmt: skip
    """An X (``kind`` "X", the day so far) or Z report from ``books.z_report``'s figures."""
    lab = report_labels(lang)

    def money(amount: int) -> str:
        return _money(amount, lang)

    closed = report.get("closed_at")
    meta: list[tuple[str, str]] = [(lab["day"], str(report["business_date"])),
                                   (lab["device"], str(report.get("device_id") or ""))]  # fmt: skip
    if kind == "Z":
        meta.append((lab["z_number"], str(report.get("z_number") or lab["open"])))
        shown = local_time(closed, utc_offset_minutes) if closed else lab["open"]
        meta.append((lab["closed_at"], shown))
    meta.append((lab["printed"], printed_at))
    refunds = report["refunds"]
    first, last = report.get("first_receipt"), report.get("last_receipt")
    receipts = f"{first}-{last}" if first is not None else lab["none"]
    sales = (
        (lab["gross"], money(report["gross"])),
        (lab["discounts"], money(-report["discounts"])),
        (lab["returns"], money(-report["returns"])),
        (lab["net"], money(report["net"])),
        (lab["rounding"], money(report["cash_rounding"])),
        (lab["transactions"], str(report["transactions"])),
        (lab["average"], money(report["average_ticket"])),
        (lab["items"], str(report.get("items", 0))),
        (lab["per_basket"], _decimal(str(report.get("items_per_basket", "0.00")), lang)),
        (lab["voids"], f"{report['voids']['count']} ({money(report['voids']['amount'])})"),
        (lab["no_sales"], str(report.get("no_sales", 0))),
        (lab["receipts"], receipts),
    )
    taxes = []
    for tax in report["taxes"]:
        rate = _decimal(str(tax["rate_percent"]), lang)
        taxes += [(f"{lab['dpp']} {rate}%", money(tax["dpp"])),
                  (f"{lab['ppn']} {rate}%", money(tax["ppn"]))]  # fmt: skip
    tenders = tuple(
        (f"{lab.get(t['method'], t['method'])} ({t['count']})", money(t["amount"]))
        for t in report["tenders"]
    )
    refund_rows = [
        (lab["refund_count"], str(refunds["count"])),
        (lab["refund_amount"], money(refunds["amount"])),
        (lab["refund_ppn"], money(refunds["ppn"])),
    ]
    refund_rows += [(lab.get(method, method), money(amount))
                    for method, amount in sorted(refunds.get("tenders", {}).items())]  # fmt: skip
    sections = [
        Section(lab["sales"], sales),
        Section(lab["taxes"], tuple(taxes)),
        Section(lab["tenders"], tenders),
        Section(lab["refunds"], tuple(refund_rows)),
    ]
    channels = report.get("channels") or []
    if any(c["channel"] != "store" for c in channels):  # online orders came in that day
        rows = tuple((f"{lab.get('channel_' + c['channel'], c['channel'])} ({c['count']})",
                      money(c["total"])) for c in channels)  # fmt: skip
        sections.append(Section(lab["channels"], rows))
    cost = report.get("cost_of_goods")
    if cost and cost.get("costed_lines"):
        cogs = money(cost["sold"] - cost["returned"])
        sections.append(Section(lab["costs"], ((lab["cogs"], cogs),)))
    over_short = report.get("over_short") or {}
    if over_short:
        rows = tuple((name, money(amount)) for name, amount in sorted(over_short.items()))
        sections.append(Section(lab["over_short"], rows))
    return ReportDocument(lab[kind], tuple(header), tuple(meta), tuple(sections), lang)


def shift_document(
    shift: Mapping[str, Any], *, header: list[str], lang: str, printed_at: str,
    utc_offset_minutes: int = 0,
) -> ReportDocument:  # fmt: skip
    """A cashier's shift from ``ShiftService.report`` (an open shift shows no count yet)."""
    lab = report_labels(lang)

    def money(amount: int | None) -> str:
        return lab["none"] if amount is None else _money(amount, lang)

    meta = (
        (lab["cashier"], str(shift["cashier"])),
        (lab["shift_id"], str(shift["shift_id"])[:12]),
        (lab["opened_at"], local_time(shift["opened_at"], utc_offset_minutes)),
        (lab["closed_at"], local_time(shift["closed_at"], utc_offset_minutes) or lab["open"]),
        (lab["printed"], printed_at),
    )
    rows = tuple(
        (lab[key if key != "over_short" else "shift_over_short"], money(shift[key]))
        for key in ("float", "cash_sales", "cash_in", "cash_out", "cash_refunds",
                    "expected_cash", "counted", "over_short")
    )  # fmt: skip
    return ReportDocument(lab["shift"], tuple(header), meta, (Section(lab["drawer"], rows),), lang)


def _decimal(text: str, lang: str) -> str:
    return text.replace(".", ",") if lang[:2] == "id" else text


def _pair(left: str, right: str, width: int) -> list[PrintLine]:
    if len(left) + 1 + len(right) <= width:
        return [PrintLine(text=left + " " * (width - len(left) - len(right)) + right)]
    lines = [PrintLine(text=part) for part in textwrap.wrap(left, width) or [""]]
    return [*lines, PrintLine(text=right.rjust(width))]


def layout_report(document: ReportDocument, width: int) -> list[PrintLine]:
    """The document for a roll of ``width`` columns: header, title, meta, each section
    under its heading; a cut follows (the printer driver's)."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        raise ValueError(f"report width must be {MIN_WIDTH}-{MAX_WIDTH} columns, got {width}")
    out: list[PrintLine] = []
    for i, line in enumerate(document.header):
        out += [PrintLine(text=part, align="center", bold=i == 0)
                for part in textwrap.wrap(line, width) or [""]]  # fmt: skip
    out.append(PrintLine(text=document.title, align="center", bold=True, large=True))
    out.append(PrintLine(kind="rule"))
    for label, value in document.meta:
        out += _pair(label, value, width)
    for section in document.sections:
        out.append(PrintLine(kind="rule"))
        out.append(PrintLine(text=section.heading, bold=True))
        for label, value in section.rows:
            out += _pair(label, value, width)
    out.append(PrintLine(kind="rule"))
    return out


def report_rows(document: ReportDocument) -> list[tuple[str, str, str]]:
    """(section, label, value) for every line, meta first under the title (for CSV)."""
    rows = [(document.title, label, value) for label, value in document.meta]
    for section in document.sections:
        rows += [(section.heading, label, value) for label, value in section.rows]
    return rows
