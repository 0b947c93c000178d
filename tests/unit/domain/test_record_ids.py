"""Sale and basket ids: UUIDv7 as 32 hex digits, ordered by the millisecond they were made."""

from __future__ import annotations

import uuid

import pytest

from kiosk.domain.record_ids import time_ordered_id
from kiosk.services.checkout import new_id


def test_an_id_is_a_version_7_uuid_in_32_lowercase_hex_digits() -> None:
    made = time_ordered_id(1_767_225_600_000)
    assert len(made) == 32 and made == made.lower()
    parsed = uuid.UUID(hex=made)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert made.startswith(f"{1_767_225_600_000:012x}")  # the milliseconds come first


def test_ids_sort_by_their_millisecond_and_never_repeat_within_one() -> None:
    earlier = [time_ordered_id(1_767_225_600_000) for _ in range(2_000)]
    later = time_ordered_id(1_767_225_600_001)
    assert len(set(earlier)) == 2_000
    assert max(earlier) < later


def test_the_tills_ids_follow_the_clock() -> None:
    first = new_id()
    second = new_id()
    assert uuid.UUID(hex=first).version == 7
    assert first[:12] <= second[:12]


@pytest.mark.parametrize("ms", [-1, 1 << 48])
def test_milliseconds_outside_48_bits_are_refused(ms: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        time_ordered_id(ms)
