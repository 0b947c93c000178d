"""``kiosk stock [show [SKU]|adjust SKU DELTA --reason R|snapshot|sheet|count FILE]``:
``sheet`` writes the stocktake count sheet (CSV sku,expected,counted) to stdout, ``count``
posts a filled-in sheet's variances (counted - expected as printed)."""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.bounded import whole_number
from kiosk.cli.common import Subcommand, UserError, open_store
from kiosk.ports import SystemClock
from kiosk.services.changes import CLI, ChangeRefusedError
from kiosk.services.staff import StaffMember
from kiosk.services.stock_receiving import StockReceiving
from kiosk.storage import stock
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settings import Settings
from kiosk.storage.unit_of_work import SqliteUnitOfWork

MAX_DELTA = 1_000_000  # one adjustment; a count sheet never moves more


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action",
        nargs="?",
        choices=["show", "adjust", "snapshot", "sheet", "count"],
        default="show",
    )
    parser.add_argument("sku", nargs="?", help="show/adjust: the SKU; count: the sheet file")
    delta = whole_number("delta", minimum=-MAX_DELTA, maximum=MAX_DELTA)
    parser.add_argument("delta", nargs="?", type=delta, help="adjust: +received / -lost")
    parser.add_argument("--reason", default="", help="adjust: receiving, count, damaged, ...")
    parser.add_argument("--ref", default="", help="adjust: delivery note or count sheet")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (settings, ledger):
        if args.action == "adjust":
            if not args.sku or args.delta is None or not args.reason:
                raise UserError("usage: kiosk stock adjust SKU DELTA --reason REASON [--ref REF]")
            try:
                levels = bootstrap.admin(ledger, settings).stock.adjust(
                    [(args.sku, args.delta)], reason=args.reason, ref=args.ref, by=CLI
                )
            except ChangeRefusedError as err:
                raise UserError(err.message) from err
            print(f"{args.sku}\t{levels[args.sku]}")
        elif args.action in {"sheet", "count"}:
            _stocktake(ledger, settings, args)
        elif args.action == "snapshot":
            count = bootstrap.admin(ledger, settings).stock.snapshot()
            print(f"queued a stock snapshot of {count} SKUs")
        elif args.sku:
            print(f"{args.sku}\t{stock.level(ledger.conn, args.sku)}")
        else:
            for sku, qty in sorted(stock.levels(ledger.conn).items()):
                print(f"{sku}\t{qty}")
        return 0


def _stocktake(ledger: SqliteLedger, settings: Settings, args: argparse.Namespace) -> None:
    service = StockReceiving(SqliteUnitOfWork(ledger), SystemClock(), settings.get("timezone"))
    if args.action == "sheet":
        writer = csv.DictWriter(sys.stdout, fieldnames=["sku", "expected", "counted"])
        writer.writeheader()
        writer.writerows(service.count_sheet())
        return
    if not args.sku:
        raise UserError("usage: kiosk stock count SHEET.csv")
    try:
        with Path(args.sku).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        sheet = [(row["sku"], int(row["expected"]), int(row["counted"]))
                 for row in rows if (row.get("counted") or "").strip()]  # fmt: skip
    except (OSError, KeyError, TypeError, ValueError, csv.Error) as err:
        raise UserError(f"cannot read the count sheet {args.sku}: {err}") from None
    # The operator at the device's shell, like ``kiosk stock adjust``.
    operator = StaffMember(CLI, CLI, "manager")
    try:
        variances = service.post_count(operator, sheet)
    except ChangeRefusedError as err:
        raise UserError(err.message) from err
    for sku, delta in sorted(variances.items()):
        print(f"{sku}\t{delta:+d}")
    print(f"posted {len(variances)} variances of {len(sheet)} counted SKUs")


SUBCOMMAND = Subcommand("stock", "stock levels and adjustments", configure, run)
