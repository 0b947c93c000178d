"""``kiosk stock [show [SKU]|adjust SKU DELTA --reason R|snapshot]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.bounded import whole_number
from kiosk.cli.common import Subcommand, UserError, open_store
from kiosk.services.changes import CLI, ChangeRefusedError
from kiosk.storage import stock

MAX_DELTA = 1_000_000  # one adjustment; a count sheet never moves more


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["show", "adjust", "snapshot"], default="show")
    parser.add_argument("sku", nargs="?")
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
        elif args.action == "snapshot":
            count = bootstrap.admin(ledger, settings).stock.snapshot()
            print(f"queued a stock snapshot of {count} SKUs")
        elif args.sku:
            print(f"{args.sku}\t{stock.level(ledger.conn, args.sku)}")
        else:
            for sku, qty in sorted(stock.levels(ledger.conn).items()):
                print(f"{sku}\t{qty}")
        return 0


SUBCOMMAND = Subcommand("stock", "stock levels and adjustments", configure, run)
