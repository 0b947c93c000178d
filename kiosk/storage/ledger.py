"""The SQLite ledger: the store of sales that must never lose one.

``commit_sale`` writes, in ONE transaction: the device's next gap-free receipt number,
the sale row (with the full sale JSON), its lines, taxes and tenders, the stock moves,
the hash-chained journal record and the outbox row. Either all of it is on disk when
it returns, or none of it is. Committing a sale id that is already stored writes
nothing and returns the stored sale, so a retry after a crash or timeout is harmless.

Stock: a line moves ``-qty`` units; a weighed line (``weight_g`` set) moves
``-weight_g``, because products sold by weight are stocked in grams. The rows a sale
becomes are built in ``sale_rows`` (which ``journal.verify`` rebuilds to check them).

A closed past: a sale is refused when its business day is before the business day of
this device's previous sale (that day has ended), or when it is dated before that sale.

Every ``checkpoint_every`` sales a background ``Checkpointer`` is woken to checkpoint
the WAL, never inside the commit (see checkpointer.py).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.contract.messages import event_message, sale_payload
from kiosk.domain.sale import CompletedSale, iso_utc
from kiosk.storage import (
    books,
    clock_floor,
    journal,
    online_orders,
    outbox,
    reports,
    sale_rows,
    stock,
    stock_and_alerts,
)
from kiosk.storage.checkpointer import EVERY_COMMITS, Checkpointer, CheckpointResult, wal_checkpoint
from kiosk.storage.db import canonical_json, open_db, transaction
from kiosk.storage.migrations import migrate


class SuspendedBasketNotFoundError(KeyError):
    """``resume_basket`` was given an id that is not (or no longer) suspended."""

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else "suspended basket not found"


class SaleRefusedError(ValueError):
    """A sale the ledger will not store: its business day has ended, or it is dated
    before this device's previous sale. ``message`` is safe to show."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _moment(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def _utc_now() -> str:
    return iso_utc(datetime.now(UTC))


