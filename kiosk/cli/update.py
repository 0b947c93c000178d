"""``kiosk update WHEEL`` (a signed release, rolled back by itself if it does not come up)
and ``kiosk selftest`` (what a new release must pass before it is switched in)."""

from __future__ import annotations

import argparse
import importlib
import os
import shlex
import sqlite3
from pathlib import Path

from kiosk import __version__
from kiosk.appliance.update import DEFAULT_PREFIX, RESTART, Update, UpdateError, update
from kiosk.cli.common import EXIT_FAIL, Subcommand, UserError, no_arguments

# Everything `kiosk run` needs at start, short of opening a window.
SELFTEST_MODULES = (
    "kiosk.bootstrap", "kiosk.cli.run", "kiosk.ui.app", "kiosk.storage.ledger",
    "kiosk.telemetry.drain", "drivers.factory", "kiosk.appliance.backup",
)  # fmt: skip


def configure_update(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("wheel", type=Path, help="the release (its .sig beside it)")
    prefix = Path(os.environ.get("KIOSK_APP_PREFIX", DEFAULT_PREFIX))
    parser.add_argument("--prefix", type=Path, default=prefix, help="where releases live")
    parser.add_argument("--restart-cmd", default=shlex.join(RESTART),
                        help="how to restart the till (default: %(default)s)")  # fmt: skip
    parser.add_argument("--health-timeout", type=float, default=120.0, help="seconds")


def run_update(data_dir: Path, args: argparse.Namespace) -> int:
    if not args.wheel.is_file():
        raise UserError(f"{args.wheel} does not exist")
    plan = Update(args.prefix, data_dir, shlex.split(args.restart_cmd), args.health_timeout)
    try:
        done = update(plan, args.wheel.resolve())
    except UpdateError as error:
        print(f"kiosk: update not applied: {error}")
        return EXIT_FAIL
    print(f"updated to {done.version}: healthy after {done.seconds_to_healthy:.1f} s"
          + (f" (previous: {done.previous.name})" if done.previous else ""))  # fmt: skip
    return 0


def run_selftest(data_dir: Path, args: argparse.Namespace) -> int:
    for name in SELFTEST_MODULES:
        try:
            importlib.import_module(name)
        except Exception as error:  # report any import failure, that is the test
            print(f"selftest FAILED: {name}: {error}")
            return EXIT_FAIL
    ledger = data_dir / "ledger.sqlite"
    if ledger.exists():  # read-only: an update must not touch the ledger before it is live
        try:
            conn = sqlite3.connect(f"file:{ledger}?mode=ro", uri=True)
            try:
                status = str(conn.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.Error as error:
            status = str(error)
        if status != "ok":
            print(f"selftest FAILED: ledger: {status}")
            return EXIT_FAIL
    print(f"selftest ok: {__version__}")
    return 0


UPDATE = Subcommand("update", "install a signed release, roll back if it fails",
                    configure_update, run_update)  # fmt: skip
SELFTEST = Subcommand("selftest", "check this installation can start", no_arguments, run_selftest)
