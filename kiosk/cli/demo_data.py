"""``kiosk demo-data [--days N]``: the demo catalog, members and optionally N days of sales."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.bounded import whole_number
from kiosk.cli.common import Subcommand, UserError, open_store
from kiosk.services.demo_data import demo_members, demo_products, generate_sales
from kiosk.storage import stock
from kiosk.storage.ledger import SaleRefusedError
from kiosk.testing.clock import SettableClock

DEMO = "cli:demo-data"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=whole_number("days", minimum=0, maximum=3660), default=0,
                        help="also ring up N days of sales")  # fmt: skip
    parser.add_argument("--per-day", type=whole_number("per-day", minimum=1, maximum=10_000),
                        default=120)  # fmt: skip


def run(data_dir: Path, args: argparse.Namespace) -> int:
    products = demo_products()
    with open_store(data_dir) as (settings, ledger):
        admin = bootstrap.admin(ledger, settings)
        admin.catalog.import_products(products, by=DEMO, source="demo")
        receiving = [(p.sku, 48) for p in products
                     if not p.sold_by_weight and stock.level(ledger.conn, p.sku) == 0]  # fmt: skip
        if receiving:
            admin.stock.adjust(receiving, reason="demo-receiving", ref="demo", by=DEMO)
        members = admin.members.upsert(demo_members(), by=DEMO)
        timezone = settings.get("timezone")
    print(f"demo catalog: {len(products)} products, {members} members")
    if args.days > 0:
        clock = SettableClock(datetime.now().astimezone())
        kiosk = bootstrap.build(data_dir, clock=clock, with_devices=False, guard_clock=False)
        try:
            count = generate_sales(
                kiosk.checkout,
                clock,
                products,
                days=args.days,
                per_day=args.per_day,
                timezone=timezone,
            )
        except SaleRefusedError as err:  # the ledger already has later sales: a closed past
            raise UserError(f"demo sales not added: {err.message}") from err
        finally:
            kiosk.close()
        print(f"demo sales: {count} over {args.days} days")
    return 0


SUBCOMMAND = Subcommand("demo-data", "load the demo catalog", configure, run)
