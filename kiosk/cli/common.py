"""What every ``kiosk`` subcommand shares: its shape, the user-facing error, exit codes,
JSON output and opening this device's settings and ledger."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk import bootstrap
from kiosk.domain.sale import iso_utc
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.settings import Settings, SettingsError

# Measured from the first import of the CLI: `kiosk run` reports its start-up time.
STARTED_AT = time.monotonic()
EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_NOT_ALLOWED = 3  # replay: a step the logged-in role may not do, or no login

Handler = Callable[[Path, argparse.Namespace], int]


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""


@dataclass(frozen=True)
class Subcommand:
    """One ``kiosk NAME ...``: ``configure`` adds its arguments, ``run(data_dir, args)``
    does it and returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Handler


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """``configure`` of a subcommand that takes nothing beyond ``--data-dir``."""


def print_json(value: Any) -> None:
    print(json.dumps(value, ensure_ascii=False, sort_keys=True))


def now_utc() -> str:
    return iso_utc(datetime.now(UTC))


def open_settings(data_dir: Path) -> Settings:
    """This device's settings; a warning on stderr when the backup had to be used."""
    try:
        settings = bootstrap.open_settings(data_dir)
    except SettingsError as err:
        raise UserError(str(err)) from err
    warn_about(settings)
    return settings


def warn_about(settings: Settings) -> None:
    """Say on stderr what the settings could not use as stored."""
    if settings.notice:
        print(f"kiosk: warning: {settings.notice}", file=sys.stderr)
    for key, reason in settings.problems.items():
        print(f"kiosk: warning: setting {key} is not usable, its default applies until it is"
              f" set again: {reason}", file=sys.stderr)  # fmt: skip


@contextmanager
def open_store(data_dir: Path) -> Iterator[tuple[Settings, SqliteLedger]]:
    """The settings and the ledger of this device, closed again when the command ends."""
    settings = open_settings(data_dir)
    try:
        ledger = bootstrap.open_ledger(data_dir, settings)
        try:
            yield settings, ledger
        finally:
            ledger.close()
    finally:
        settings.close()
