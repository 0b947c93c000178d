"""``kiosk staff add NAME --role R --pin PIN [--badge CODE] | list [--json] | disable NAME``:
who may sign in to the till. Each change is journaled with "cli" as its author."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kiosk.cli.common import Subcommand, UserError, now_utc, open_store, print_json
from kiosk.services.changes import CLI
from kiosk.services.staff import ROLES, StaffError, StaffService
from kiosk.storage.db import transaction
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.private_files import SecretKeyError, key_path, load_or_create_key
from kiosk.storage.staff_store import StaffStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["add", "list", "disable"])
    parser.add_argument("name", nargs="?", help="add, disable: the staff member's name")
    parser.add_argument("--role", choices=ROLES, help="add: what they may do")
    parser.add_argument("--pin", help="add: 4 to 8 digits, unique on this till")
    parser.add_argument("--badge", default="", help="add: the barcode on their staff card")
    parser.add_argument("--json", action="store_true", help="list: one JSON document")


def staff_service(data_dir: Path, ledger: SqliteLedger) -> StaffService:
    try:
        key = load_or_create_key(key_path(data_dir))
    except SecretKeyError as err:
        raise UserError(str(err)) from err
    return StaffService(StaffStore(ledger.conn), key=key, now=time.time)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (_settings, ledger):
        try:
            service = staff_service(data_dir, ledger)
            if args.action == "list":
                _list(service, as_json=args.json)
                return 0
            name = (args.name or "").strip()
            if not name:
                raise UserError(f"usage: kiosk staff {args.action} NAME ...")
            with transaction(ledger.conn):
                if args.action == "add":
                    _add(service, ledger, name, args)
                else:
                    member = service.disable(name)
                    ledger.record_event("staff_disable", member.staff_id,
                                        {"by": CLI, "name": member.name}, now_utc(),
                                        publish=False)  # fmt: skip
        except StaffError as err:
            raise UserError(err.message) from err
    return 0


def _add(service: StaffService, ledger: SqliteLedger, name: str, args: argparse.Namespace) -> None:
    if not args.role or not args.pin:
        raise UserError("usage: kiosk staff add NAME --role ROLE --pin PIN [--badge CODE]")
    if service.get(name) is not None:
        raise UserError(f"{name} is already enrolled")
    member = service.enroll(name, name, args.role, args.pin, args.badge.strip())
    # Whether a badge was given, never its code: a cashier's badge alone signs in.
    payload = {"by": CLI, "name": member.name, "role": member.role, "badge": bool(member.badge)}
    ledger.record_event("staff_add", member.staff_id, payload, now_utc(), publish=False)
    print(f"{member.name}\t{member.role}")


def _list(service: StaffService, *, as_json: bool) -> None:
    rows = [
        {"name": m.name, "role": m.role, "badge": m.badge, "active": m.active}
        for m in service.members()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        state = "active" if row["active"] else "disabled"
        print(f"{row['name']}\t{row['role']}\t{row['badge']}\t{state}")


SUBCOMMAND = Subcommand("staff", "staff who may sign in to the till", configure, run)
