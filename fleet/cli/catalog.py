"""``fleet catalog import --db URL --store S FILE``: a store's catalog from the kiosk's own
catalog file (CSV or JSON, as ``kiosk catalog import`` reads it; a JSON object may also
carry ``"promotions"``), all-or-nothing: every problem is printed as
``file:line: field: message`` and nothing is stored."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from fleet.cli.common import EXIT_USAGE, Subcommand, UserError, add_db, say
from fleet.services import catalog
from fleet.storage.engine import open_engine
from kiosk.contract.catalog_file import CatalogFileError


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="catalog_command", required=True)
    imp = sub.add_parser("import", help="add or replace a store's products from a file")
    add_db(imp)
    imp.add_argument("--store", required=True, help="the store's id")
    imp.add_argument("file", type=Path, help="CSV (header row) or JSON, as the kiosk reads")


def run(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {args.file}: {err}") from None
    try:
        images: dict[str, str] = {}
        products, promotions = catalog.parse_file(text, str(args.file), images)
    except CatalogFileError as err:
        say(f"{args.file}: {err}")
        return EXIT_USAGE
    engine = open_engine(args.db)
    try:
        with engine.begin() as conn:
            done = catalog.store_file(conn, args.store, products, promotions, images)
    finally:
        engine.dispose()
    print(f"store {args.store}: {done.products} products, {done.promotions} promotions "
          f"imported from {args.file}", file=sys.stdout)  # fmt: skip
    return 0


SUBCOMMAND = Subcommand("catalog", "a store's catalog: import", configure, run)
