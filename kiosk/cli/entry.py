"""The entry point of ``kiosk``: parse the arguments, run the subcommand; a ``UserError``
or any other failure ends as a message and an exit code (``failures``)."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk.cli.common import Subcommand, UserError
from kiosk.cli.failures import run_guarded
from kiosk.storage.private_files import private_dir

# Name -> (module, attribute), in the order `kiosk --help` lists them. A command imports
# only its own module: `kiosk run` on the till does not carry the code of the PDF export,
# backups, updates or settlement commands, and no command pays for all the others.
COMMANDS: dict[str, tuple[str, str]] = {
    "run": ("kiosk.cli.run", "SUBCOMMAND"),
    "demo-data": ("kiosk.cli.demo_data", "SUBCOMMAND"),
    "replay": ("kiosk.cli.replay", "SUBCOMMAND"),
    "report": ("kiosk.cli.report", "SUBCOMMAND"),
    "journal": ("kiosk.cli.journal", "SUBCOMMAND"),
    "catalog": ("kiosk.cli.catalog", "SUBCOMMAND"),
    "stock": ("kiosk.cli.stock", "SUBCOMMAND"),
    "orders": ("kiosk.cli.orders", "SUBCOMMAND"),
    "staff": ("kiosk.cli.staff", "SUBCOMMAND"),
    "devices": ("kiosk.cli.devices", "SUBCOMMAND"),
    "settings": ("kiosk.cli.settings", "SUBCOMMAND"),
    "sync": ("kiosk.cli.outbox", "SYNC"),
    "outbox": ("kiosk.cli.outbox", "OUTBOX"),
    "agent": ("kiosk.cli.agent", "SUBCOMMAND"),
    "qris": ("kiosk.cli.qris", "SUBCOMMAND"),
    "refunds": ("kiosk.cli.refunds", "SUBCOMMAND"),
    "settle": ("kiosk.cli.settle", "SUBCOMMAND"),
    "provision": ("kiosk.cli.provision", "SUBCOMMAND"),
    "backup": ("kiosk.cli.backup", "BACKUP"),
    "restore": ("kiosk.cli.backup", "RESTORE"),
    "update": ("kiosk.cli.update", "UPDATE"),
    "selftest": ("kiosk.cli.update", "SELFTEST"),
}


def subcommand(name: str) -> Subcommand:
    module, attribute = COMMANDS[name]
    found: Subcommand = getattr(importlib.import_module(module), attribute)
    return found


def subcommands(argv: Sequence[str]) -> tuple[Subcommand, ...]:
    """The one subcommand ``argv`` names, or all of them (for help and usage errors)."""
    after_data_dir = False
    for arg in argv:
        if after_data_dir or arg.startswith("-"):
            after_data_dir = arg == "--data-dir"
            continue
        if arg in COMMANDS:
            return (subcommand(arg),)
        break
    return tuple(subcommand(name) for name in COMMANDS)


def default_data_dir() -> Path:
    env = os.environ.get("KIOSK_DATA_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "pi-pos"


def build_parser(chosen: Sequence[Subcommand]) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                        help="everything of this device lives here")  # fmt: skip
    parser = argparse.ArgumentParser(prog="kiosk", parents=[common],
                                     description="Pi POS kiosk")  # fmt: skip
    sub = parser.add_subparsers(dest="command", required=True)
    for command in chosen:
        one = sub.add_parser(command.name, parents=[common], help=command.help)
        command.configure(one)
        one.set_defaults(handler=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(subcommands(argv)).parse_args(argv)
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
