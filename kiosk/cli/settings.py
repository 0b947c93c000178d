"""``kiosk settings show|get KEY|set KEY VALUE``: this device's settings file."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, UserError, open_settings
from kiosk.services.changes import CLI, ChangeRefusedError
from kiosk.storage.settings import SettingsError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["get", "set", "show"])
    parser.add_argument("key", nargs="?")
    parser.add_argument("value", nargs="?")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    settings = open_settings(data_dir)
    try:
        if args.action == "show":
            print(json.dumps(settings.masked(), indent=2, ensure_ascii=False, sort_keys=True))
        elif args.action == "get":
            if not args.key:
                raise UserError("usage: kiosk settings get KEY")
            value = settings.get(args.key)
            shown = settings.masked().get(args.key, value)
            print(shown if isinstance(shown, str) else json.dumps(shown))
        else:
            if not args.key or args.value is None:
                raise UserError("usage: kiosk settings set KEY VALUE")
            ledger = bootstrap.open_ledger(data_dir, settings)
            try:
                bootstrap.admin(ledger, settings).settings.set(args.key, args.value, by=CLI)
            finally:
                ledger.close()
    except SettingsError as err:
        raise UserError(str(err)) from err
    except ChangeRefusedError as err:
        raise UserError(err.message) from err
    finally:
        settings.close()
    return 0


SUBCOMMAND = Subcommand("settings", "device settings", configure, run)
