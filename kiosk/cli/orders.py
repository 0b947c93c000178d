"""``kiosk orders [--open] [--json]``: the till's online orders with ``order_id``,
``status``, ``lines``, ``total`` and ``paid`` (and the channel, customer, short flag)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from kiosk.cli.common import Subcommand, open_store, print_json
from kiosk.domain.money import format_rupiah
from kiosk.ports import Clock, SystemClock
from kiosk.services.online_orders import OnlineOrderDesk


def order_desk(kiosk: Any, clock: Clock) -> OnlineOrderDesk:
    """The desk over a built kiosk's ledger (``bootstrap.build``)."""
    config = kiosk.checkout.config
    return OnlineOrderDesk(kiosk.ledger.conn, clock, store_id=config.store_id,
                           device_id=config.device_id)  # fmt: skip


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--open", action="store_true", help="only orders not yet finished")
    parser.add_argument("--json", action="store_true", help="one JSON list")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (settings, ledger):
        desk = OnlineOrderDesk(ledger.conn, SystemClock(), store_id=settings.get("store_id"),
                               device_id=settings.get("device_id"))  # fmt: skip
        orders = desk.orders(open_only=args.open)
    if args.json:
        print_json(orders)
        return 0
    if not orders:
        print("no online orders")
    for order in orders:
        flags = (" SHORT" if order["short"] else "") + (" paid" if order["paid"] else "")
        who = order["customer"].get("name", "")
        print(f"{order['order_id']}  {order['channel']}  {order['status']}  "
              f"{format_rupiah(order['total'])}{flags}  {who}")  # fmt: skip
        for line in order["lines"]:
            mark = "  (short)" if line["short"] else ""
            print(f"    {line['qty']} x {line['sku']} {line['name']}  "
                  f"{format_rupiah(line['amount'])}{mark}")  # fmt: skip
    return 0


SUBCOMMAND = Subcommand("orders", "the till's online orders", configure, run)
