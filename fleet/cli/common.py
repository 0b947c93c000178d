"""What every ``fleet`` subcommand shares: its shape, the user-facing error, exit codes,
the ``--db`` and ``--broker`` arguments, and waiting for SIGTERM/SIGINT."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType

EXIT_FAIL = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130

Handler = Callable[[argparse.Namespace], int]


class UserError(Exception):
    """A problem the person at the keyboard can fix; printed without a traceback."""


@dataclass(frozen=True)
class Subcommand:
    """One ``fleet NAME ...``: ``configure`` adds its arguments, ``run(args)`` does it and
    returns the exit code."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Handler


def broker_address(text: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` too) -> (host, port); argparse shows the error."""
    host, sep, port = text.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, e.g. 127.0.0.1:1883, got {text!r}")
    return host, int(port)


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", required=True, metavar="URL",
                        help="sqlite:///path or postgresql://user@host/db")  # fmt: skip


def add_broker(parser: argparse.ArgumentParser, *, required: bool = True) -> None:
    parser.add_argument("--broker", required=required, type=broker_address, metavar="HOST:PORT",
                        help="the MQTT broker the kiosks publish to")  # fmt: skip
    parser.add_argument("--protocol", choices=("5", "3.1.1"), default="5",
                        help="MQTT version (3.1.1 for brokers such as nats-server)")  # fmt: skip
    parser.add_argument("--username", default="", help="broker user name")
    parser.add_argument("--password-file", default="", metavar="FILE",
                        help="a file holding the broker password")  # fmt: skip


def read_password(path: str) -> str:
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError as err:
        raise UserError(f"cannot read the password file {path}: {err.strerror}") from None


def wait_for_stop() -> None:
    """Block until SIGTERM or SIGINT (Ctrl-C)."""
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    while not stop.wait(1.0):
        pass


def say(message: str) -> None:
    print(f"fleet: {message}", file=sys.stderr, flush=True)
