"""``kiosk report x|z [--date D] [--json]``: the X (today so far) and Z (a day) reports;
``kiosk report shift [--id ID] [--json]``: a shift; ``stock`` and ``members``
[--json]: stock with reorder suggestions, loyalty members with points and tier;
``kiosk report accounts --date D [--json|--csv]``: the day's double-entry accounting
entries; ``kiosk report settlement --date D [--json]``: the day's card and QRIS tenders
and refunds against the imported settlement reports (``kiosk settle import``)."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, UserError, open_store, print_json
from kiosk.domain.money import format_rupiah
from kiosk.domain.settlement import Outcome as SettlementOutcome
from kiosk.domain.settlement_refunds import reconcile_all
from kiosk.domain.shift import ShiftError
from kiosk.export import report_files
from kiosk.ports import Clock, SystemClock
from kiosk.services.business_day import business_date
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.shifts import ShiftService
from kiosk.services.stock_receiving import StockReceiving, reorder_settings
from kiosk.storage import books, qris_payments, settlement_lines
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settings import Settings
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.till_config import books_document


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "kind", choices=["x", "z", "shift", "accounts", "stock", "members", "settlement"]
    )
    parser.add_argument("--date", help="YYYY-MM-DD (z, accounts; default today)")
    parser.add_argument("--id", help="shift: which shift (default the last one)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--csv", action="store_true", help="accounts, x, z, shift: CSV on stdout")
    parser.add_argument("--pdf", type=Path, help="x, z, shift: write the report as a PDF here")
    parser.add_argument("--printer-out", type=Path,
                        help="x, z, shift: write the report's printer bytes here")  # fmt: skip
    parser.add_argument("--print", action="store_true",
                        help="x, z, shift: print the report on the till's printer")  # fmt: skip


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (settings, ledger):
        today = business_date(datetime.now().astimezone(), settings.get("timezone"))
        if args.kind == "x" and args.date:
            raise UserError("an X report is always for today so far; use z --date for a day")
        day = args.date or today
        try:
            datetime.strptime(day, "%Y-%m-%d")
        except ValueError:
            raise UserError(f"--date must be YYYY-MM-DD, got {day!r}") from None
        if args.kind == "shift":
            return _shift(ledger, settings, args)
        if args.kind == "stock":
            return _stock(ledger, settings, args)
        if args.kind == "settlement":
            return _settlement(ledger, day, args)
        if args.kind == "members":
            return _members(ledger, settings, args)
        report = books.z_report(ledger.conn, day, settings.get("device_id"))
        if args.kind == "accounts":
            return _accounts(report, args)
        if _document_out(report, args.kind.upper(), settings, args):
            return 0
        report = {"kind": args.kind.upper(), "business_date": day, **report}
        if args.json:
            print_json(report)
        else:
            print(format_report(report, settings.get("language")))
        return 0


def _settlement(ledger: SqliteLedger, day: str, args: argparse.Namespace) -> int:
    """The day's card and QRIS tenders against the imported settlement lines."""
    tenders = settlement_lines.day_tenders(ledger.conn, day)
    lines = settlement_lines.lines_for(ledger.conn, day, {t.reference for t in tenders})
    given_back = settlement_lines.day_refunds(ledger.conn, day)
    lines += settlement_lines.refund_lines_for(ledger.conn, day, given_back)
    result = reconcile_all(tenders, lines, given_back)
    # QRIS paid after the till had cancelled it or let it expire: money to give back.
    due = [{"order_id": r.order_id, "amount": r.amount, "gateway": r.gateway,
            "confirmed_by": r.confirmed_by, "at": r.updated_at}
           for r in qris_payments.refunds_due(ledger.conn)]  # fmt: skip
    if args.json:
        print_json({"kind": "settlement", "business_date": day, **result.to_dict(),
                    "qris_refunds_due": due})  # fmt: skip
    else:
        counts = ", ".join(f"{o.value} {result.count(o)}" for o in SettlementOutcome)
        unverified = ", ".join(m.reference for m in result.unverified_open) or "none"
        print(f"settlement {day}: {counts}; fees {result.fees}; unverified: {unverified}")
        back = ", ".join(f"{o.value} {sum(r.outcome is o for r in result.refunds)}"
                         for o in SettlementOutcome)  # fmt: skip
        print(f"refunds {day}: {back}")
        refunds = ", ".join(f"{d['order_id']} ({d['amount']})" for d in due) or "none"
        print(f"QRIS paid after it was closed, to refund: {refunds}")
    return 0


def _document_out(
    figures: dict[str, Any], kind: str, settings: Settings, args: argparse.Namespace
) -> bool:
    """The report as CSV, PDF, printer bytes or printed, when asked; False when not."""
    if not (args.csv or args.pdf or args.printer_out or args.print):
        return False
    now = datetime.now().astimezone()
    document = books_document(figures, kind, settings, now)
    if args.csv:
        sys.stdout.write(report_files.report_csv(document))
    if args.pdf:
        try:
            report_files.write_atomically(args.pdf, report_files.report_pdf(document, now))
        except OSError as err:
            raise UserError(f"cannot write {args.pdf}: {err}") from err
    data = bootstrap.report_bytes(document, settings) if args.printer_out or args.print else b""
    if args.printer_out:
        try:
            args.printer_out.write_bytes(data)
        except OSError as err:
            raise UserError(f"cannot write {args.printer_out}: {err}") from err
    if args.print:
        _print(data, settings, kind)
    return True


