"""When a kiosk may apply an update: a daily window of local time, ``HH:MM-HH:MM``, that
may wrap midnight (``22:00-04:00``); ``24:00`` ends the day."""

from __future__ import annotations

from datetime import datetime, time

DEFAULT_WINDOW = "01:00-05:00"
# Starts kiosk-update@.service (kiosk update as root, with its self-test and rollback).
DEFAULT_APPLY_COMMAND = "systemctl start --no-block kiosk-update@{wheel}.service"


def parse_window(text: str) -> tuple[time, time]:
    """``"01:00-05:00"`` -> (01:00, 05:00); a window may wrap midnight (``22:00-04:00``);
    ``24:00`` is the end of the day. ValueError says what is wrong."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r}: write the window as HH:MM-HH:MM, e.g. {DEFAULT_WINDOW}")
    return _clock(start), _clock(end)


def _clock(text: str) -> time:
    hours, sep, minutes = text.strip().partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"{text.strip()!r} is not a time of day (HH:MM)")
    if (int(hours), int(minutes)) == (24, 0):
        return time.max
    if int(hours) > 23 or int(minutes) > 59:
        raise ValueError(f"{text.strip()!r} is not a time of day (HH:MM)")
    return time(int(hours), int(minutes))


def in_window(window: str, now: datetime) -> bool:
    start, end = parse_window(window)
    moment = now.time()
    if start <= end:
        return start <= moment < end
    return moment >= start or moment < end  # wraps midnight
