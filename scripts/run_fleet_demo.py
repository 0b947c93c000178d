"""`make run-fleet`: a live fleet on one machine, for a newcomer to look at.

- a broker: the local mosquitto when one answers on 127.0.0.1:1883, else a throwaway one
  (as kiosk.testing.broker_process starts for tests) in the demo directory;
- the fleet (`fleet run`: ingest and dashboard) on SQLite, with a week of demo history
  (scripts/fleet_demo.py), the demo sign-ins and each store's catalog;
- three simulated kiosks, one per store (device k3), each a real `kiosk agent` with its
  own data directory and the demo catalog, while this script rings up a demo sale at one
  of them every few seconds through its ledger: the agents publish them, ingest stores
  them, the dashboard shows them live.

Ctrl-C (or SIGTERM) stops the kiosks (they publish "offline"), then the fleet, then a
broker this script started. Run again, it carries on with the same data (var/fleet-demo).

Usage: run_fleet_demo.py [--dir DIR] [--http HOST:PORT] [--broker HOST:PORT | --own-broker]
                         [--no-history] [--sale-every SECONDS]
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "scripts")]

import fleet_demo  # noqa: E402  (scripts/fleet_demo.py: history and sign-ins)

from fleet.services import catalog, users  # noqa: E402
from fleet.storage.engine import open_engine  # noqa: E402
from fleet.storage.shop_schema import shop_products  # noqa: E402
from kiosk import bootstrap  # noqa: E402
from kiosk.domain.catalog import Product  # noqa: E402
from kiosk.services.demo_data import demo_products  # noqa: E402
from kiosk.storage.ledger import SqliteLedger  # noqa: E402
from kiosk.testing.broker_process import MosquittoProcess, mosquitto_binary  # noqa: E402
from kiosk.testing.sales import build_sale, card_tender, sale_line  # noqa: E402

LIVE_DEVICE = "k3"  # the demo history has k1 and k2 in each store
STORES = tuple(fleet_demo.STORES)
LOCAL_BROKER = ("127.0.0.1", 1883)
STORE_TZ = ZoneInfo("Asia/Jakarta")


def say(message: str) -> None:
    print(f"run-fleet: {message}", flush=True)


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


class Demo:
    def __init__(self, args: argparse.Namespace) -> None:
        self.dir: Path = args.dir.resolve()
        self.http: tuple[str, int] = args.http
        self.args = args
        self.db = self.dir / "fleet.sqlite"
        self.url = f"sqlite:///{self.db}"
        self.own_broker: MosquittoProcess | None = None
        self.broker: tuple[str, int] = LOCAL_BROKER
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}  # fmt: skip

    # -- starting ----------------------------------------------------------------------

    def start_broker(self) -> None:
        if self.args.broker is not None:
            self.broker = self.args.broker
        elif not self.args.own_broker and answers(*LOCAL_BROKER):
            say("using the mosquitto that answers on 127.0.0.1:1883")
        else:
            if mosquitto_binary() is None:
                raise SystemExit("run-fleet: no broker: apt-get install mosquitto")
            workdir = self.dir / "broker"
            workdir.mkdir(parents=True, exist_ok=True)
            self.own_broker = MosquittoProcess(persistent=True, workdir=workdir).start()
            self.broker = (self.own_broker.host, self.own_broker.port)
            say(f"started mosquitto on {self.broker[0]}:{self.broker[1]}")

    def seed_fleet(self) -> None:
        if self.args.history:
            fleet_demo.main(str(self.db))  # once: later runs find the sales there
        engine = open_engine(self.url)
        try:
            with engine.begin() as conn:
                if users.count_users(conn) == 0:
                    for name, password, role, stores in fleet_demo.DEMO_ACCOUNTS:
                        users.add_user(conn, name, password, role=role, stores=stores)
                products = demo_products()
                for store in STORES:
                    held = conn.execute(
                        shop_products.select().where(shop_products.c.store_id == store).limit(1)
                    ).first()
                    if held is None:  # so `fleet push --store S catalog` has one to send
                        catalog.store_file(conn, store, products, [])
        finally:
            engine.dispose()

    def prepare_kiosk(self, store: str) -> Path:
        data = self.dir / "kiosks" / f"{store}-{LIVE_DEVICE}"
        data.mkdir(parents=True, exist_ok=True)
        settings = bootstrap.open_settings(data)
        try:
            host, port = self.broker
            settings.set_many({"store_id": store, "device_id": LIVE_DEVICE,
                               "broker.host": host, "broker.port": port})  # fmt: skip
        finally:
            settings.close()
        if not (data / ".demo-loaded").exists():
            from kiosk.cli.entry import main as kiosk_main

            mask = os.umask(0o077)
            try:
                if kiosk_main(["demo-data", "--data-dir", str(data)]) != 0:
                    raise SystemExit(f"run-fleet: demo data for {store} failed")
            finally:
                os.umask(mask)
            (data / ".demo-loaded").touch()
        return data

    def spawn(self, name: str, argv: list[str], log: Path) -> None:
        with log.open("ab") as out:
            child = subprocess.Popen(argv, env=self.env, stdout=out, stderr=out, cwd=ROOT)
        self.children.append((name, child))

    def start(self) -> list[Path]:
        self.dir.mkdir(parents=True, exist_ok=True)
        self.start_broker()
        self.seed_fleet()
        broker = f"{self.broker[0]}:{self.broker[1]}"
        http = f"{self.http[0]}:{self.http[1]}"
        self.spawn("fleet", [sys.executable, "-m", "fleet.cli", "run", "--db", self.url,
                             "--broker", broker, "--http", http],
                   self.dir / "fleet.log")  # fmt: skip
        kiosks = [self.prepare_kiosk(store) for store in STORES]
        for store, data in zip(STORES, kiosks, strict=True):
            self.spawn(f"kiosk {store}/{LIVE_DEVICE}",
                       [sys.executable, "-m", "kiosk.cli.entry", "agent", "--data-dir", str(data)],
                       data / "agent.log")  # fmt: skip
        say("children: " + " ".join(str(child.pid) for _, child in self.children))
        say(f"send a command: fleet push --db {self.url} --broker {broker} "
            f"--store {STORES[0]} --device {LIVE_DEVICE} lock")  # fmt: skip
        return kiosks

    # -- running -----------------------------------------------------------------------

    def ring_up(self, data: Path, store: str, rng: random.Random, products: list[Product]) -> None:
        """One demo sale through the kiosk's own ledger (the agent publishes it)."""
        picked = rng.sample(products, rng.randint(1, 4))
        lines = [sale_line(n, p.price, rng.randint(1, 3), sku=p.sku, name=p.name,
                           tax_rate_percent=p.tax_rate_percent or "11")
                 for n, p in enumerate(picked, start=1)]  # fmt: skip
        now = datetime.now(UTC)
        total = sum(line.amount for line in lines)
        sale = build_sale(lines, [card_tender(total)], sale_id=uuid.uuid4().hex,
                          store_id=store, device_id=LIVE_DEVICE,
                          business_date=now.astimezone(STORE_TZ).date().isoformat(),
                          created_at=now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))  # fmt: skip
        ledger = SqliteLedger(bootstrap.ledger_path(data), LIVE_DEVICE)
        try:
            ledger.commit_sale(sale)
        finally:
            ledger.close()

    def run(self, stop: threading.Event) -> int:
        kiosks = self.start()
        rng = random.Random()
        products = [p for p in demo_products() if p.active and not p.sold_by_weight]
        shown = False
        while not stop.wait(self.args.sale_every):
            for name, child in self.children:
                if child.poll() is not None:
                    say(f"{name} stopped (exit {child.returncode}); see the logs in {self.dir}")
                    return 1
            if not shown and answers(*self.http):
                shown = True
                say(f"the dashboard: http://{self.http[0]}:{self.http[1]}/  sign in as "
                    "demo / demo-pos (owner) or bandung / bandung-pos (one store); "
                    "Ctrl-C stops everything")  # fmt: skip
            index = rng.randrange(len(STORES))
            self.ring_up(kiosks[index], STORES[index], rng, products)
        return 0

    def stop(self) -> None:
        """Kiosks first (each publishes "offline" while the fleet still listens), then the
        fleet, then a broker this script started."""
        for group in (self.children[1:], self.children[:1]):
            for _, child in group:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for name, child in group:
                try:
                    child.wait(20)
                except subprocess.TimeoutExpired:
                    say(f"{name} did not stop: killed")
                    child.kill()
                    child.wait()
        if self.own_broker is not None:
            self.own_broker.stop()
        say("stopped")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="run_fleet_demo.py", description=__doc__.split("\n")[0])
    parser.add_argument("--dir", type=Path, default=ROOT / "var" / "fleet-demo")
    parser.add_argument("--http", type=address, default=("127.0.0.1", 8080))
    parser.add_argument("--broker", type=address, default=None,
                        help="use this broker (default: 127.0.0.1:1883 if it answers)")  # fmt: skip
    parser.add_argument("--own-broker", action="store_true",
                        help="start a throwaway mosquitto even if 1883 answers")  # fmt: skip
    parser.add_argument("--no-history", dest="history", action="store_false",
                        help="skip the week of demo sales (faster start)")  # fmt: skip
    parser.add_argument("--sale-every", type=float, default=3.0, metavar="SECONDS")
    args = parser.parse_args(argv)
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
    demo = Demo(args)
    try:
        return demo.run(stop)
    finally:
        demo.stop()


if __name__ == "__main__":
    sys.exit(main())
