"""``kiosk sync`` (drain the outbox once) and ``kiosk outbox`` (its depth): paho is
imported only when one of them runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kiosk import __version__, bootstrap
from kiosk.appliance.stop_signals import StopRequested, StopSignals
from kiosk.cli.common import EXIT_FAIL, Subcommand, no_arguments, open_settings, print_json


def run_sync(data_dir: Path, args: argparse.Namespace) -> int:
    from kiosk.telemetry.sync import sync_once

    settings = open_settings(data_dir)
    try:
        # No loop of ours inside the drain: the first SIGTERM/SIGINT raises there; what
        # was acknowledged stays marked sent, the rest goes next time.
        with StopSignals(interrupt=True):
            sent = sync_once(bootstrap.ledger_path(data_dir), settings, version=__version__)
    except StopRequested as stop:
        print(f"kiosk: sync stopped by {stop}", file=sys.stderr)
        return 0
    except OSError as err:
        host, port = settings.get("broker.host"), settings.get("broker.port")
        print(f"kiosk: sync failed ({host}:{port}): {err}", file=sys.stderr)
        return EXIT_FAIL
    finally:
        settings.close()
    print(f"sent {sent} messages")
    return 0


def run_outbox(data_dir: Path, args: argparse.Namespace) -> int:
    from kiosk.telemetry.sync import outbox_summary

    print_json(outbox_summary(bootstrap.ledger_path(data_dir)))
    return 0


SYNC = Subcommand("sync", "drain the outbox once to the broker", no_arguments, run_sync)
OUTBOX = Subcommand("outbox", "outbox depth and oldest row", no_arguments, run_outbox)
