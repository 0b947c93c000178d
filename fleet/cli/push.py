"""``fleet push --db URL --broker HOST:PORT --store S [--device D]
catalog|prices|promotions|lock|unlock``: send the store's catalog, prices or promotions
as the fleet holds them (``fleet catalog import``), or lock or unlock a lane, through
the same path as the dashboard (checked, recorded, published at QoS 1); prints the
command id. ``--store all`` sends to every store the fleet knows, each its own command
(``store<TAB>command id`` per line): its own catalog, prices or promotions. Each kiosk's
answer arrives through ingest (``fleet run``/``fleet ingest``) and shows on the store's
commands page."""

from __future__ import annotations

import argparse
import getpass
import time
from typing import Any

import sqlalchemy as sa

from fleet.cli.common import Subcommand, UserError, add_broker, add_db, read_password, say
from fleet.services import catalog, commands
from fleet.services.users import Access
from fleet.storage.engine import open_engine

WHAT = ("catalog", "prices", "promotions", "lock", "unlock")
EVERY_STORE = "all"
CONNECT_TIMEOUT_S = 10


def configure(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    add_broker(parser)
    parser.add_argument(
        "--store", required=True, help="the store's id, or all: every store, each its own command"
    )
    parser.add_argument("--device", default=commands.ALL,
                        help="one kiosk's id (default: every kiosk of the store)")  # fmt: skip
    parser.add_argument("--reason", default="", help="lock/unlock: why (kept with the command)")
    parser.add_argument("--message", default="", help="lock: what the locked lane shows")
    parser.add_argument("--allow-mass-removal", action="store_true",
                        help="catalog: the snapshot may take most products off sale")  # fmt: skip
    parser.add_argument("what", choices=WHAT)


def body_for(conn: sa.Connection, store: str, args: argparse.Namespace) -> dict[str, Any]:
    if args.what == "catalog":
        return catalog.catalog_body(conn, store, allow_mass_removal=args.allow_mass_removal)
    if args.what == "prices":
        return catalog.prices_body(conn, store)
    if args.what == "promotions":
        return catalog.promotions_body(conn, store)
    body = {"reason": args.reason} if args.reason else {}
    if args.what == "lock" and args.message:
        body["message"] = args.message
    return body


def run(args: argparse.Namespace) -> int:
    engine = open_engine(args.db)
    host, port = args.broker
    # Whoever holds the database URL runs the fleet: an owner, named after the OS user.
    operator = Access(user=f"cli:{getpass.getuser()}", role="owner", stores=None)
    publisher = commands.MqttPublisher(host, port, protocol=args.protocol,
                                       username=args.username,
                                       password=read_password(args.password_file))  # fmt: skip
    every = args.store == EVERY_STORE
    if every and args.device != commands.ALL:
        raise UserError("--device names one kiosk of one store: not with --store all")
    try:
        with engine.connect() as conn:
            stores = catalog.store_ids(conn) if every else [args.store]
            bodies = _bodies(conn, args, stores, every)
        _wait_connected(publisher, f"{host}:{port}")  # before anything is recorded
        for store, body in bodies:
            doc = commands.send(engine, publisher, args.what, body, store_id=store,
                                device_id=args.device, by=operator)  # fmt: skip
            print(f"{store}\t{doc['command_id']}" if every else doc["command_id"], flush=True)
    except (catalog.NoCatalogError, commands.CommandError) as err:
        raise UserError(str(err)) from None
    finally:
        publisher.close()
        engine.dispose()
    return 0


def _bodies(
    conn: sa.Connection, args: argparse.Namespace, stores: list[str], every: bool
) -> list[tuple[str, dict[str, Any]]]:
    """(store, body) of each store to send to; with ``--store all`` a store the fleet
    holds nothing of this kind for is passed over (and said so)."""
    found = []
    for store in stores:
        try:
            found.append((store, body_for(conn, store, args)))
        except catalog.NoCatalogError as err:
            if not every:
                raise
            say(f"{store} passed over: {err}")
    if not found:
        raise UserError(f"no store to send {args.what} to")
    return found


def _wait_connected(publisher: commands.MqttPublisher, where: str) -> None:
    deadline = time.monotonic() + CONNECT_TIMEOUT_S
    while not publisher.client.is_connected():
        if time.monotonic() > deadline:
            raise UserError(f"cannot reach the broker at {where}: nothing was sent")
        time.sleep(0.05)


SUBCOMMAND = Subcommand("push", "send a store's catalog, prices, promotions or a lane lock",
                        configure, run)  # fmt: skip
