"""Following each device's hash-chained journal through the messages that carry a link.

A sale message is its journal record's payload with ``journal`` (``seq``, ``hash``,
``prev_hash``) appended as the last key, an event message carries the record's fields
beside its link (docs/messages.md). The fleet recomputes each hash from the content and
keeps every link, so per device it can say:

- a *gap*: records between the first and last seq it saw that it never received. A lost
  message shows here, and so does a record the kiosk journals without publishing (its
  back-office changes: staff, stock, settings, catalog versions; voids are published):
  the count is what the dashboard shows, not a verdict;
- a *fork*: two different records with one seq, or a record whose ``prev_hash`` is not
  its stored predecessor's hash (the device's journal was rewritten or restored);
- a *bad hash*: the content does not hash to the link it carries (edited on the way).

Fork and bad-hash counts make the device's journal ``broken``; gaps alone do not.
Runs in the transaction that stores the message, so a redelivery changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from fleet.storage import schema
from fleet.storage.repository import upsert
from kiosk.contract.journal_hash import record_hash
from kiosk.contract.schemas import encode

LINK_KEY = b',"journal":'
_L, _J = schema.journal_links, schema.device_journals
# Built once, run with bound parameters (SQLAlchemy caches their compiled form).
_AROUND = sa.select(_L.c.seq, _L.c.hash, _L.c.prev_hash).where(
    _L.c.store_id == sa.bindparam("store"),
    _L.c.device_id == sa.bindparam("device"),
    _L.c.seq.between(sa.bindparam("seq") - 1, sa.bindparam("seq") + 1),
)
_STATE = sa.select(_J).where(
    _J.c.store_id == sa.bindparam("store"), _J.c.device_id == sa.bindparam("device")
)


def sale_record_hash(payload: bytes, doc: Mapping[str, Any]) -> str:
    """The hash of the journal record a sale message was cut from (its bytes before the
    appended ``journal`` key are the record's payload)."""
    cut = payload.rfind(LINK_KEY)
    body = payload[:cut].decode("utf-8") + "}" if cut > 0 else ""
    link = doc["journal"]
    return record_hash(
        link["prev_hash"], (link["seq"], "sale", doc["sale_id"], doc["created_at"], body)
    )


def event_record_hash(doc: Mapping[str, Any]) -> str:
    link = doc["journal"]
    payload = encode(doc.get("payload") or {})
    entry = (link["seq"], doc["kind"], doc.get("ref", ""), doc["at"], payload)
    return record_hash(link["prev_hash"], entry)


def follow(
    conn: sa.Connection, store_id: str, device_id: str, *, kind: str, ref: str,
    link: Mapping[str, Any], computed_hash: str, at: str,
) -> list[str]:  # fmt: skip
    """Record one link; returns the problems it shows (empty when it extends the chain)."""
    seq, digest, prev = int(link["seq"]), str(link["hash"]), str(link["prev_hash"])
    rows = conn.execute(_AROUND, {"store": store_id, "device": device_id, "seq": seq})
    around = {row.seq: row for row in rows}
    problems: list[str] = []
    if computed_hash != digest:
        problems.append(f"bad hash: record {seq} does not hash to its link")
    same = around.get(seq)
    if same is not None:
        if same.hash != digest:
            problems.append(f"fork: two different records with seq {seq}")
        return _note(conn, store_id, device_id, problems, at, new_seq=None)
    before, after = around.get(seq - 1), around.get(seq + 1)
    if before is not None and before.hash != prev:
        problems.append(f"fork: record {seq} does not follow record {seq - 1}")
    if after is not None and after.prev_hash != digest:
        problems.append(f"fork: record {seq + 1} does not follow record {seq}")
    conn.execute(sa.insert(schema.journal_links), {"store_id": store_id, "device_id": device_id,
                 "seq": seq, "hash": digest, "prev_hash": prev, "kind": kind[:40],
                 "ref": ref[:200]})  # fmt: skip
    return _note(conn, store_id, device_id, problems, at, new_seq=seq)


def _note(
    conn: sa.Connection, store_id: str, device_id: str, problems: list[str], at: str,
    *, new_seq: int | None,
) -> list[str]:  # fmt: skip
    table = schema.device_journals
    row = conn.execute(_STATE, {"store": store_id, "device": device_id}).first()
    fresh = {"store_id": store_id, "device_id": device_id, "first_seq": new_seq or 0,
             "last_seq": new_seq or 0, "links": 0, "gaps": 0, "forks": 0, "bad_hashes": 0,
             "broken": False, "problem": "", "problem_at": ""}  # fmt: skip
    state: dict[str, Any] = dict(row._mapping) if row is not None else fresh
    if new_seq is not None:
        state["links"] += 1
        state["first_seq"] = min(state["first_seq"] or new_seq, new_seq)
        state["last_seq"] = max(state["last_seq"], new_seq)
        state["gaps"] = state["last_seq"] - state["first_seq"] + 1 - state["links"]
    state["forks"] += sum(p.startswith("fork") for p in problems)
    state["bad_hashes"] += sum(p.startswith("bad hash") for p in problems)
    state["broken"] = bool(state["forks"] or state["bad_hashes"])
    if problems:
        state["problem"], state["problem_at"] = "; ".join(problems)[:4000], at
    upsert(conn, table, state, ("store_id", "device_id"))
    return problems
