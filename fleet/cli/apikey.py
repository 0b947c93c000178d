"""``fleet apikey add --db URL --store S [--label L] [--channel C]``: a new key for that
store's orders API, printed once (only its hash is kept); with ``--channel`` it reaches
only that channel's orders."""

from __future__ import annotations

import argparse

from fleet.cli.common import Subcommand, UserError, add_db
from fleet.shop.keys import add_key
from fleet.storage.engine import open_engine


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    add = sub.add_parser("add", help="make a key for one store's orders API")
    add_db(add)
    add.add_argument("--store", required=True, help="the store's id")
    add.add_argument("--label", default="", help="who the key is for, e.g. gofood")
    add.add_argument("--channel", default="",
                     help="a connector's key: it places and changes only this channel's "
                     "orders (e.g. gofood); without it, any channel's but never the web "
                     "shop's own")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.db)
    try:
        with engine.begin() as conn:
            key = add_key(conn, args.store, args.label, args.channel)
    except ValueError as err:
        raise UserError(str(err)) from None
    finally:
        engine.dispose()
    print(key)
    return 0


SUBCOMMAND = Subcommand("apikey", "keys for a store's orders API", configure, run)
