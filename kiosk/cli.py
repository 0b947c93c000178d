"""`kiosk`: the command line of the till. Each command opens only what it needs."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

STARTED_AT = time.monotonic()
EXIT_USAGE = 2


def default_data_dir() -> Path:
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pi-pos"


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="everything of this device lives here")  # fmt: skip
    parser = argparse.ArgumentParser(prog="kiosk", parents=[common],
                                     description="Pi POS kiosk")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)

    run = sub.add_parser("run", parents=[common], help="start the touchscreen till")
    run.add_argument("--mode", choices=["self-checkout", "counter"])
    run.add_argument("--hardware", choices=["simulated", "real"])
    run.add_argument("--exit-after-ready", action="store_true")
    run.add_argument("--script", type=Path)
    run.add_argument("--screenshots", type=Path)

    demo = sub.add_parser("demo-data", parents=[common], help="load the demo catalog")
    demo.add_argument("--days", type=int, default=0, help="also ring up N days of sales")
    demo.add_argument("--per-day", type=int, default=120)

    replay = sub.add_parser("replay", parents=[common], help="run a JSON-lines script")
    replay.add_argument("script", type=Path)
    replay.add_argument("--receipts", type=Path, help="append receipt text here")
    replay.add_argument("--printer-out", type=Path, help="write the printer's bytes here")

    report = sub.add_parser("report", parents=[common], help="X and Z reports")
    report.add_argument("kind", choices=["x", "z"])
    report.add_argument("--date", help="YYYY-MM-DD (z; default today)")
    report.add_argument("--json", action="store_true")

    journal = sub.add_parser("journal", parents=[common], help="the hash-chained journal")
    journal.add_argument("action", choices=["verify"])
    journal.add_argument("--alert", action="store_true", help="also alert the fleet on a break")

    catalog = sub.add_parser("catalog", parents=[common], help="import or export products")
    catalog.add_argument("action", choices=["import", "export"])
    catalog.add_argument("file", nargs="?", type=Path)

    stock = sub.add_parser("stock", parents=[common], help="stock levels and adjustments")
    stock.add_argument("action", nargs="?", choices=["show", "adjust", "snapshot"], default="show")
    stock.add_argument("sku", nargs="?")
    stock.add_argument("delta", nargs="?", type=int, help="adjust: +received / -lost")
    stock.add_argument("--reason", default="", help="adjust: receiving, count, damaged, ...")
    stock.add_argument("--ref", default="", help="adjust: delivery note or count sheet")

    devices = sub.add_parser("devices", parents=[common], help="configured and detected devices")
    devices.add_argument("--json", action="store_true")
    devices.add_argument("--hardware", choices=["simulated", "real"])

    settings = sub.add_parser("settings", parents=[common], help="device settings")
    settings.add_argument("action", choices=["get", "set", "show"])
    settings.add_argument("key", nargs="?")
    settings.add_argument("value", nargs="?")

    sub.add_parser("sync", parents=[common], help="drain the outbox once to the broker")
    sub.add_parser("outbox", parents=[common], help="outbox depth and oldest row")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None) or default_data_dir()
    data_dir.mkdir(parents=True, exist_ok=True)
    from kiosk import commands

    handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
    try:
        result: int = handler(data_dir, args)
    except UserError as err:
        print(f"kiosk: {err}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    return result


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    sys.exit(main())
