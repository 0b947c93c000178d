"""A store's shop settings: opening hours, pickup and delivery, the delivery fee, paying
at pickup, and how long an order may wait unreceived before the owner is told.

Stored as one JSON document per store (``shop_settings``); every key has a default, so a
store sells online as soon as its catalog is known. ``hours`` maps ``mon``..``sun`` to
``"HH:MM-HH:MM"`` in the store's ``timezone``; an empty map means always open, a day
missing from a non-empty map means closed that day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa

from fleet.storage import repository
from fleet.storage.shop_schema import shop_settings
from kiosk.contract.messages import utc_now_iso

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULTS: dict[str, Any] = {
    "name": "",
    "open": True,  # the shop takes orders at all
    "hours": {},
    "timezone": "Asia/Jakarta",
    "pickup": True,
    "delivery": False,
    "delivery_fee": 0,
    "pay_at_pickup": True,
    "pay_online": True,
    "not_received_minutes": 10,
    "few_left": 5,
    "whatsapp": "",
}
_SPAN = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


def check(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` merged over the defaults, each checked; SettingsError names a bad one."""
    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise SettingsError(f"unknown shop settings {unknown}; known: {sorted(DEFAULTS)}")
    merged = {**DEFAULTS, **values}
    for key in ("open", "pickup", "delivery", "pay_at_pickup", "pay_online"):
        if not isinstance(merged[key], bool):
            raise SettingsError(f"{key}: expected true or false")
    for key, high in (("delivery_fee", 10**9), ("not_received_minutes", 7 * 24 * 60),
                      ("few_left", 10**6)):  # fmt: skip
        value = merged[key]
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= high:
            raise SettingsError(f"{key}: expected a whole number 0..{high}")
    try:
        ZoneInfo(str(merged["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(f"timezone: {merged['timezone']!r} is not an IANA name") from None
    hours = merged["hours"]
    if not isinstance(hours, dict):
        raise SettingsError('hours: expected {"mon": "08:00-21:00", ...}')
    for day, span in hours.items():
        if day not in DAYS or not isinstance(span, str) or not _SPAN.match(span):
            raise SettingsError(f"hours.{day}: expected a day mon..sun and HH:MM-HH:MM")
    if not merged["pickup"] and not merged["delivery"]:
        raise SettingsError("pickup, delivery: at least one must be offered")
    for key in ("name", "whatsapp"):
        if not isinstance(merged[key], str) or len(merged[key]) > 100:
            raise SettingsError(f"{key}: expected text up to 100 characters")
    return merged


def load(conn: sa.Connection, store_id: str) -> dict[str, Any]:
    body = conn.execute(
        sa.select(shop_settings.c.body).where(shop_settings.c.store_id == store_id)
    ).scalar()
    return {**DEFAULTS, **(json.loads(body) if body else {})}


def save(conn: sa.Connection, store_id: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """Change some settings (checked together with the rest); the whole document."""
    current = {k: v for k, v in load(conn, store_id).items() if k in DEFAULTS}
    merged = check({**current, **values})
    row = {"store_id": store_id, "body": json.dumps(merged, sort_keys=True),
           "updated_at": utc_now_iso()}  # fmt: skip
    repository.upsert(conn, shop_settings, row, ("store_id",))
    return merged


def _parse_span(span: str) -> tuple[time, time]:
    start, end = span.split("-")
    h1, m1 = map(int, start.split(":"))
    h2, m2 = map(int, end.split(":"))
    return time(h1, m1), (time(23, 59, 59) if h2 == 24 else time(h2, m2))


def is_open(values: Mapping[str, Any], now: datetime) -> bool:
    """Whether the shop takes orders at ``now`` (aware)."""
    if not values["open"]:
        return False
    hours = values["hours"]
    if not hours:
        return True
    local = now.astimezone(ZoneInfo(values["timezone"]))
    span = hours.get(DAYS[local.weekday()])
    if span is None:
        return False
    start, end = _parse_span(span)
    return start <= local.time() < end
