"""Demo data for `make run-fleet`: three stores of two kiosks each, a week of sales rung
up through real kiosk ledgers and stored as ingest stores what they publish, plus the
kiosks' status and health and one open alert; and two accounts to sign in with (a demo
database only: their passwords are printed here and in the README).
Usage: fleet_demo.py DB_FILE [END_DATE]."""

from __future__ import annotations

import dataclasses
import random
import sqlite3
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

import sqlalchemy as sa

from fleet.ingest.messages import store_message
from fleet.services import users
from fleet.storage import repository
from fleet.storage.engine import open_engine
from kiosk.contract.messages import utc_now_iso
from kiosk.storage.ledger import SqliteLedger
from kiosk.testing.sales import make_sale

# (name, password, role, stores): the owner sees all; the manager only Bandung.
DEMO_ACCOUNTS = (
    ("demo", "demo-pos", "owner", None),
    ("bandung", "bandung-pos", "manager", ["toko-bandung"]),
)
STORES = {"toko-bandung": ("k1", "k2"), "toko-depok": ("k1", "k2"), "toko-malang": ("k1", "k2")}


def ring_up(db: Path, store: str, device: str, end: date, rng: random.Random) -> None:
    ledger = SqliteLedger(db, device)
    try:
        for back in range(6, -1, -1):
            day = end - timedelta(days=back)
            minutes = sorted(rng.randrange(0, 14 * 60) for _ in range(rng.randint(8, 20)))
            for n, minute in enumerate(minutes):  # 07:00-21:00 WIB, in order as a till rings
                at = f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:{n % 60:02d}.000000Z"
                sale = make_sale(rng, device_id=device, business_date=day.isoformat(),
                                 created_at=at, sale_id=f"{db.stem}-{day}-{n:03d}")  # fmt: skip
                ledger.commit_sale(dataclasses.replace(sale, store_id=store))
    finally:
        ledger.close()


def main(db_file: str, end_text: str = "") -> int:
    end = date.fromisoformat(end_text) if end_text else date.today()
    engine = open_engine(f"sqlite:///{Path(db_file).resolve()}")
    with engine.begin() as conn:
        loaded = conn.execute(sa.text("SELECT count(*) FROM sales")).scalar()
        if users.count_users(conn) == 0:
            for name, password, role, stores in DEMO_ACCOUNTS:
                users.add_user(conn, name, password, role=role, stores=stores)
    print("demo sign-in: demo / demo-pos (owner), bandung / bandung-pos (one store)")
    if loaded:
        return 0  # loaded before
    rng, now = random.Random(7), utc_now_iso()
    with tempfile.TemporaryDirectory() as tmp, engine.begin() as conn:
        partitions = repository.Partitions()
        for store, devices in STORES.items():
            for device in devices:
                ledger = Path(tmp) / f"{store}-{device}.db"
                ring_up(ledger, store, device, end, rng)
                rows = (
                    sqlite3.connect(ledger).execute("SELECT topic, payload FROM outbox").fetchall()
                )
                for suffix, payload in rows:
                    store_message(conn, f"pos/v1/{store}/{device}/{suffix}", payload.encode(),
                                  received_at=now, partitions=partitions)  # fmt: skip
                online = not (store == "toko-malang" and device == "k2")
                repository.store_status(conn, {"store_id": store, "device_id": device,
                                                "state": "online" if online else "offline",
                                                "at": now}, received_at=now)  # fmt: skip
                repository.store_health(conn, {"store_id": store, "device_id": device, "at": now,
                                               "version": "1.4.0", "outbox": {
                                                   "depth": 0 if online else 12,
                                                   "oldest_age_s": None if online else 5400}},
                                        received_at=now)  # fmt: skip
        repository.store_alert(conn, {"alert_id": "demo-paper", "store_id": "toko-depok",
                                      "device_id": "k2", "kind": "paper_low",
                                      "severity": "warning", "message": "paper low",
                                      "at": now})  # fmt: skip
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
