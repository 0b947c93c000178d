"""How the dashboard shows times and ages to a person: a moment in the store's own time
zone ("27 Nov 13.05 WIB"), an age in the words of the page's language ("1 j 30 mnt",
"1 h 30 min"), never raw UTC stamps or a count of seconds. The kiosk list page and its
live events both use these, so a refreshed row reads as the first one did."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

from fleet.web.i18n import TEXTS
from kiosk.domain.money import format_rupiah

DEFAULT_ZONE = "Asia/Jakarta"
# (seconds, id unit, en unit), largest first: an age shows its largest unit and the next.
UNITS = ((86400, "hr", "d"), (3600, "j", "h"), (60, "mnt", "min"), (1, "dtk", "s"))


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def _parse(stamp: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(stamp: str, zone: str, lang: str, now: datetime | None = None) -> str:
    """``stamp`` (ISO, UTC) in the store's zone: the time alone today, else with the day
    (and the year when it is not this year); "" for an empty or unreadable stamp."""
    moment = _parse(stamp) if stamp else None
    if moment is None:
        return ""
    tz = _zone(zone)
    local, today = moment.astimezone(tz), (now or datetime.now(UTC)).astimezone(tz)
    # 24-hour as on the till; Indonesian writes 13.05, English 13:05.
    clock = (
        f"{format_time(local, 'HH.mm' if lang == 'id' else 'HH:mm', locale=lang)} {local.tzname()}"
    )
    if local.date() == today.date():
        return clock
    pattern = "d MMM" if local.year == today.year else "d MMM yyyy"
    return f"{format_date(local, pattern, locale=lang)} {clock}"


def age(seconds: int | None, lang: str) -> str:
    """``5400`` -> "1 j 30 mnt" (id) or "1 h 30 min" (en); "" when unknown."""
    if seconds is None:
        return ""
    left = max(int(seconds), 0)
    index = next((i for i, unit in enumerate(UNITS) if left >= unit[0]), len(UNITS) - 1)
    names = [(size, word_id if lang == "id" else word_en) for size, word_id, word_en in UNITS]
    size, word = names[index]
    text = f"{left // size} {word}"
    if index + 1 < len(names):  # the next smaller unit, when there is some of it
        small, small_word = names[index + 1]
        rest = (left % size) // small
        if rest:
            text += f" {rest} {small_word}"
    return text


def age_since(stamp: str | None, now: datetime | None = None) -> int | None:
    moment = _parse(stamp) if stamp else None
    if moment is None:
        return None
    return int(((now or datetime.now(UTC)) - moment).total_seconds())


def _device_key(kind: str, device: dict[str, Any]) -> str:
    """The word (a TEXTS key) for one device of the health document: what stops a sale
    first (not connected, paper out, a fault), then what is about to (paper low, a drawer
    left open), then the plain state."""
    state, reason = device.get("state"), device.get("reason")
    if state == "offline":
        return "dev_offline"
    if kind == "printer" and (device.get("paper") == "out" or reason == "paper out"):
        return "paper_out"
    if kind == "printer" and reason == "cover open":
        return "cover_open"
    if state == "error":
        return "dev_error"
    if kind == "printer" and device.get("paper") in ("ok", "near_end"):
        return f"paper_{device['paper']}"
    if kind == "drawer" and reason == "left open":
        return "drawer_left_open"
    if kind == "drawer" and device.get("open") is not None:
        return "drawer_open" if device["open"] else "drawer_closed"
    return "dev_busy" if state == "busy" else "dev_ready"


BAD = {"dev_offline", "dev_error", "paper_out", "cover_open", "drawer_left_open"}
WARN = {"paper_near_end"}


def devices_shown(row: dict[str, Any], lang: str) -> dict[str, str]:
    """``printer``, ``scanner``, ``drawer`` in words (blank before the first health
    document, "None" when the kiosk reported no such device) and ``<kind>_class``: "bad"
    when it stops a sale, "warn" when it soon may, else ""."""
    words: dict[str, str] = {}
    devices = row.get("devices") or {}
    for kind in ("printer", "scanner", "drawer"):
        device = devices.get(kind)
        if device is None:
            key = "dev_none" if row.get("has_health") else ""
        else:
            key = _device_key(kind, device)
        words[kind] = TEXTS[key][lang] if key else ""
        words[f"{kind}_class"] = "bad" if key in BAD else "warn" if key in WARN else ""
    return words


def shown(row: dict[str, Any], lang: str, now: datetime | None = None) -> dict[str, str]:
    """A kiosk row's times, ages and device states as the page shows them."""
    zone = str(row.get("timezone") or DEFAULT_ZONE)
    return {
        "last_seen": local_time(str(row.get("last_seen") or ""), zone, lang, now),
        "outbox_oldest_age": age(row.get("outbox_oldest_age_s"), lang),
        "oldest_alert_age": age(age_since(row.get("oldest_alert_at"), now), lang),
        **devices_shown(row, lang),
    }


def receipt_time(stamp: str, zone: str, lang: str) -> str:
    """A receipt's moment in the store's zone, always with its date: "27 Nov 2026 13.01 WIB"."""
    moment = _parse(stamp) if stamp else None
    if moment is None:
        return ""
    local = moment.astimezone(_zone(zone))
    clock = format_time(local, "HH.mm" if lang == "id" else "HH:mm", locale=lang)
    return f"{format_date(local, 'd MMM yyyy', locale=lang)} {clock} {local.tzname()}"


def weight(grams: int, lang: str) -> str:
    """``1250`` -> "1,25 kg" (id) or "1.25 kg" (en)."""
    text = f"{grams / 1000:.3f}".rstrip("0").rstrip(".")
    return f"{text.replace('.', ',') if lang == 'id' else text} kg"


def sale_shown(row: dict[str, Any], lang: str, now: datetime | None = None) -> dict[str, str]:
    """A ticker row's time in its store's zone and its total in rupiah, as on the till."""
    zone = str(row.get("timezone") or DEFAULT_ZONE)
    return {"at": local_time(str(row.get("created_at") or ""), zone, lang, now),
            "total": format_rupiah(int(row.get("total") or 0), lang)}  # fmt: skip
