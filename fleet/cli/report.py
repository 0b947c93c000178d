"""``fleet report --db URL --store S --date YYYY-MM-DD [--device D] [--period day|week|month]
[--json]``: a store's day report (the keys of the kiosk's ``report z --json``, summed over
the store's kiosks), or its week's or month's (those days added up)."""

from __future__ import annotations

import argparse
import json
from datetime import date

from fleet.cli.common import Subcommand, UserError, add_db
from fleet.services.reports import day_report, days_of, period_report
from fleet.storage.engine import open_engine
from kiosk.domain.money import format_rupiah


def configure(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    parser.add_argument("--store", required=True, help="the store's id")
    parser.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the business day")
    parser.add_argument("--device", default=None, help="one kiosk only")
    parser.add_argument("--period", choices=("day", "week", "month"), default="day",
                        help="the day, its week (Monday to Sunday) or its month")  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    try:
        first, last = (d.isoformat() for d in days_of(args.period, date.fromisoformat(args.date)))
    except ValueError:
        raise UserError(f"--date must be YYYY-MM-DD, got {args.date!r}") from None
    engine = open_engine(args.db)
    try:
        with engine.connect() as conn:
            if first == last:
                report = day_report(conn, args.store, first, args.device)
            else:
                report = period_report(conn, args.store, first, last, args.device)
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report, indent=2, sort_keys=True))
        return 0
    days = first if first == last else f"{first}..{last}"
    print(f"{args.store} {days}" + (f" {args.device}" if args.device else ""))
    print(f"transactions  {report['transactions']}")
    for key in ("gross", "discounts", "returns", "net", "average_ticket", "cash_rounding"):
        print(f"{key:<14}{format_rupiah(report[key])}")
    for tax in report["taxes"]:
        print(f"PPN {tax['rate_percent']}%  DPP {format_rupiah(tax['dpp'])}  "
              f"PPN {format_rupiah(tax['ppn'])}")  # fmt: skip
    for tender in report["tenders"]:
        print(f"{tender['method']:<14}{tender['count']} x  {format_rupiah(tender['amount'])}")
    voids = report["voids"]
    print(f"{'voids':<14}{voids['count']} x  {format_rupiah(voids['amount'])}")
    for device, number in sorted(report["z_numbers"].items()):
        print(f"{'Z ' + device:<14}{number}")
    for cashier, amount in sorted(report["over_short"].items()):
        print(f"{'over/short':<14}{cashier}  {format_rupiah(amount)}")
    return 0


SUBCOMMAND = Subcommand("report", "a store's day report (as the kiosks' Z)", configure, run)
