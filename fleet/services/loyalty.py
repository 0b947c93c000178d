"""Loyalty balances confirmed back to the kiosks (``cmd/points``).

Every kiosk publishes each points move as it books it; ingest keeps them per member
(``member_points``). A member's balance is the sum over every store. After a batch of
moves is stored, each store where the member has points gets one store-wide command
with the balance and, per kiosk of that store, the journal seq of the last of its moves
counted (``seen``), so a till spends offline only the confirmed balance less what it
took off after that (kiosk.services.loyalty). A kiosk's outbox sends its moves in order,
so every move up to ``seen`` is counted. A confirmation lost on the way is made good by
the member's next move; an older one arriving late is ignored by the kiosk (``as_of``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

import sqlalchemy as sa

from fleet.storage import schema
from kiosk.contract import topics
from kiosk.contract.messages import command_doc, utc_now_iso

Publish = Callable[[str, bytes], None]
ALL = "all"
CHUNK = 500  # members per command, well inside the contract's 10,000


def balances(conn: sa.Connection, member_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per member: ``balance`` (all stores) and ``seen`` {store: {device: last seq}}."""
    m = schema.member_points
    wanted = sorted(set(member_ids))
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(wanted), CHUNK):
        query = (
            sa.select(
                m.c.member_id,
                m.c.store_id,
                m.c.device_id,
                sa.func.sum(m.c.points),
                sa.func.max(m.c.seq),
            )
            .where(m.c.member_id.in_(wanted[start : start + CHUNK]))
            .group_by(m.c.member_id, m.c.store_id, m.c.device_id)
        )
        for member_id, store_id, device_id, points, last_seq in conn.execute(query):
            entry = found.setdefault(member_id, {"balance": 0, "seen": {}})
            entry["balance"] += int(points)
            entry["seen"].setdefault(store_id, {})[device_id] = int(last_seq)
    return found


def confirmations(
    conn: sa.Connection, member_ids: Iterable[str], as_of: str
) -> list[tuple[str, dict[str, Any]]]:
    """(store, cmd/points body) for each store where one of the members has points."""
    per_store: dict[str, list[dict[str, Any]]] = {}
    for member_id, entry in sorted(balances(conn, member_ids).items()):
        for store_id, seen in sorted(entry["seen"].items()):
            per_store.setdefault(store_id, []).append(
                {"member_id": member_id, "balance": entry["balance"], "seen": seen}
            )
    return [
        (store_id, {"as_of": as_of, "balances": rows[start : start + CHUNK]})
        for store_id, rows in sorted(per_store.items())
        for start in range(0, len(rows), CHUNK)
    ]


def confirm(engine: sa.Engine, publish: Publish, member_ids: Iterable[str]) -> int:
    """Send the members' balances to their stores' kiosks; how many commands went out."""
    with engine.connect() as conn:
        bodies = confirmations(conn, member_ids, utc_now_iso())
    for store_id, body in bodies:
        doc = command_doc("points", body, issued_at=body["as_of"], issued_by="fleet")
        publish(topics.command(store_id, ALL, "points"), json.dumps(doc).encode())
    return len(bodies)


def members_in(deliveries: Iterable[tuple[str, bytes]]) -> set[str]:
    """The members whose points moves are among ``deliveries`` (topic, payload)."""
    members = set()
    for topic, payload in deliveries:
        if not topic.endswith("/event") or b'"points"' not in payload:
            continue
        try:
            doc = json.loads(payload)
            if doc.get("kind") == "points":
                members.add(str(doc["payload"]["member_id"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # quarantined by ingest with its reason
    return members
