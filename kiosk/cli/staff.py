"""``kiosk staff add NAME --role R --pin PIN [--badge CODE] | list [--json] | disable NAME
| pin NAME --pin PIN | unlock``: who may sign in to the till. The changes are
kiosk.services.staff_admin's (journaled with "cli" as their author); this module parses,
calls and prints."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, UserError, open_store, print_json
from kiosk.services.changes import CLI
from kiosk.services.staff import ROLES, StaffError, StaffService
from kiosk.services.staff_admin import StaffAdmin
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.private_files import SecretKeyError, key_path, load_or_create_key
from kiosk.storage.staff_store import StaffStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["add", "list", "disable", "pin", "unlock"])
    parser.add_argument("name", nargs="?", help="add, disable, pin: the staff member's name")
    parser.add_argument("--role", choices=ROLES, help="add: what they may do")
    parser.add_argument("--pin", help="add, pin: 4 to 8 digits, unique on this till")
    parser.add_argument("--badge", default="", help="add: the barcode on their staff card")
    parser.add_argument("--json", action="store_true", help="list: one JSON document")


def staff_service(data_dir: Path, ledger: SqliteLedger) -> StaffService:
    """Signing in (replay's staff); changes go through ``StaffAdmin``."""
    try:
        key = load_or_create_key(key_path(data_dir))
    except SecretKeyError as err:
        raise UserError(str(err)) from err
    return StaffService(StaffStore(ledger.conn), key=key, now=time.time)


def run(data_dir: Path, args: argparse.Namespace) -> int:
    with open_store(data_dir) as (_settings, ledger):
        try:
            admin = bootstrap.staff_admin(data_dir, ledger)
        except SecretKeyError as err:
            raise UserError(str(err)) from err
        try:
            _act(admin, args)
        except StaffError as err:
            raise UserError(err.message) from err
    return 0


def _act(admin: StaffAdmin, args: argparse.Namespace) -> None:
    if args.action == "list":
        _list(admin, as_json=args.json)
        return
    if args.action == "unlock":
        was = admin.unlock(by=CLI)
        print(f"PIN login unlocked (was locked for {was.seconds_left} s more)"
              if was.seconds_left else "PIN login was not locked")  # fmt: skip
        return
    name = (args.name or "").strip()
    if not name:
        raise UserError(f"usage: kiosk staff {args.action} NAME ...")
    if args.action == "add":
        if not args.role or not args.pin:
            raise UserError("usage: kiosk staff add NAME --role ROLE --pin PIN [--badge CODE]")
        member = admin.add(name, args.role, args.pin, args.badge, by=CLI)
        print(f"{member.name}\t{member.role}")
    elif args.action == "pin":
        if not args.pin:
            raise UserError("usage: kiosk staff pin NAME --pin NEW_PIN")
        member = admin.change_pin(name, args.pin, by=CLI)
        print(f"{member.name}: PIN changed")
    else:
        admin.disable(name, by=CLI)


def _list(admin: StaffAdmin, *, as_json: bool) -> None:
    rows = [
        {"name": m.name, "role": m.role, "badge": m.badge, "active": m.active}
        for m in admin.members()
    ]
    if as_json:
        print_json(rows)
        return
    for row in rows:
        state = "active" if row["active"] else "disabled"
        print(f"{row['name']}\t{row['role']}\t{row['badge']}\t{state}")
    lockout = admin.lockout()
    if lockout.seconds_left:
        print(f"PIN login locked for {lockout.seconds_left} s more "
              "(kiosk staff unlock lifts it)")  # fmt: skip


SUBCOMMAND = Subcommand("staff", "staff who may sign in to the till", configure, run)
