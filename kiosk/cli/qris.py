"""``kiosk qris parse PAYLOAD`` and ``kiosk qris dynamic PAYLOAD --amount N``: read a QRIS
payload into its fields (JSON), or turn a shop's static QRIS into one for a sale."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk.cli.common import EXIT_USAGE, Subcommand, print_json
from kiosk.domain import qris
from kiosk.domain.bounds import BoundsError, parse_amount


def configure(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", required=True)
    parse = actions.add_parser("parse", help="the payload's fields as JSON")
    parse.add_argument("payload")
    dynamic = actions.add_parser("dynamic", help="a dynamic payload for one amount")
    dynamic.add_argument("payload")
    dynamic.add_argument("--amount", required=True, help="whole rupiah")
    dynamic.add_argument("--bill-no", default="", help="bill number (template 62, tag 01)")
    dynamic.add_argument("--terminal", default="", help="terminal label (template 62, tag 07)")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        if args.action == "parse":
            print_json(qris.parse(args.payload).to_dict())
        else:
            amount = parse_amount(args.amount, "amount", maximum=qris.QRIS_MAX_AMOUNT, minimum=1)
            print(qris.to_dynamic(args.payload, amount, bill_number=args.bill_no,
                                  terminal=args.terminal))  # fmt: skip
    except (qris.QrisError, BoundsError) as err:
        print(f"kiosk: invalid QRIS: {err.message}", file=sys.stderr)
        return EXIT_USAGE
    return 0


SUBCOMMAND = Subcommand("qris", "read or build QRIS payloads", configure, run)
