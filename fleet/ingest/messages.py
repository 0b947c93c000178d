"""One delivery -> the fleet's tables: validate with the contract, store idempotently by
the document's id, or quarantine it with the reason. No broker here, so tests and the
bench drive it directly; the worker calls it inside the transaction it acknowledges after.
"""

from __future__ import annotations

from typing import Any, Literal

import sqlalchemy as sa

from fleet.ingest import chain
from fleet.shop import order_status
from fleet.storage import repository, sale_pairs, schema
from kiosk.contract import topics
from kiosk.contract.schemas import decode, validate, validate_result
from kiosk.domain.sale import void_totals

Outcome = Literal["new", "duplicate", "quarantined"]
KINDS = ("sale", "alert", "stock", "event", "status", "health", "order")
MAX_PAYLOAD = 8 * 1024 * 1024
# Everything a kiosk publishes, as subscription filters.
FILTERS = (
    *(f"{topics.ROOT}/+/+/{kind}" for kind in KINDS),
    f"{topics.ROOT}/+/+/cmd/+/result",
)


def kind_of(suffix: str) -> str | None:
    if suffix in KINDS:
        return suffix
    pieces = suffix.split("/")
    if len(pieces) == 3 and pieces[0] == "cmd" and pieces[2] == "result":
        return "result"
    return None


def _check(topic: str, payload: bytes) -> tuple[str, Any, list[str]]:
    """(kind, document, errors) of one delivery."""
    parsed = topics.parse(topic)
    kind = kind_of(parsed.suffix) if parsed else None
    if parsed is None or kind is None:
        return "", None, [f"topic {topic} is not one a kiosk publishes"]
    doc, errors = decode(payload, MAX_PAYLOAD)
    if errors:
        return kind, doc, errors
    errors = validate_result(doc) if kind == "result" else validate(kind, doc)
    if errors:
        return kind, doc, errors
    said = (doc.get("store_id", parsed.store_id), doc.get("device_id") or parsed.device_id)
    if said != (parsed.store_id, parsed.device_id):
        return kind, doc, [f"topic {topic} does not match the {kind}'s store/device"]
    if kind == "sale":
        try:  # the kiosk refuses such a sale before it is written; a forged one stops here
            void_totals(doc.get("extra") or {})
        except (ValueError, TypeError, AttributeError) as err:
            return kind, doc, [f"extra: {err}"]
    return kind, doc, []


def store_message(
    conn: sa.Connection,
    topic: str,
    payload: bytes,
    *,
    received_at: str,
    partitions: repository.Partitions,
    pairs: sale_pairs.Counts | None = None,
) -> Outcome:
    """Store one delivery inside the caller's transaction; never raises for bad input.
    With ``pairs``, a new sale's products bought together are left there for the caller
    to write with the rest of its batch (``pairs.flush``) before it commits."""
    kind, doc, errors = _check(topic, payload)
    if errors:
        repository.quarantine(conn, topic, payload, "; ".join(errors), received_at)
        return "quarantined"
    parsed = topics.parse(topic)
    assert parsed is not None  # _check said so
    store_id, device_id = parsed.store_id, parsed.device_id
    if kind == "sale":
        added = repository.store_sale(conn, doc, received_at=received_at, partitions=partitions,
                                      pairs=pairs)  # fmt: skip
        if added and doc.get("journal"):
            chain.follow(conn, store_id, device_id, kind="sale", ref=doc["sale_id"],
                         link=doc["journal"], computed_hash=chain.sale_record_hash(payload, doc),
                         at=received_at)  # fmt: skip
    elif kind == "event":
        link = doc.get("journal")
        event_id = (f"{device_id}:journal:{link['seq']}" if link
                    else f"{device_id}:{doc['kind']}:{doc['at']}:{doc.get('ref', '')}")  # fmt: skip
        added = repository.store_event(conn, doc, event_id=event_id[:64], store_id=store_id,
                                       device_id=device_id)  # fmt: skip
        if added and doc["kind"] == "points":  # checked by its contract model
            repository.store_points(conn, event_id[:64], store_id, device_id, doc)
        if added and link:
            chain.follow(conn, store_id, device_id, kind=doc["kind"], ref=doc.get("ref", ""),
                         link=link, computed_hash=chain.event_record_hash(doc),
                         at=received_at)  # fmt: skip
    elif kind == "alert":
        added = repository.store_alert(conn, doc)
    elif kind == "stock":
        added = repository.store_stock(conn, doc)
    elif kind == "result":
        added = repository.store_result(conn, doc)
    elif kind == "order":
        added = order_status.apply_status(conn, doc)
    elif kind == "status":
        repository.store_status(conn, doc, received_at=received_at)
        added = True
    else:
        repository.store_health(conn, doc, received_at=received_at)
        added = True
    return "new" if added else "duplicate"


def store_sale(
    conn: sa.Connection, topic: str, payload: bytes, *, received_at: str,
    partitions: repository.Partitions | None = None,
) -> Outcome:  # fmt: skip
    """A ``sale`` delivery (what the old SQLite ingest offered), for tests without a broker."""
    return store_message(conn, topic, payload, received_at=received_at,
                         partitions=partitions or repository.Partitions())  # fmt: skip


def quarantined(conn: sa.Connection) -> list[tuple[str, bytes, str]]:
    """(topic, payload, reason) of every quarantined delivery, oldest first."""
    q = schema.quarantine
    rows = conn.execute(sa.select(q.c.topic, q.c.payload, q.c.reason).order_by(q.c.id))
    return [(r.topic, bytes(r.payload), r.reason) for r in rows]


def sale_ids(conn: sa.Connection, device_id: str | None = None) -> list[str]:
    """Stored sale ids in order of arrival (optionally one device's)."""
    s = schema.sales
    query = sa.select(s.c.sale_id).order_by(s.c.received_at, s.c.receipt_no)
    if device_id is not None:
        query = query.where(s.c.device_id == device_id)
    return list(conn.execute(query).scalars())


def sale_count(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(schema.sales)).scalar_one())


def journal_state(conn: sa.Connection, store_id: str, device_id: str) -> dict[str, Any] | None:
    t = schema.device_journals
    row = conn.execute(
        sa.select(t).where(t.c.store_id == store_id, t.c.device_id == device_id)
    ).first()
    return None if row is None else dict(row._mapping)