def _print(data: bytes, settings: Settings, kind: str) -> None:
    """Send the bytes to the configured printer and wait for it (a command line run)."""
    devices = bootstrap.build_devices(settings, bootstrap.hardware_choice(settings), None)
    try:
        printer = devices.printer
        if printer is None:
            raise UserError("no receipt printer is configured")
        job = printer.send_raw(data, f"{kind} report")
        printer.wait_idle(timeout=20)
        if job.state != "done":
            raise UserError(f"the printer did not print the report: {job.error or job.state}")
    finally:
        devices.close()


def _shift(ledger: SqliteLedger, settings: Settings, args: argparse.Namespace) -> int:
    service = ShiftService(SqliteUnitOfWork(ledger), SystemClock(), settings.get("timezone"))
    try:
        report = service.report(args.id)
    except ShiftError as err:
        raise UserError(err.message) from err
    if _document_out(report, "shift", settings, args):
        return 0
    if args.json:
        print_json(report)
    else:
        for key, value in report.items():
            print(f"{key:<16}{'' if value is None else value}")
    return 0


def _stock(ledger: SqliteLedger, settings: Settings, args: argparse.Namespace) -> int:
    service = StockReceiving(SqliteUnitOfWork(ledger), SystemClock(), settings.get("timezone"),
                             reorder_settings(settings.get))  # fmt: skip
    rows = service.report()
    if args.json:
        print_json({"items": rows})
    else:
        print(f"{'SKU':<20}{'on hand':>10}{'cost':>12}{'reorder at':>12}{'suggested':>12}")
        for row in rows:
            cost = "-" if row["cost"] is None else row["cost"]
            flag = "  negative" if row["negative"] else ""
            print(f"{row['sku']:<20}{row['qty']:>10}{cost:>12}{row['reorder_point']:>12}"
                  f"{row['suggested']:>12}{flag}")  # fmt: skip
    return 0


def loyalty_service(ledger: SqliteLedger, settings: Settings, clock: Clock) -> LoyaltyService:
    """Loyalty over this device's ledger with the shop's rules."""
    return bootstrap.loyalty(ledger, settings, clock)


def _members(ledger: SqliteLedger, settings: Settings, args: argparse.Namespace) -> int:
    rows = loyalty_service(ledger, settings, SystemClock()).report()
    if args.json:
        print_json({"members": rows})
    else:
        for row in rows:
            print(f"{row['member_id']:<16}{row['phone']:<16}{row['points']:>10}  {row['tier']}")
    return 0


def _accounts(report: dict[str, Any], args: argparse.Namespace) -> int:
    entries = [entry.to_dict() for entry in books.day_accounts(report)]
    if args.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=["account", "debit", "credit"])
        writer.writeheader()
        writer.writerows(entries)
    elif args.json:
        print_json({"business_date": report["business_date"], "entries": entries})
    else:
        for entry in entries:
            print(f"{entry['account']:<24}{entry['debit']:>14}{entry['credit']:>14}")
    return 0


def format_report(report: dict[str, Any], lang: str) -> str:
    def money(value: int) -> str:
        return format_rupiah(value, lang)

    out = [f"{report['kind']} report  {report['business_date']}"]
    if report.get("z_number"):
        out.append(f"Z {report['z_number']}  closed {report['closed_at']}")
    out.append("")
    cost = report["cost_of_goods"]
    rows = [("Gross", report["gross"]), ("Discounts", -report["discounts"]),
            ("Returns", -report["returns"]), ("Net", report["net"])]  # fmt: skip
    out += [f"{name:<24}{money(value):>16}" for name, value in rows]
    out += ["", f"{'Transactions':<24}{report['transactions']:>16}",
            f"{'Average ticket':<24}{money(report['average_ticket']):>16}",
            f"{'Voids':<24}{report['voids']['count']:>16}",
            f"{'Refunds':<24}{report['refunds']['count']:>16}",
            f"{'No-sales':<24}{report['no_sales']:>16}",
            f"{'Cost of goods':<24}{money(cost['sold'] - cost['returned']):>16}",
            "", "Taxes"]  # fmt: skip
    for tax in report["taxes"]:
        out.append(
            f"  PPN {tax['rate_percent']}%  DPP {money(tax['dpp'])}  PPN {money(tax['ppn'])}"
        )
    out.append("Tenders")
    for tender in report["tenders"]:
        out.append(f"  {tender['method']:<10}{tender['count']:>6}  {money(tender['amount']):>16}")
    return "\n".join(out)


SUBCOMMAND = Subcommand("report", "X, Z, shift and accounts reports", configure, run)
