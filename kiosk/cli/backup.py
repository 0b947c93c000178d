"""``kiosk backup [--to DIR] [--keep N]`` and ``kiosk restore FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.appliance.backup import BackupError, backup, restore
from kiosk.cli.common import Subcommand, UserError


def configure_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", type=Path, help="where the copies go (default DATA_DIR/backups)")
    parser.add_argument("--keep", type=int, default=14, help="how many copies to keep")


def run_backup(data_dir: Path, args: argparse.Namespace) -> int:
    if args.keep < 1:
        raise UserError("--keep must be at least 1")
    try:
        done = backup(data_dir, args.to or data_dir / "backups", keep=args.keep)
    except (BackupError, OSError) as error:
        raise UserError(f"backup failed, nothing kept: {error}") from None
    print(f"backup ok: {done.path} ({done.records} journal records, {done.size} bytes)")
    return 0


def configure_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="a backup made by `kiosk backup`")


def run_restore(data_dir: Path, args: argparse.Namespace) -> int:
    try:
        done = restore(data_dir, args.file)
    except (BackupError, OSError) as error:
        raise UserError(f"restore refused, the ledger is unchanged: {error}") from None
    print(f"restored {args.file} ({done.records} journal records); the old ledger is kept "
          f"beside it as {done.path.name}.before-restore-*")  # fmt: skip
    return 0


BACKUP = Subcommand("backup", "copy the ledger while the till runs", configure_backup, run_backup)
RESTORE = Subcommand("restore", "put a checked backup back", configure_restore, run_restore)
