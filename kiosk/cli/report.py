"""``kiosk report x|z [--date D] [--json]``: the X (today so far) and Z (a day) reports."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import Subcommand, UserError, open_store, print_json
from kiosk.domain.money import format_rupiah
from kiosk.services.business_day import business_date
from kiosk.storage import reports


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=["x", "z"])
    parser.add_argument("--date", help="YYYY-MM-DD (z; default today)")
    parser.add_argument("--json", action="store_true")


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
        report = reports.day_report(ledger.conn, day, settings.get("device_id"))
        report = {"kind": args.kind.upper(), "business_date": day, **report}
        if args.json:
            print_json(report)
        else:
            print(format_report(report, settings.get("language")))
        return 0


def format_report(report: dict[str, Any], lang: str) -> str:
    def money(value: int) -> str:
        return format_rupiah(value, lang)

    out = [f"{report['kind']} report  {report['business_date']}", ""]
    rows = [("Gross", report["gross"]), ("Discounts", -report["discounts"]),
            ("Returns", -report["returns"]), ("Net", report["net"])]  # fmt: skip
    out += [f"{name:<24}{money(value):>16}" for name, value in rows]
    out += ["", f"{'Transactions':<24}{report['transactions']:>16}",
            f"{'Average ticket':<24}{money(report['average_ticket']):>16}",
            f"{'Voids':<24}{report['voids']['count']:>16}", "", "Taxes"]  # fmt: skip
    for tax in report["taxes"]:
        out.append(
            f"  PPN {tax['rate_percent']}%  DPP {money(tax['dpp'])}  PPN {money(tax['ppn'])}"
        )
    out.append("Tenders")
    for tender in report["tenders"]:
        out.append(f"  {tender['method']:<10}{tender['count']:>6}  {money(tender['amount']):>16}")
    return "\n".join(out)


SUBCOMMAND = Subcommand("report", "X and Z reports", configure, run)
