"""Writing what kiosks report, idempotently by each document's id, on either engine."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from fleet.storage import sale_pairs, schema
from kiosk.domain.sale import void_totals


# Statements are built once per (engine kind, table, columns) and executed with bound
# parameters: a statement with its values inlined is re-keyed for SQLAlchemy's compiled
# cache on every call, which cost more than the database work (measured ~10x per sale).
@functools.cache
def _ignore_statement(dialect_name: str, table: sa.Table, returning: bool) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table).on_conflict_do_nothing()
    return statement.returning(*table.primary_key.columns) if returning else statement


@functools.cache
def _upsert_statement(
    dialect_name: str, table: sa.Table, columns: tuple[str, ...], keys: tuple[str, ...]
) -> Any:
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    statement = dialect.insert(table)
    changed = {k: statement.excluded[k] for k in columns if k not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changed)


@functools.cache
def _stock_level_statement(dialect_name: str) -> Any:
    """Insert a sku's level, or update it only when the stored figure is not newer: a
    redelivered old snapshot never wins (ISO stamps compare as text)."""
    dialect = postgresql if dialect_name == "postgresql" else sqlite
    levels = schema.stock_levels
    statement = dialect.insert(levels)
    return statement.on_conflict_do_update(
        index_elements=["store_id", "device_id", "sku"],
        set_={"qty": statement.excluded.qty, "at": statement.excluded.at},
        where=levels.c.at <= statement.excluded.at,
    )


def _insert_ignore(conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> int:
    """Insert ``rows``, skipping any whose key is already stored. Returns whether the
    first row was added, told by RETURNING (psycopg reports no row count here)."""
    if not rows:
        return 0
    name = conn.dialect.name
    added = conn.execute(_ignore_statement(name, table, True), rows[0]).first() is not None
    if len(rows) > 1:
        conn.execute(_ignore_statement(name, table, False), rows[1:])
    return int(added)


def upsert(conn: sa.Connection, table: sa.Table, row: dict[str, Any], keys: Iterable[str]) -> None:
    statement = _upsert_statement(conn.dialect.name, table, tuple(row), tuple(keys))
    conn.execute(statement, row)


class Partitions:
    """On PostgreSQL, the month partitions of the sales tables, made before first use."""

    def __init__(self) -> None:
        self._made: set[str] = set()

    def ensure(self, conn: sa.Connection, day: date) -> None:
        if conn.dialect.name != "postgresql":
            return
        month = f"{day.year:04d}m{day.month:02d}"
        if month in self._made:
            return
        start = day.replace(day=1)
        end = (
            start.replace(year=start.year + 1, month=1)
            if start.month == 12
            else start.replace(month=start.month + 1)
        )
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(71501)"))  # one creator at a time
        for table in schema.PARTITIONED:
            conn.execute(
                sa.text(
                    f"CREATE TABLE IF NOT EXISTS {table}_y{month} PARTITION OF {table} "
                    f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
            )
        self._made.add(month)


def store_sale(
    conn: sa.Connection, doc: Mapping[str, Any], *, received_at: str, partitions: Partitions,
    pairs: sale_pairs.Counts | None = None,
) -> bool:  # fmt: skip
    """Store a validated ``sale`` document; False when its sale id is already stored. Its
    products bought together are counted at once, or into ``pairs`` when the caller
    writes a batch's in one statement before it commits."""
    day = date.fromisoformat(doc["business_date"])
    partitions.ensure(conn, day)
    key = {"business_date": day, "sale_id": doc["sale_id"]}
    extra = doc.get("extra") or {}
    void_count, void_amount = void_totals(extra)  # checked by ingest before it gets here
    added = _insert_ignore(
        conn,
        schema.sales,
        [
            key
            | {
                "store_id": doc["store_id"],
                "device_id": doc["device_id"],
                "receipt_no": doc["receipt_no"],
                "created_at": doc["created_at"],
                "received_at": received_at,
                "total": doc["total"],
                "discount_total": doc["discount_total"],
                "cash_rounding": doc["cash_rounding"],
                "payable": doc["payable"],
                "cashier": doc.get("cashier", ""),
                "member_id": doc.get("member_id", ""),
                "mode": doc.get("mode", ""),
                "channel": str(extra.get("channel", "store"))
                if isinstance(extra, dict)
                else "store",
                "journal_hash": str(doc.get("journal_hash", "")),
                "void_count": void_count,
                "void_amount": void_amount,
                "body": json.dumps(doc, sort_keys=True, separators=(",", ":")),
            }
        ],
    )
    if not added:
        return False
    store = {"store_id": doc["store_id"]}
    _insert_ignore(
        conn,
        schema.sale_lines,
        [
            key
            | store
            | {
                "line_no": line["line_no"],
                "sku": line["sku"],
                "name": line["name"],
                "category": line.get("category", ""),
                "qty": line["qty"],
                "weight_g": line.get("weight_g") or 0,
                "unit_price": line["unit_price"],
                "gross": line["gross"],
                "discount": line["discount"],
                "amount": line["amount"],
            }
            for line in doc["lines"]
        ],
    )
    _insert_ignore(
        conn,
        schema.sale_tenders,
        [
            key
            | store
            | {
                "seq": seq,
                "method": t["method"],
                "amount": t["amount"],
                "reference": t.get("reference", ""),
            }
            for seq, t in enumerate(doc["tenders"], start=1)
        ],
    )
    _insert_ignore(
        conn,
        schema.sale_taxes,
        [
            key
            | store
            | {
                "rate_percent": str(t["rate_percent"]),
                "taxable": t["taxable"],
                "dpp": t["dpp"],
                "ppn": t["ppn"],
            }
            for t in doc.get("taxes", [])
        ],
    )
    lines = ((line["sku"], line["name"]) for line in doc["lines"])
    if pairs is None:
        sale_pairs.count_sale(conn, doc["store_id"], day, lines)
    else:
        pairs.add(doc["store_id"], day, lines)
    return True


