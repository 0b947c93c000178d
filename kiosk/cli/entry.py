"""The entry point of ``kiosk``: parse the arguments, run the subcommand; a ``UserError``
or any other failure ends as a message and an exit code (``failures``)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.cli.agent import SUBCOMMAND as AGENT
from kiosk.cli.backup import BACKUP, RESTORE
from kiosk.cli.catalog import SUBCOMMAND as CATALOG
from kiosk.cli.common import Subcommand, UserError
from kiosk.cli.demo_data import SUBCOMMAND as DEMO_DATA
from kiosk.cli.devices import SUBCOMMAND as DEVICES
from kiosk.cli.failures import run_guarded
from kiosk.cli.journal import SUBCOMMAND as JOURNAL
from kiosk.cli.orders import SUBCOMMAND as ORDERS
from kiosk.cli.outbox import OUTBOX, SYNC
from kiosk.cli.provision import SUBCOMMAND as PROVISION
from kiosk.cli.qris import SUBCOMMAND as QRIS
from kiosk.cli.refunds import SUBCOMMAND as REFUNDS
from kiosk.cli.replay import SUBCOMMAND as REPLAY
from kiosk.cli.report import SUBCOMMAND as REPORT
from kiosk.cli.run import SUBCOMMAND as RUN
from kiosk.cli.settings import SUBCOMMAND as SETTINGS
from kiosk.cli.settle import SUBCOMMAND as SETTLE
from kiosk.cli.staff import SUBCOMMAND as STAFF
from kiosk.cli.stock import SUBCOMMAND as STOCK
from kiosk.cli.update import SELFTEST, UPDATE
from kiosk.storage.private_files import private_dir

# In the order `kiosk --help` lists them.
SUBCOMMANDS: tuple[Subcommand, ...] = (
    RUN,
    DEMO_DATA,
    REPLAY,
    REPORT,
    JOURNAL,
    CATALOG,
    STOCK,
    ORDERS,
    STAFF,
    DEVICES,
    SETTINGS,
    SYNC,
    OUTBOX,
    AGENT,
    QRIS,
    REFUNDS,
    SETTLE,
    PROVISION,
    BACKUP,
    RESTORE,
    UPDATE,
    SELFTEST,
)


def default_data_dir() -> Path:
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pi-pos"


def build_parser(subcommands: Sequence[Subcommand] = SUBCOMMANDS) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="everything of this device lives here")  # fmt: skip
    parser = argparse.ArgumentParser(prog="kiosk", parents=[common],
                                     description="Pi POS kiosk")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    for subcommand in subcommands:
        one = sub.add_parser(subcommand.name, parents=[common], help=subcommand.help)
        subcommand.configure(one)
        one.set_defaults(handler=subcommand.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    data_dir = getattr(args, "data_dir", None) or default_data_dir()
    os.umask(0o077)  # every file this process makes is its user's alone

    def command() -> int:
        try:
            private_dir(data_dir)
        except OSError as err:
            raise UserError(
                f"cannot use {data_dir} as the data directory: {err.strerror}"
            ) from None
        result: int = args.handler(data_dir, args)
        return result

    return run_guarded(command, data_dir)


if __name__ == "__main__":
    sys.exit(main())