class SqliteLedger:
    """The kiosk's ledger for one device. Implements ``kiosk.ports.Ledger``."""

    def __init__(
        self,
        source: str | Path | sqlite3.Connection,
        device_id: str,
        *,
        store_id: str = "",
        low_stock_threshold: int | None = None,
        checkpoint_every: int | None = EVERY_COMMITS,
    ) -> None:
        if not device_id:
            raise ValueError("SqliteLedger needs a device_id")
        if isinstance(source, sqlite3.Connection):
            self.conn = source
            self._owns_conn = False
            migrate(self.conn)
        else:
            self.conn = open_db(source)
            self._owns_conn = True
        self.device_id = device_id
        self.store_id = store_id or "store"
        self.low_stock_threshold = low_stock_threshold
        self._origin = {"store_id": self.store_id, "device_id": device_id}
        path = self._file_path()
        self._unnoted_sales = 0  # committed in a transaction still open (see transaction)
        self.checkpointer = (
            Checkpointer(path, every_commits=checkpoint_every)
            if checkpoint_every is not None and path
            else None
        )

    def _file_path(self) -> str:
        """The main database file ('' for an in-memory database)."""
        for row in self.conn.execute("PRAGMA database_list"):
            if row[1] == "main":
                return str(row[2] or "")
        return ""

    # -- sales ----------------------------------------------------------------------

    def commit_sale(self, sale: CompletedSale) -> CompletedSale:
        """Store the sale with its receipt number; return it as stored."""
        if not sale.sale_id:
            raise ValueError("sale has no sale_id")
        if sale.device_id != self.device_id:
            raise ValueError(
                f"sale {sale.sale_id} is from device {sale.device_id!r}, "
                f"this ledger belongs to {self.device_id!r}"
            )
        sale_rows.voids(sale)  # a malformed void count is refused before anything is written
        with self.transaction() as conn:
            existing = conn.execute(
                "SELECT body FROM sales WHERE sale_id = ?", (sale.sale_id,)
            ).fetchone()
            if existing:
                return CompletedSale.from_dict(json.loads(existing[0]))
            sale = self._into_open_day(sale)
            self._refuse_closed_past(sale)
            stored = dataclasses.replace(sale, receipt_no=self._next_receipt_no())
            body = canonical_json(stored.to_dict())
            sale_rows.insert(conn, stored, body)
            self._move_stock(stored)
            online_orders.after_sale(conn, stored, self._origin)  # collects or makes short
            seq, digest = journal.append(conn, "sale", stored.sale_id, stored.created_at, body)
            message = sale_payload(body, seq, digest, self._prev_hash(seq))
            outbox.enqueue(conn, "sale", stored.sale_id, message, stored.created_at)
            self._unnoted_sales += 1
        return stored

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``db.transaction`` on the ledger's connection (joining one already open). When
        the outermost one commits, the checkpointer hears of the sales in it: a sale made
        inside a longer transaction (a member's points, booked with it) is not durable
        before that, and a checkpoint run while the writer still held its lock waited
        ``WAIT_FOR_OTHERS_MS`` for itself and never restarted the WAL."""
        outer = not self.conn.in_transaction
        try:
            with transaction(self.conn):
                yield self.conn
        except BaseException:
            if outer:
                self._unnoted_sales = 0  # rolled back: nothing was committed
            raise
        if outer and self._unnoted_sales:
            sales, self._unnoted_sales = self._unnoted_sales, 0
            if self.checkpointer is not None:
                self.checkpointer.note_commit(sales)  # may checkpoint at the bound

    def _into_open_day(self, sale: CompletedSale) -> CompletedSale:
        """After a Z close nothing is added to the closed day: a sale made before the
        close is refused, one made after it goes into the next business day."""
        last = books.last_close(self.conn, self.device_id)
        if last is None or sale.business_date > last["business_date"]:
            return sale
        if _moment(sale.created_at) < _moment(last["closed_at"]):
            raise SaleRefusedError(
                f"business day {last['business_date']} was closed by Z {last['z_number']} "
                f"at {last['closed_at']}: nothing can be added to it"
            )
        day = books.open_day(self.conn, self.device_id, sale.business_date)
        return dataclasses.replace(sale, business_date=day)

    def _refuse_closed_past(self, sale: CompletedSale) -> None:
        """The previous sale of this device bounds the next one: same or later business
        day (an ended day stays closed), same or later time."""
        previous = self.conn.execute(
            "SELECT s.business_date, s.created_at, s.receipt_no FROM device_counters c"
            " JOIN sales s ON s.device_id = c.device_id AND s.receipt_no = c.last_receipt_no"
            " WHERE c.device_id = ?",
            (self.device_id,),
        ).fetchone()
        if previous is None:
            return
        day, created_at, receipt_no = previous
        if sale.business_date < day:
            raise SaleRefusedError(
                f"business day {sale.business_date} has ended: receipt {receipt_no} "
                f"was already sold on {day}"
            )
        if _moment(sale.created_at) < _moment(created_at):
            raise SaleRefusedError(
                f"sale dated {sale.created_at} is before the previous sale (receipt "
                f"{receipt_no} at {created_at}): the clock is behind"
            )

    def _move_stock(self, sale: CompletedSale) -> None:
        """A line moves ``-qty`` units, a weighed line ``-weight_g`` grams."""
        moved: dict[str, int] = {}
        for line in sale.lines:
            delta = -line.weight_g if line.weight_g is not None else -line.qty
            stock.apply_move(self.conn, line.sku, delta, "sale", sale.sale_id, sale.created_at)
            moved[line.sku] = moved.get(line.sku, 0) + delta
        # The cost of goods at this moment (moving average), for the books of the day.
        self.conn.execute(
            "INSERT INTO sale_line_costs(sale_id, line_no, unit_cost, units)"
            " SELECT l.sale_id, l.line_no, c.unit_cost, coalesce(l.weight_g, l.qty)"
            " FROM sale_lines l JOIN stock_costs c ON c.sku = l.sku WHERE l.sale_id = ?",
            (sale.sale_id,),
        )
        if self.low_stock_threshold is not None:
            stock_and_alerts.low_stock_alerts(
                self.conn, **self._origin, moved=moved,
                threshold=self.low_stock_threshold, at=sale.created_at,
            )  # fmt: skip

    def _next_receipt_no(self) -> int:
        row = self.conn.execute(
            "UPDATE device_counters SET last_receipt_no = last_receipt_no + 1"
            " WHERE device_id = ? RETURNING last_receipt_no",
            (self.device_id,),
        ).fetchall()
        if row:
            return int(row[0][0])
        self.conn.execute(
            "INSERT INTO device_counters(device_id, last_receipt_no) VALUES (?, 1)",
            (self.device_id,),
        )
        return 1

    def get_sale(self, sale_id: str) -> CompletedSale | None:
        row = self.conn.execute("SELECT body FROM sales WHERE sale_id = ?", (sale_id,)).fetchone()
        return CompletedSale.from_dict(json.loads(row[0])) if row else None

    def get_sale_by_receipt(
        self, receipt_no: int, device_id: str | None = None
    ) -> CompletedSale | None:
        """The sale with this receipt number of this ledger's device (or ``device_id``)."""
        row = self.conn.execute(
            "SELECT body FROM sales WHERE device_id = ? AND receipt_no = ?",
            (device_id or self.device_id, receipt_no),
        ).fetchone()
        return CompletedSale.from_dict(json.loads(row[0])) if row else None

    def sale_count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM sales").fetchone()[0])

    def last_receipt_no(self) -> int:
        row = self.conn.execute(
            "SELECT last_receipt_no FROM device_counters WHERE device_id = ?", (self.device_id,)
        ).fetchone()
        return int(row[0]) if row else 0

    # -- other journal events -------------------------------------------------------------

    def record_event(
        self, kind: str, ref: str, payload: dict[str, Any], created_at: str, publish: bool = True
    ) -> None:
        """Journal a non-sale event (void, abandoned basket, no-sale drawer open, suspend,
        approval, settings change...) and, if ``publish``, queue it on topic ``event``.
        One transaction (joins the caller's if open)."""
        with transaction(self.conn):
            self._record_event(kind, ref, payload, created_at, publish)

    def _record_event(
        self, kind: str, ref: str, payload: dict[str, Any], created_at: str, publish: bool
    ) -> int:
        if not kind or kind == "sale":
            raise ValueError(f"event kind must be a non-empty name other than 'sale', got {kind!r}")
        text = canonical_json(payload)
        seq, digest = journal.append(self.conn, kind, ref, created_at, text)
        if publish:
            event = event_message(self.device_id, kind, ref, payload, created_at, seq=seq,
                                  record_hash=digest, prev_hash=self._prev_hash(seq))  # fmt: skip
            outbox.enqueue(self.conn, event.topic, event.message_id, event.payload, created_at)
        return seq

    def _prev_hash(self, seq: int) -> str:
        row = self.conn.execute("SELECT prev_hash FROM journal WHERE seq = ?", (seq,)).fetchone()
        return str(row[0])

    # -- suspended baskets ------------------------------------------------------------

    def suspend_basket(
        self, basket_id: str, payload: dict[str, Any], label: str, created_at: str
    ) -> None:
        """Park a basket (its JSON form) so another customer can be served."""
        with transaction(self.conn):
            cursor = self.conn.execute(
                "INSERT INTO suspended(basket_id, created_at, label, payload) VALUES (?, ?, ?, ?)"
                " ON CONFLICT(basket_id) DO NOTHING",
                (basket_id, created_at, label, canonical_json(payload)),
            )
            if cursor.rowcount != 1:
                raise ValueError(f"basket {basket_id!r} is already suspended")
            self._record_event(
                "suspend", basket_id, {"label": label, "basket": payload}, created_at, True
            )

    def resume_basket(self, basket_id: str, created_at: str | None = None) -> dict[str, Any]:
        """Take a parked basket back (the row is deleted in the same transaction as its
        "resume" journal record, stamped ``created_at`` or now)."""
        with transaction(self.conn):
            row = self.conn.execute(
                "DELETE FROM suspended WHERE basket_id = ? RETURNING payload", (basket_id,)
            ).fetchall()
            if not row:
                raise SuspendedBasketNotFoundError(
                    f"no suspended basket {basket_id!r} (already resumed, or never suspended)"
                )
            self._record_event("resume", basket_id, {}, created_at or _utc_now(), True)
        payload: dict[str, Any] = json.loads(row[0][0])
        return payload

    def list_suspended(self) -> list[dict[str, str]]:
        rows = self.conn.execute(
            "SELECT basket_id, created_at, label FROM suspended ORDER BY created_at, basket_id"
        ).fetchall()
        return [{"basket_id": r[0], "created_at": r[1], "label": r[2]} for r in rows]

    # -- stock and alerts for the fleet ----------------------------------------------------

    def adjust_stock(
        self, changes: list[tuple[str, int]], reason: str, ref: str, created_at: str
    ) -> dict[str, int]:
        """Receiving, count corrections, shrinkage: all-or-nothing, reported as a stock
        change. Returns the new levels."""
        return stock_and_alerts.adjust_stock(self.conn, **self._origin, changes=changes,
                                           reason=reason, ref=ref, at=created_at)  # fmt: skip

    def stock_snapshot(self, created_at: str) -> int:
        return stock_and_alerts.stock_snapshot(self.conn, **self._origin, at=created_at)

    def raise_alert(
        self, kind: str, message: str, created_at: str, *, severity: str = "warning",
        detail: dict[str, Any] | None = None, cleared: bool = False,
    ) -> str:  # fmt: skip
        return stock_and_alerts.raise_alert(self.conn, **self._origin, kind=kind, message=message,
                                          at=created_at, severity=severity, detail=detail,
                                          cleared=cleared)  # fmt: skip

    # -- reports of this device (kiosk.services.reporting.ReportSource) -------------------

    def x_report(self, business_date: str) -> dict[str, Any]:
        return reports.x_report(self.conn, business_date, self.device_id)

    def sale_times(self, business_date: str) -> list[tuple[str, int]]:
        return reports.sale_times(self.conn, business_date, self.device_id)

    # -- housekeeping ----------------------------------------------------------------

    def checkpoint(self) -> CheckpointResult:
        """A PASSIVE WAL checkpoint now, on this connection (tests, the bench)."""
        return wal_checkpoint(self.conn)

    def checkpoint_soon(self) -> None:
        """Ask for a WAL checkpoint off this thread; the UI calls it when idle."""
        if self.checkpointer is not None:
            self.checkpointer.request()

    # -- the clock's floor (kiosk.services.clock_guard) --------------------------------

    def clock_floor(self) -> str | None:
        """The latest time this till has known (stored floor or last journal record)."""
        return clock_floor.floor(self.conn)

    def remember_time(self, at: str, *, synchronised: bool) -> None:
        clock_floor.remember(self.conn, at, synchronised=synchronised)

    def close(self) -> None:
        if self.checkpointer is not None:
            self.checkpointer.stop()
        if self._owns_conn:
            self.conn.close()
