"""How the dashboard shows times and ages to a person: a moment in the store's own time
zone ("27 Nov 13.05 WIB"), an age in the words of the page's language ("1 j 30 mnt",
"1 h 30 min"), never raw UTC stamps or a count of seconds. The kiosk list page and its
live events both use these, so a refreshed row reads as the first one did."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_time

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


def shown(row: dict[str, Any], lang: str, now: datetime | None = None) -> dict[str, str]:
    """A kiosk row's times and ages as the page shows them."""
    zone = str(row.get("timezone") or DEFAULT_ZONE)
    return {
        "last_seen": local_time(str(row.get("last_seen") or ""), zone, lang, now),
        "outbox_oldest_age": age(row.get("outbox_oldest_age_s"), lang),
        "oldest_alert_age": age(age_since(row.get("oldest_alert_at"), now), lang),
    }
