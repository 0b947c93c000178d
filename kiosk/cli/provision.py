"""``kiosk provision CODE | --file PATH | --usb | --status``: set this kiosk up from a
setup code (what the first-boot screen does when the code is scanned)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kiosk.appliance import provisioning
from kiosk.cli.common import Subcommand, UserError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", nargs="?", help="the setup code's text (PPOS1....)")
    parser.add_argument("--file", type=Path, help="a file holding the setup code")
    parser.add_argument("--usb", action="store_true",
                        help=f"read {provisioning.SETUP_FILE} from a USB stick")  # fmt: skip
    parser.add_argument("--status", action="store_true", help="is this kiosk set up?")


def run(data_dir: Path, args: argparse.Namespace) -> int:
    if args.status:
        marker = data_dir / provisioning.MARKER
        print(marker.read_text(encoding="utf-8").strip() if marker.is_file() else
              json.dumps({"provisioned": False}))  # fmt: skip
        return 0
    sources = [bool(args.code), args.file is not None, args.usb]
    if sum(sources) != 1:
        raise UserError("give exactly one of: CODE, --file PATH, --usb")
    try:
        if args.code:
            text = args.code
        else:
            path = args.file
            if args.usb:
                path = provisioning.find_setup_file(provisioning.setup_search_paths())
                if path is None:
                    raise UserError(f"no {provisioning.SETUP_FILE} on a USB stick")
            text = provisioning.read_setup_file(path)
        done = provisioning.provision(data_dir, text)
    except provisioning.ProvisionError as error:
        raise UserError(f"setup code refused, nothing changed: {error}") from None
    how = "signed" if done.signed else "checksum only: no setup key installed"
    print(f"provisioned: store {done.store_id}, device {done.device_id} ({how})")
    return 0


def setup_screen_if_needed(data_dir: Path, screenshots: Path | None) -> int | None:
    """``kiosk run`` on an image that is not set up yet: the "scan your setup code"
    screen instead of the till (its exit code), else None."""
    if not provisioning.setup_required() or provisioning.is_provisioned(data_dir):
        return None
    from kiosk.ui.app import configure_kivy, window_size_from_env

    size = window_size_from_env()
    configure_kivy(fullscreen=size is None, size=size)  # before Kivy makes its window
    from kiosk.ui.setup_screen import SetupApp

    app = SetupApp(provisioning.SetupHooks(data_dir), screenshots)
    app.run()
    code: int = app.exit_code
    return code


SUBCOMMAND = Subcommand("provision", "set this kiosk up from a setup code", configure, run)
