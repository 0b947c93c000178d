"""``fleet run --db URL [--http HOST:PORT | --host H --port P] [--broker HOST:PORT]``:
the dashboard and its JSON API (uvicorn) until SIGTERM/SIGINT; with ``--broker`` an
ingest worker runs beside it in the same process."""

from __future__ import annotations

import argparse
import signal
from pathlib import Path

from fleet.cli.common import Subcommand, add_broker, broker_address, read_password, say
from fleet.services import users
from fleet.services.release_shelf import ReleaseShelf
from fleet.storage.engine import open_engine


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="URL",
                        help="sqlite:///path or postgresql://user@host/db")  # fmt: skip
    parser.add_argument("--http", type=broker_address, default=None, metavar="HOST:PORT",
                        help="where to serve the dashboard (default 127.0.0.1:8080)")  # fmt: skip
    parser.add_argument("--host", default="127.0.0.1", help="dashboard address")
    parser.add_argument("--port", type=int, default=8080, help="dashboard port")
    parser.add_argument("--secure-cookies", action="store_true",
                        help="mark the session cookie Secure (behind a TLS proxy)")  # fmt: skip
    parser.add_argument(
        "--releases",
        type=Path,
        default=None,
        metavar="DIR",
        help="signed kiosk releases to serve (python -m fleet.releases sign)",
    )
    parser.add_argument(
        "--public-url",
        default="",
        metavar="URL",
        help="how kiosks reach this dashboard, for release downloads",
    )
    parser.add_argument("--simulated-acquirer", action="store_true",
                        help="web shop QRIS by a simulated acquirer (demos, tests)")  # fmt: skip
    add_broker(parser, required=False)  # with it, ingest runs here too


def _shelf(args: argparse.Namespace, host: str, port: int) -> ReleaseShelf | None:
    if args.releases is None:
        return None
    if not args.releases.is_dir():
        raise SystemExit(f"fleet run: --releases {args.releases} is not a directory")
    return ReleaseShelf(args.releases, args.public_url or f"http://{host}:{port}")


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from fleet.services.payment_relay import RelayKeys
    from fleet.shop.housekeeping import Every, release_elsewhere
    from fleet.shop.payments import RefundLoop, SimulatedAcquirer
    from fleet.web import create_app
    from fleet.web.long_lived import freeze_long_lived
    from fleet.web.payment_routes import add_payment_routes

    host, port = args.http or (args.host, args.port)
    engine = open_engine(args.db)
    worker = publisher = None
    if args.broker is not None:
        from fleet.ingest import IngestWorker
        from fleet.services.commands import MqttPublisher

        worker = IngestWorker(
            args.db, args.broker[0], args.broker[1], protocol=args.protocol,
            username=args.username, password=read_password(args.password_file),
        ).start()  # fmt: skip
        publisher = MqttPublisher(args.broker[0], args.broker[1], protocol=args.protocol,
                                  username=args.username,
                                  password=read_password(args.password_file))  # fmt: skip
        say(f"ingest: {args.broker[0]}:{args.broker[1]} (MQTT {args.protocol})")
    say(f"dashboard: http://{host}:{port}/")
    with engine.connect() as conn:
        if users.count_users(conn) == 0:
            say(
                "no accounts yet; create the owner: "
                f"fleet user add NAME --stores all --db {args.db}"
            )
    # uvicorn stops on SIGTERM/SIGINT, restores the handlers it found and raises the
    # signal again; these handlers take that second one, so a requested stop exits 0.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)
    acquirer = SimulatedAcquirer() if args.simulated_acquirer else None
    refunds = RefundLoop(engine, acquirer).start() if acquirer is not None else None
    releases = (Every(5.0, lambda: release_elsewhere(engine, publisher), "shop-holds").start()
                if publisher is not None else None)  # fmt: skip
    try:
        app = create_app(engine, publish=publisher, secure_cookies=args.secure_cookies,
                         releases=_shelf(args, host, port), acquirer=acquirer)  # fmt: skip
        add_payment_routes(app, engine, publisher, RelayKeys.from_env())  # acquirers notify
        freeze_long_lived()  # the app is built: full collections stop walking it
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
        )
    finally:
        for loop in (refunds, releases):
            if loop is not None:
                loop.stop()
        if worker is not None:
            worker.stop()
        if publisher is not None:
            publisher.close()
        engine.dispose()
    return 0


SUBCOMMAND = Subcommand("run", "serve the dashboard (and ingest with --broker)", configure, run)
