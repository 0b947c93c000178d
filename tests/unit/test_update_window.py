"""The local-time window in which a kiosk applies a fleet update."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from kiosk.domain.update_window import in_window, parse_window


def at(clock: str) -> datetime:
    hours, minutes = clock.split(":")
    return datetime(2026, 11, 30, int(hours), int(minutes))


@pytest.mark.parametrize(
    ("window", "clock", "inside"),
    [
        ("01:00-05:00", "00:59", False),
        ("01:00-05:00", "01:00", True),
        ("01:00-05:00", "04:59", True),
        ("01:00-05:00", "05:00", False),
        ("22:00-04:00", "23:30", True),  # wraps midnight
        ("22:00-04:00", "03:59", True),
        ("22:00-04:00", "04:00", False),
        ("22:00-04:00", "12:00", False),
        ("00:00-24:00", "23:59", True),  # the whole day
        ("00:00-24:00", "00:00", True),
    ],
)
def test_inside_or_outside(window: str, clock: str, inside: bool) -> None:
    assert in_window(window, at(clock)) is inside


@pytest.mark.parametrize(
    ("window", "says"),
    [("0100-0500", "0100. is not a time"), ("01:00", "HH:MM-HH:MM"), ("25:00-05:00", "'25:00'"), ("01:00-5", "'5'"),
     ("01:60-02:00", "'01:60'"), ("aa:bb-01:00", "'aa:bb'")],
)  # fmt: skip
def test_a_bad_window_is_refused_with_the_reason(window: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_window(window)


def test_the_last_minutes_of_the_day_are_times_and_minutes_are_kept() -> None:
    assert parse_window("23:00-23:59") == (time(23, 0), time(23, 59))
    assert parse_window("01:30-05:45") == (time(1, 30), time(5, 45))


@pytest.mark.parametrize("clock", ["24:30", "xx:30", ":30"])
def test_a_clock_beyond_the_day_or_without_hours_is_refused_by_name(clock: str) -> None:
    with pytest.raises(ValueError, match=f"^'{clock}' is not a time of day"):
        parse_window(f"{clock}-05:00")


def test_a_window_that_starts_where_it_ends_is_never_open() -> None:
    assert not any(in_window("05:00-05:00", at(c)) for c in ("04:59", "05:00", "05:01", "17:00"))


def test_a_window_over_midnight_opens_on_its_first_minute() -> None:
    assert in_window("22:00-04:00", at("22:00"))
    assert not in_window("22:00-04:00", at("21:59"))