def store_alert(conn: sa.Connection, doc: Mapping[str, Any]) -> bool:
    return bool(
        _insert_ignore(
            conn,
            schema.alerts,
            [
                {
                    "alert_id": doc["alert_id"],
                    "store_id": doc["store_id"],
                    "device_id": doc["device_id"],
                    "kind": doc["kind"],
                    "severity": doc["severity"],
                    "message": doc["message"],
                    "at": doc["at"],
                    "cleared": bool(doc.get("cleared", False)),
                    "body": json.dumps(doc, sort_keys=True),
                }
            ],
        )
    )


def store_stock(conn: sa.Connection, doc: Mapping[str, Any]) -> bool:
    """A stock change or snapshot; the latest figure per sku is kept beside the event."""
    added = _insert_ignore(
        conn,
        schema.stock_events,
        [
            {
                "stock_id": doc["stock_id"],
                "store_id": doc["store_id"],
                "device_id": doc["device_id"],
                "kind": doc["kind"],
                "at": doc["at"],
                "body": json.dumps(doc, sort_keys=True),
            }
        ],
    )
    if not added:
        return False
    rows = [{"store_id": doc["store_id"], "device_id": doc["device_id"], "sku": item["sku"],
             "qty": item["qty"], "at": doc["at"]} for item in doc["items"]]  # fmt: skip
    if rows:  # one statement for every item (no SELECT per item)
        conn.execute(_stock_level_statement(conn.dialect.name), rows)
    return True


def store_status(conn: sa.Connection, doc: Mapping[str, Any], *, received_at: str) -> None:
    row = {"store_id": doc["store_id"], "device_id": doc["device_id"], "state": doc["state"],
           "state_at": doc.get("at") or received_at, "state_reason": doc.get("reason", ""),
           "last_seen": received_at}  # fmt: skip
    if doc.get("version"):
        row["version"] = doc["version"]
    upsert(conn, schema.devices, row, ("store_id", "device_id"))


def store_health(conn: sa.Connection, doc: Mapping[str, Any], *, received_at: str) -> None:
    row = {"store_id": doc["store_id"], "device_id": doc["device_id"],
           "health": json.dumps(doc, sort_keys=True), "health_at": doc["at"],
           "version": doc.get("version", ""), "last_seen": received_at}  # fmt: skip
    upsert(conn, schema.devices, row, ("store_id", "device_id"))


def quarantine(conn: sa.Connection, topic: str, payload: bytes, reason: str, at: str) -> None:
    conn.execute(
        sa.insert(schema.quarantine).values(
            topic=topic[:300], payload=payload, reason=reason[:4000], received_at=at
        )
    )


def event_day(doc: Mapping[str, Any]) -> date | None:
    """An event's business day: its payload's ``business_date`` as the kiosk writes it
    (YYYY-MM-DD; the kiosk's Z compares it as that text, so no other spelling counts)."""
    payload = doc.get("payload")
    said = payload.get("business_date") if isinstance(payload, dict) else None
    try:
        day = date.fromisoformat(said) if isinstance(said, str) else None
    except ValueError:
        return None
    return day if day is not None and day.isoformat() == said else None


def store_event(conn: sa.Connection, doc: Mapping[str, Any], *, event_id: str,
                store_id: str, device_id: str) -> bool:  # fmt: skip
    """A journaled event (void, no-sale, suspend...); ``event_id`` is its message id."""
    row = {"event_id": event_id, "store_id": store_id, "device_id": device_id,
           "kind": doc["kind"], "at": doc["at"], "business_date": event_day(doc),
           "body": json.dumps(doc, sort_keys=True)}  # fmt: skip
    return bool(_insert_ignore(conn, schema.events, [row]))


def store_result(conn: sa.Connection, doc: Mapping[str, Any]) -> bool:
    """A kiosk's answer to a command; a redelivery (same command, same device) is kept once."""
    row = {"command_id": doc["command_id"], "device_id": doc["device_id"],
           "store_id": doc["store_id"], "ok": doc["ok"], "at": doc["at"],
           "body": json.dumps(doc, sort_keys=True)}  # fmt: skip
    return bool(_insert_ignore(conn, schema.command_results, [row]))


def store_points(
    conn: sa.Connection, event_id: str, store_id: str, device_id: str, doc: Mapping[str, Any]
) -> None:
    """A validated ``points`` event's move (kiosk.contract.points), once per event id."""
    payload = doc["payload"]
    _insert_ignore(conn, schema.member_points, [{
        "event_id": event_id, "member_id": payload["member_id"], "store_id": store_id,
        "device_id": device_id, "seq": int((doc.get("journal") or {}).get("seq") or 0),
        "points": int(payload["points"]), "at": doc["at"],
    }])  # fmt: skip
