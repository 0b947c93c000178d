"""``kiosk settle import FILE``: keep an acquirer's settlement report (Midtrans-style or a
SNAP acquirer's CSV) in the ledger, for ``kiosk report settlement --date D``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from kiosk.cli.common import Subcommand, UserError, open_store, print_json
from kiosk.domain.sale import iso_utc
from kiosk.domain.settlement import SettlementFileError
from kiosk.services.settlement_report import read_report
from kiosk.storage import settlement_lines
from kiosk.storage.db import transaction


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    imported = actions.add_parser("import", help="keep a settlement report's lines")
    imported.add_argument("file", type=Path)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UserError(f"cannot read {args.file}: {err}") from err
    try:
        lines = read_report(text)
    except SettlementFileError as err:
        raise UserError(f"{args.file}: {err}") from err
    with open_store(data_dir) as (_settings, ledger), transaction(ledger.conn):
        count = settlement_lines.store(
            ledger.conn, lines, args.file.name, iso_utc(datetime.now(UTC))
        )
    print_json({"file": str(args.file), "lines": count})
    return 0


SUBCOMMAND = Subcommand("settle", "import an acquirer's settlement report", configure, run)
