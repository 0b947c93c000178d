"""The kiosk list: every kiosk of every store with what the dashboard shows about it.

Online/offline is the retained status (birth and last will) as ingest stored it; the
outbox figures come from the kiosk's latest health document; open alerts are the
uncleared ones; the journal flag is what ingest found walking the kiosk's chain.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa

from fleet.services.users import Access
from fleet.storage import schema
from fleet.storage.shop_schema import shop_settings

DEFAULT_TIMEZONE = "Asia/Jakarta"  # as the shop settings' default (fleet/shop/settings.py)


def _outbox(health_text: str) -> tuple[int | None, int | None]:
    """(depth, age in seconds of the oldest unsent row) from a health document."""
    try:
        outbox = json.loads(health_text or "{}").get("outbox") or {}
    except (ValueError, AttributeError):
        return None, None
    depth, age = outbox.get("depth"), outbox.get("oldest_age_s")
    return (int(depth) if depth is not None else None, int(age) if age is not None else None)


WATCHED = ("printer", "scanner", "drawer")  # the devices the kiosk list has a column for


def _devices(health_text: str) -> dict[str, dict[str, Any] | None]:
    """The first printer, scanner and drawer of the latest health document, each as
    ``{"state", "reason", "paper", "open"}`` (None where the kiosk has no such device or
    no health came yet); ``paper`` and ``open`` are only what the driver could tell."""
    try:
        listed = json.loads(health_text or "{}").get("devices") or []
    except (ValueError, AttributeError):
        listed = []
    found: dict[str, dict[str, Any] | None] = dict.fromkeys(WATCHED)
    for device in listed if isinstance(listed, list) else []:
        kind = device.get("kind") if isinstance(device, dict) else None
        if kind not in WATCHED or found[kind] is not None:
            continue
        detail = device.get("detail") if isinstance(device.get("detail"), dict) else {}
        is_open = detail.get("open")
        found[kind] = {
            "state": str(device.get("state") or ""), "reason": str(device.get("reason") or ""),
            "paper": str(detail.get("paper") or ""),
            "open": is_open if isinstance(is_open, bool) else None,
        }  # fmt: skip
    return found


def kiosk_list(
    conn: sa.Connection, store_id: str | None = None, *, access: Access | None = None
) -> list[dict[str, Any]]:
    """One row per kiosk, by store then device; with ``access``, only its stores (asking
    for one store it may not see is refused)."""
    d, a, j = schema.devices, schema.alerts, schema.device_journals
    open_alerts = (
        sa.select(
            a.c.store_id,
            a.c.device_id,
            sa.func.count().label("n"),
            sa.func.min(a.c.at).label("oldest"),
        )
        .where(a.c.cleared.is_(False))
        .group_by(a.c.store_id, a.c.device_id)
        .subquery()
    )
    query = (
        sa.select(
            d.c.store_id,
            d.c.device_id,
            d.c.state,
            d.c.state_at,
            d.c.version,
            d.c.last_seen,
            d.c.health,
            open_alerts.c.n,
            open_alerts.c.oldest,
            j.c.broken,
            j.c.problem,
        )
        .select_from(
            d.outerjoin(
                open_alerts,
                (open_alerts.c.store_id == d.c.store_id)
                & (open_alerts.c.device_id == d.c.device_id),
            ).outerjoin(j, (j.c.store_id == d.c.store_id) & (j.c.device_id == d.c.device_id))
        )
        .order_by(d.c.store_id, d.c.device_id)
    )
    if store_id is not None:
        if access is not None:
            access.check_store(store_id)
        query = query.where(d.c.store_id == store_id)
    if access is not None and access.stores is not None:
        query = query.where(d.c.store_id.in_(sorted(access.stores)))
    rows = []
    zones, names = store_timezones(conn), store_names(conn)
    for r in conn.execute(query):
        depth, age = _outbox(r.health)
        rows.append({
            "store_id": r.store_id, "store_name": names.get(r.store_id, r.store_id),
            "device_id": r.device_id, "online": r.state == "online",
            "state": r.state, "state_at": r.state_at, "version": r.version,
            "last_seen": r.last_seen, "outbox_depth": depth, "outbox_oldest_age_s": age,
            "open_alerts": int(r.n or 0), "oldest_alert_at": r.oldest,
            "journal_broken": bool(r.broken), "journal_problem": r.problem or "",
            "timezone": zones.get(r.store_id, DEFAULT_TIMEZONE),
            "has_health": bool(r.health and r.health != "{}"), "devices": _devices(r.health),
        })  # fmt: skip
    return rows


def store_timezone(conn: sa.Connection, store_id: str) -> str:
    """The store's time zone (its shop settings', else WIB)."""
    return store_timezones(conn).get(store_id, DEFAULT_TIMEZONE)


def store_name(conn: sa.Connection, store_id: str) -> str:
    """The store's name as its owner knows it (its shop settings' ``name``), else its id."""
    body = conn.execute(
        sa.select(shop_settings.c.body).where(shop_settings.c.store_id == store_id)
    ).scalar()
    return _name(_settings_doc(body)) or store_id


def store_names(conn: sa.Connection) -> dict[str, str]:
    """Each store's name where its shop settings give one (the rest are known by id)."""
    return {store_id: name for store_id, doc in _shop_settings(conn) if (name := _name(doc))}


def store_timezones(conn: sa.Connection) -> dict[str, str]:
    """Each store's time zone where its shop settings name one (the rest are WIB)."""
    zones = {}
    for store_id, doc in _shop_settings(conn):
        zone = doc.get("timezone")
        if isinstance(zone, str) and zone:
            zones[store_id] = zone
    return zones


def _shop_settings(conn: sa.Connection) -> Iterator[tuple[str, dict[str, Any]]]:
    for store_id, body in conn.execute(sa.select(shop_settings.c.store_id, shop_settings.c.body)):
        yield str(store_id), _settings_doc(body)


def _settings_doc(body: str | None) -> dict[str, Any]:
    try:
        doc = json.loads(body) if body else {}
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def _name(doc: dict[str, Any]) -> str:
    name = doc.get("name")
    return name if isinstance(name, str) and name.strip() else ""


def stores(conn: sa.Connection, *, access: Access | None = None) -> list[str]:
    """Every store the fleet has heard of (a kiosk or a sale), or those ``access`` sees."""
    d, s = schema.devices, schema.sales
    known = sa.union(sa.select(d.c.store_id), sa.select(s.c.store_id).distinct()).subquery()
    found = [
        str(x)
        for x in conn.execute(sa.select(known.c.store_id).order_by(known.c.store_id)).scalars()
    ]
    return found if access is None else access.visible(found)
