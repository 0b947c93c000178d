"""``kiosk stock [show [SKU]|adjust SKU DELTA --reason R|snapshot]``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.bounded import whole_number
from kiosk.cli.common import Subcommand, UserError, now_utc, open_store
from kiosk.storage import catalog_store, stock

MAX_DELTA = 1_000_000  # one adjustment; a count sheet never moves more


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", nargs="?", choices=["show", "adjust", "snapshot"], default="show")
    parser.add_argument("sku", nargs="?")
    delta = whole_number("delta", minimum=-MAX_DELTA, maximum=MAX_DELTA)
    parser.add_argument("delta", nargs="?", type=delta, help="adjust: +received / -lost")
    parser.add_argument("--reason", default="", help="adjust: receiving, count, damaged, ...")
    parser.add_argument("--ref", default="", help="adjust: delivery note or count sheet")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (_, ledger):
        if args.action == "adjust":
            if not args.sku or args.delta is None or not args.reason:
                raise UserError("usage: kiosk stock adjust SKU DELTA --reason REASON [--ref REF]")
            if catalog_store.get_product(ledger.conn, args.sku) is None:
                raise UserError(f"no product with SKU {args.sku!r}")
            levels = ledger.adjust_stock([(args.sku, args.delta)], args.reason, args.ref, now_utc())
            print(f"{args.sku}\t{levels[args.sku]}")
        elif args.action == "snapshot":
            print(f"queued a stock snapshot of {ledger.stock_snapshot(now_utc())} SKUs")
        elif args.sku:
            print(f"{args.sku}\t{stock.level(ledger.conn, args.sku)}")
        else:
            for sku, qty in sorted(stock.levels(ledger.conn).items()):
                print(f"{sku}\t{qty}")
        return 0


SUBCOMMAND = Subcommand("stock", "stock levels and adjustments", configure, run)
