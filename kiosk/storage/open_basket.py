"""The basket being rung up, kept on disk after every change, so a stop, a crash or a
power cut does not lose it: the next start offers it again
(kiosk.services.open_basket.OpenBasketStore is the port this implements).

Its own small SQLite file (``open_basket.sqlite`` beside the ledger), not a ledger table:
a scan must not wait for the ledger's write lock (the telemetry drain holds it to mark
rows sent) nor grow the ledger's WAL by a basket per scan.

Cheap enough for every scan (budget p99 0.2 ms, see bench/bench_basket.py):
- only what changed is written: one row per basket line, and a line is written again
  only when its state differs from what was last written (a scan: one UPSERT);
- WAL with ``synchronous=NORMAL``: a commit is in the OS before ``keep`` returns, so a
  crash or kill of the till loses nothing; no fsync per scan (one costs ms on an SD
  card). ``sync_if_quiet`` fsyncs the WAL once the scans pause (the app asks twice a
  second; a second without a change), off the scan path: a power cut loses at most the
  changes of the last second or so of scanning, never the file's consistency. The sale
  itself is the ledger's, with its own fsync.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kiosk.domain.basket import Basket, BasketLine
from kiosk.domain.catalog import Product
from kiosk.storage.private_files import private_sqlite

FILE_NAME = "open_basket.sqlite"

# One table: row 0 of a basket is its header (member, order discount, the sale id noted
# while its sale is committed; ``seq`` orders baskets by their last change), rows 1..n
# its lines. So a change, header and lines together, is one INSERT statement.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS open_basket (
    basket_id TEXT NOT NULL,
    line_no   INTEGER NOT NULL,
    seq       INTEGER NOT NULL,
    body      TEXT NOT NULL,
    product   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (basket_id, line_no)
);
"""


def _state(line: BasketLine) -> tuple[Any, ...]:
    # Compared against the last write; the product compares by identity first (fast).
    return (line.product, line.qty, line.barcode, line.price_override, line.weight_g,
            line.voided, line.discount_percent, line.discount_amount)  # fmt: skip


def _line_json(line: BasketLine) -> str:
    """``BasketLine.to_dict`` without the product (stored beside it, serialised once)."""
    return json.dumps({"line_no": line.line_no, "qty": line.qty, "barcode": line.barcode,
                       "price_override": line.price_override, "weight_g": line.weight_g,
                       "voided": line.voided, "discount_percent": line.discount_percent,
                       "discount_amount": line.discount_amount})  # fmt: skip


