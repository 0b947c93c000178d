"""Sale and basket ids: UUIDv7 as 32 hex digits, ordered by the millisecond they were made."""

from __future__ import annotations

import uuid

import pytest

from kiosk.domain.record_ids import RANDOM_BITS, time_ordered_id
from kiosk.services.checkout import new_id

ALL_ONES = (1 << RANDOM_BITS) - 1


def test_an_id_is_a_version_7_uuid_in_32_lowercase_hex_digits() -> None:
    made = time_ordered_id(1_767_225_600_000, ALL_ONES)
    assert len(made) == 32 and made == made.lower()
    parsed = uuid.UUID(hex=made)
    assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    assert made.startswith(f"{1_767_225_600_000:012x}")  # the milliseconds come first
    # every random bit lands outside the version and variant bits
    assert made[12:] == "7fffbfffffffffffffff"
    assert time_ordered_id(1_767_225_600_000, 0)[12:] == "70008000000000000000"


def test_ids_sort_by_their_millisecond_whatever_their_random_bits() -> None:
    assert time_ordered_id(1_767_225_600_000, ALL_ONES) < time_ordered_id(1_767_225_600_001, 0)


def test_the_tills_ids_never_repeat_within_a_millisecond() -> None:
    assert len({new_id() for _ in range(2_000)}) == 2_000


def test_the_tills_ids_follow_the_clock() -> None:
    first = new_id()
    second = new_id()
    assert uuid.UUID(hex=first).version == 7
    assert first[:12] <= second[:12]


@pytest.mark.parametrize("ms", [-1, 1 << 48])
def test_milliseconds_outside_48_bits_are_refused(ms: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        time_ordered_id(ms, 0)


@pytest.mark.parametrize("bits", [-1, 1 << RANDOM_BITS])
def test_random_bits_outside_74_bits_are_refused(bits: int) -> None:
    with pytest.raises(ValueError, match="74 random bits"):
        time_ordered_id(0, bits)
