"""``kiosk run``: the touchscreen till (Kivy is imported only here, and only when run)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk import bootstrap
from kiosk.appliance.stop_signals import StopSignals
from kiosk.cli.common import STARTED_AT, Subcommand, UserError, open_settings
from kiosk.cli.provision import setup_screen_if_needed
from kiosk.storage.private_files import SecretKeyError


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mode", choices=["self-checkout", "counter"])
    parser.add_argument("--hardware", choices=["simulated", "real"])
    parser.add_argument("--exit-after-ready", action="store_true")
    parser.add_argument("--script", type=Path)
    parser.add_argument("--screenshots", type=Path)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    from kiosk.ui.app import new_bridge
    from kiosk.ui.app import run as run_app

    setup = setup_screen_if_needed(data_dir, args.screenshots)  # an image not yet set up
    if setup is not None:
        return setup
    settings = open_settings(data_dir)
    mode = args.mode or settings.get("mode")
    settings.close()
    # Device events (paper out, drawer left open) go to the UI's one hand-over queue.
    bridge = new_bridge()
    kiosk = bootstrap.build(
        data_dir, hardware=args.hardware, mode=mode, on_device_event=bridge.device_listener
    )
    try:
        _ = kiosk.staff  # reads (or makes) the PIN key now: a damaged key is a message
    except SecretKeyError as err:
        kiosk.close()
        raise UserError(str(err)) from None
    # SIGTERM/SIGINT are noted until the end: the till stops between frames, and
    # kiosk.close() (telemetry says "offline") runs to its end.
    with StopSignals() as stop:
        try:
            code: int = run_app(kiosk, mode=mode, bridge=bridge, stop=stop,
                                exit_after_ready=args.exit_after_ready, script=args.script,
                                screenshots=args.screenshots, started_at=STARTED_AT)  # fmt: skip
        finally:
            kiosk.close()
    return code


SUBCOMMAND = Subcommand("run", "start the touchscreen till", configure, run)
