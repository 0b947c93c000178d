"""``fleet ingest --db URL --broker HOST:PORT [--workers N]``: store what every kiosk
publishes until SIGTERM/SIGINT.

``--workers N`` starts N worker processes, each storing its share of the stores (a
stable hash of the store id, docs/decisions/0004); ``--index I`` runs only worker I of N,
for spreading the workers over machines.
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys

from fleet.cli.common import (
    EXIT_FAIL,
    Subcommand,
    UserError,
    add_broker,
    add_db,
    read_password,
    say,
    wait_for_stop,
)
from fleet.storage.engine import open_engine


def configure(parser: argparse.ArgumentParser) -> None:
    add_db(parser)
    add_broker(parser)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    parser.add_argument("--index", type=int, default=None,
                        help="run only worker INDEX (0-based) of --workers")  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise UserError(f"--workers must be at least 1, got {args.workers}")
    if args.index is not None and not 0 <= args.index < args.workers:
        raise UserError(f"--index must be 0..{args.workers - 1}, got {args.index}")
    open_engine(args.db).dispose()  # migrate once, before any worker starts
    if args.index is None and args.workers > 1:
        return _run_children(args)
    return _run_worker(args, args.index or 0)


def _run_worker(args: argparse.Namespace, index: int) -> int:
    from fleet.ingest import IngestWorker

    host, port = args.broker
    worker = IngestWorker(
        args.db, host, port, index=index, workers=args.workers, protocol=args.protocol,
        username=args.username, password=read_password(args.password_file),
    ).start()  # fmt: skip
    name = f"ingest worker {index + 1} of {args.workers}"
    say(f"{name}: {host}:{port} (MQTT {args.protocol})")
    try:
        if worker.subscribed.wait(30):
            say(f"{name}: subscribed")
        wait_for_stop()
    finally:
        worker.stop()
    say(f"ingest worker {index + 1} stopped: {dict(worker.counts)}")
    return 0


def _run_children(args: argparse.Namespace) -> int:
    base = [sys.executable, "-m", "fleet.cli", "ingest", "--db", args.db,
            "--broker", f"{args.broker[0]}:{args.broker[1]}", "--protocol", args.protocol,
            "--workers", str(args.workers)]  # fmt: skip
    if args.username:
        base += ["--username", args.username]
    if args.password_file:
        base += ["--password-file", args.password_file]
    children = [subprocess.Popen([*base, "--index", str(i)]) for i in range(args.workers)]
    try:
        wait_for_stop()
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        codes = [child.wait() for child in children]
    return 0 if all(code == 0 for code in codes) else EXIT_FAIL


SUBCOMMAND = Subcommand("ingest", "store what the kiosks publish (until SIGTERM)", configure, run)
