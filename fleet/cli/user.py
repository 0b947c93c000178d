"""``fleet user add NAME --stores S1,S2|all [--role owner|manager|viewer] --db URL``
(the password from stdin: one line, or typed twice at a terminal) and
``fleet user list --db URL``. The first account of a new fleet is an owner made here."""

from __future__ import annotations

import argparse
import getpass
import sys

from fleet.cli.common import Subcommand, UserError, add_db
from fleet.services import users
from fleet.storage import schema
from fleet.storage.engine import open_engine


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="user_command", required=True)
    add = sub.add_parser("add", help="create an account (password from stdin)")
    add.add_argument("name", help="the user name to sign in with")
    add.add_argument("--stores", required=True, metavar="S1,S2|all",
                     help="the stores granted, or all (every store, now and later)")  # fmt: skip
    add.add_argument("--role", choices=users.ROLES, default=None,
                     help="owner (every store), manager (sees and commands its stores), "
                          "viewer (sees only); default: owner for all, else manager")  # fmt: skip
    add_db(add)
    listing = sub.add_parser("list", help="the accounts with their roles and stores")
    add_db(listing)


def _password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise UserError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.db)
    try:
        if args.user_command == "list":
            with engine.connect() as conn:
                for name in conn.execute(schema.users.select().order_by(schema.users.c.name)):
                    access = users.access_of(conn, name.name)
                    assert access is not None
                    shown = "all" if access.stores is None else ",".join(sorted(access.stores))
                    print(f"{access.user}\t{access.role}\t{shown}")
            return 0
        granted = [s.strip() for s in args.stores.split(",") if s.strip()]
        stores: list[str] | None = None if granted == ["all"] else granted
        role = args.role or ("owner" if stores is None else "manager")
        password = _password()
        try:
            with engine.begin() as conn:
                users.add_user(conn, args.name, password, role=role, stores=stores)
        except users.AccountError as err:
            raise UserError(str(err)) from None
    finally:
        engine.dispose()
    print(f"user {args.name.strip()} added ({role}, stores: {args.stores})")
    return 0


SUBCOMMAND = Subcommand("user", "dashboard accounts: add, list", configure, run)
