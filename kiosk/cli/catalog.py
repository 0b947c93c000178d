"""``kiosk catalog import FILE|export|undo``: products from and to CSV or JSON; undo puts
back the catalog as it was before the last change (an import, a fleet snapshot, ...)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.common import EXIT_USAGE, Subcommand, UserError, open_store
from kiosk.services.catalog_import import CatalogFileError, export_csv, parse_catalog
from kiosk.services.changes import CLI, ChangeRefusedError
from kiosk.storage import catalog_store


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["import", "export", "undo"],
                        help="undo: the catalog as it was before the last change")  # fmt: skip
    parser.add_argument("file", nargs="?", type=Path)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (settings, ledger):
        if args.action == "export":
            sys.stdout.write(export_csv(catalog_store.load_products(ledger.conn)))
            return 0
        admin = bootstrap.admin(ledger, settings).catalog
        if args.action == "undo":
            try:
                undone = admin.undo(by=CLI)
            except ChangeRefusedError as err:
                raise UserError(err.message) from err
            print(f"catalog restored to before the {undone['undid']} of {undone['kept_at']} "
                  f"by {undone['undid_by']}: {undone['products']} products")  # fmt: skip
            return 0
        if args.file is None:
            raise UserError("usage: kiosk catalog import FILE")
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as err:
            raise UserError(f"cannot read {args.file}: {err}") from err
        try:
            products = parse_catalog(text, str(args.file), bootstrap.shop_limits(settings))
        except CatalogFileError as err:
            print(f"kiosk: {args.file}: {err}", file=sys.stderr)
            return EXIT_USAGE
        try:
            admin.import_products(products, by=CLI, source=str(args.file))
        except ValueError as err:  # CatalogError: clashes with products already stored
            print(f"kiosk: {args.file}: nothing imported: {err}", file=sys.stderr)
            return EXIT_USAGE
        print(f"imported {len(products)} products from {args.file}")
        return 0


SUBCOMMAND = Subcommand("catalog", "import or export products", configure, run)
