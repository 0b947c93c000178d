"""The local-time window in which a kiosk applies a fleet update."""

from __future__ import annotations

from datetime import datetime

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
