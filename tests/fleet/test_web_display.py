"""The dashboard's times and ages in words: the store's own zone, both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fleet.web.display import age, age_since, local_time, shown

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)  # 17.00 WIB


@pytest.mark.parametrize(
    ("seconds", "indonesian", "english"),
    [
        (0, "0 dtk", "0 s"), (45, "45 dtk", "45 s"), (60, "1 mnt", "1 min"),
        (125, "2 mnt 5 dtk", "2 min 5 s"), (3600, "1 j", "1 h"),
        (5400, "1 j 30 mnt", "1 h 30 min"), (86400, "1 hr", "1 d"),
        (90061, "1 hr 1 j", "1 d 1 h"), (-5, "0 dtk", "0 s"),
    ],
)  # fmt: skip
def test_ages_in_words(seconds: int, indonesian: str, english: str) -> None:
    assert (age(seconds, "id"), age(seconds, "en")) == (indonesian, english)


def test_an_unknown_age_or_time_is_blank() -> None:
    assert age(None, "id") == "" and local_time("", "Asia/Jakarta", "id") == ""
    assert local_time("not a time", "Asia/Jakarta", "en") == "" and age_since("x") is None


def test_times_in_the_stores_zone() -> None:
    today = "2026-11-27T06:05:00.000000Z"
    assert local_time(today, "Asia/Jakarta", "id", NOW) == "13.05 WIB"
    assert local_time(today, "Asia/Makassar", "en", NOW) == "14:05 WITA"
    assert local_time("2026-11-26T06:05:00Z", "Asia/Jayapura", "id", NOW) == "26 Nov 15.05 WIT"
    assert local_time("2025-11-26T06:05:00Z", "Asia/Jakarta", "id", NOW) == "26 Nov 2025 13.05 WIB"
    assert local_time(today, "Mars/Base", "id", NOW) == "13.05 WIB"  # an unknown zone: WIB


def test_a_kiosk_rows_words() -> None:
    row = {"last_seen": "2026-11-27T08:30:00Z", "timezone": "Asia/Jakarta",
           "outbox_oldest_age_s": 5400, "oldest_alert_at": "2026-11-27T09:58:00Z"}  # fmt: skip
    words = shown(row, "id", NOW)
    assert {key: words[key] for key in ("last_seen", "outbox_oldest_age", "oldest_alert_age")} == {
        "last_seen": "15.30 WIB",
        "outbox_oldest_age": "1 j 30 mnt",
        "oldest_alert_age": "2 mnt",
    }
    assert words["printer"] == ""  # no health document: no device words  # fmt: skip
    assert shown(row, "en", NOW)["outbox_oldest_age"] == "1 h 30 min"