class SqliteOpenBaskets:
    """One connection, used from the services thread only."""

    def __init__(self, path: Path) -> None:
        self._db = _open(path)
        row = self._db.execute("SELECT coalesce(max(seq), 0) FROM open_basket").fetchone()
        self._seq = int(row[0])
        self._basket_id = ""
        self._header: tuple[Any, ...] | None = None
        self._lines: dict[int, tuple[Any, ...]] = {}
        self._products: dict[Product, str] = {}  # product -> its JSON snapshot
        self._wal = Path(str(path) + "-wal")
        self._unsynced_since: float | None = None  # monotonic time of the last keep

    def keep(self, basket: Basket, sale_id: str = "") -> None:
        if basket.basket_id != self._basket_id:
            self._basket_id, self._header, self._lines = basket.basket_id, None, {}
        header = (basket.member_id, basket.order_discount, sale_id)
        changed = [ln for ln in basket.lines if self._lines.get(ln.line_no) != _state(ln)]
        gone = [n for n in self._lines if n > len(basket.lines)]
        if header == self._header and not changed and not gone:
            return
        rows: list[tuple[str, int, int, str, str]] = []
        if header != self._header:
            self._seq += 1
            od = basket.order_discount
            body = {"member_id": basket.member_id, "sale_id": sale_id,
                    "order_discount": None if od is None else asdict(od)}  # fmt: skip
            rows.append((basket.basket_id, 0, self._seq, json.dumps(body), ""))
        rows += [(basket.basket_id, ln.line_no, 0, _line_json(ln), self._product(ln))
                 for ln in changed]  # fmt: skip
        try:
            if gone:  # lines taken back (a refused scan): rare, so a transaction is fine
                self._db.execute("BEGIN")
                self._db.execute(
                    "DELETE FROM open_basket WHERE basket_id = ? AND line_no > ?",
                    (basket.basket_id, len(basket.lines)),
                )
            if rows:  # one statement: atomic without BEGIN/COMMIT
                self._db.execute(
                    "INSERT OR REPLACE INTO open_basket (basket_id, line_no, seq, body, product)"
                    " VALUES " + ", ".join(["(?, ?, ?, ?, ?)"] * len(rows)),
                    [value for row in rows for value in row],
                )
            if self._db.in_transaction:
                self._db.execute("COMMIT")
        except BaseException:
            self._basket_id = ""  # the cache no longer says what is on disk
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._unsynced_since = time.monotonic()
        self._header = header
        for line in changed:
            self._lines[line.line_no] = _state(line)
        for line_no in gone:
            del self._lines[line_no]

    def sync_if_quiet(self, quiet_s: float = 1.0) -> bool:
        """Once nothing was kept for ``quiet_s`` seconds, fsync what was kept since the
        last sync (the WAL file); True when it did. Cheap when there is nothing to do."""
        since = self._unsynced_since
        if since is None or time.monotonic() - since < quiet_s:
            return False
        # With no WAL nothing waits in one: SQLite fsyncs the database file after a
        # checkpoint (synchronous=NORMAL). That file is never opened here: closing a
        # descriptor of it would drop the POSIX locks SQLite holds on it.
        with contextlib.suppress(FileNotFoundError):
            fd = os.open(self._wal, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        self._unsynced_since = None
        return True

    def _product(self, line: BasketLine) -> str:
        text = self._products.get(line.product)
        if text is None:
            if len(self._products) > 2000:
                self._products.clear()
            snapshot = asdict(line.product)
            snapshot["barcodes"] = list(line.product.barcodes)
            text = self._products[line.product] = json.dumps(snapshot)
        return text

    def drop(self, basket_id: str) -> None:
        self._db.execute("DELETE FROM open_basket WHERE basket_id = ?", (basket_id,))
        self._unsynced_since = time.monotonic()
        if basket_id == self._basket_id:
            self._basket_id = ""

    def latest(self) -> tuple[str, dict[str, Any], str] | None:
        """The most recently changed basket: its id, its state (as ``Basket.to_dict``;
        {} when it cannot be read) and the sale id noted for it while its sale was being
        committed ("" before that)."""
        head = self._db.execute(
            "SELECT basket_id FROM open_basket WHERE line_no = 0 ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        if head is None:
            return None
        basket_id = str(head[0])
        rows = self._db.execute(
            "SELECT body, product FROM open_basket WHERE basket_id = ? ORDER BY line_no",
            (basket_id,),
        ).fetchall()
        try:
            header = json.loads(rows[0][0])
            lines = [{**json.loads(body), "product": json.loads(product)}
                     for body, product in rows[1:]]  # fmt: skip
            payload = {"basket_id": basket_id, "member_id": header["member_id"],
                       "order_discount": header["order_discount"], "lines": lines}  # fmt: skip
            sale_id = str(header.get("sale_id", ""))
        except (ValueError, KeyError, TypeError):
            payload, sale_id = {}, ""
        return basket_id, payload, sale_id

    def close(self) -> None:
        self._db.close()


def _open(path: Path) -> sqlite3.Connection:
    """Open the file; one that is not a database any more is put aside (named
    ``.damaged``) and a fresh one started: the till must start, the ledger is intact."""
    for attempt in (1, 2):
        private_sqlite(path)
        db = sqlite3.connect(str(path), isolation_level=None, timeout=5.0)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            return db
        except sqlite3.DatabaseError:
            db.close()
            if attempt == 2 or not path.exists():
                raise
            os.replace(path, path.with_name(path.name + ".damaged"))
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path.with_name(path.name + suffix))
    raise AssertionError("unreachable")
