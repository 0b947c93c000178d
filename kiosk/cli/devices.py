"""``kiosk devices [--json]``: configured and detected devices and their state."""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, open_settings, print_json


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--hardware", choices=["simulated", "real"])


def run(data_dir: Path, args: argparse.Namespace) -> int:
    settings = open_settings(data_dir)
    hardware = bootstrap.hardware_choice(settings, args.hardware)
    devices = bootstrap.build_devices(settings, hardware)
    try:
        rows = bootstrap.device_report(devices)
    finally:
        devices.close()
        settings.close()
    if args.json:
        print_json({"hardware": hardware, "devices": rows})
    else:
        print(f"hardware: {hardware}")
        for row in rows:
            reason = f" ({row['reason']})" if row.get("reason") else ""
            print(f"  {row['kind']:<14}{row['name']:<16}{row['state']}{reason}")
    return 0


SUBCOMMAND = Subcommand("devices", "configured and detected devices", configure, run)
