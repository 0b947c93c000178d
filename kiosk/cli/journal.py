"""``kiosk journal verify [--alert]``: check the hash chain; optionally alert the fleet."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_FAIL, Subcommand, now_utc, open_store
from kiosk.storage import journal


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["verify"])
    parser.add_argument("--alert", action="store_true", help="also alert the fleet on a break")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (_, ledger):
        result = journal.verify(ledger.conn)
        if result.ok:
            print(f"journal ok: {result.records} records")
            return 0
        message = f"journal BROKEN at record {result.first_bad_seq}: {result.problem}"
        print(message, file=sys.stderr)
        if args.alert:
            detail = {"first_bad_seq": result.first_bad_seq, "records": result.records}
            ledger.raise_alert("journal_verify_failed", message[:500], now_utc(),
                               severity="critical", detail=detail)  # fmt: skip
        return EXIT_FAIL


SUBCOMMAND = Subcommand("journal", "the hash-chained journal", configure, run)
