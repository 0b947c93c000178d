"""``fleet shop settings --db URL --store S [KEY=VALUE ...]``: show or change a store's
web shop settings (values are JSON: ``open=false``, ``delivery_fee=10000``,
``hours={"mon":"08:00-21:00"}``; plain text is taken as text)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from fleet.cli.common import Subcommand, UserError, add_db
from fleet.shop import settings
from fleet.storage.engine import open_engine


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True)
    show = sub.add_parser("settings", help="show or change a store's shop settings")
    add_db(show)
    show.add_argument("--store", required=True, help="the store's id")
    show.add_argument("values", nargs="*", metavar="KEY=VALUE")


def _parse(pairs: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for pair in pairs:
        key, sep, text = pair.partition("=")
        if not sep or not key:
            raise UserError(f"expected KEY=VALUE, got {pair!r}")
        try:
            values[key] = json.loads(text)
        except ValueError:
            values[key] = text
    return values


def run(args: argparse.Namespace) -> int:
    values = _parse(args.values)
    engine = open_engine(args.db)
    try:
        with engine.begin() as conn:
            shown = (
                settings.save(conn, args.store, values)
                if values
                else settings.load(conn, args.store)
            )
    except settings.SettingsError as err:
        raise UserError(str(err)) from None
    finally:
        engine.dispose()
    print(json.dumps(shown, indent=2, sort_keys=True))
    return 0


SUBCOMMAND = Subcommand("shop", "a store's web shop settings", configure, run)
