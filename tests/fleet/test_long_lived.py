"""``freeze_long_lived`` (which ``fleet run`` calls once the app is built; its effect on
the page is measured in bench_fleet_web): a full collection no longer walks what existed
at the freeze, and what is made afterwards is still collected."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from fleet.web.long_lived import freeze_long_lived


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector can free it


@pytest.fixture
def unfrozen_after() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test session is collected as usual


def test_what_lives_at_the_freeze_is_left_out_of_collections(unfrozen_after: None) -> None:
    kept, garbage = Node(), Node()
    gone = weakref.ref(garbage)
    del garbage
    frozen = freeze_long_lived()
    assert gone() is None, "garbage made before the freeze is collected first"
    assert frozen == gc.get_freeze_count() > 0
    assert not any(obj is kept for obj in gc.get_objects()), "a frozen object is not walked"
    later = weakref.ref(Node())
    gc.collect()
    assert later() is None, "cycles made after the freeze are still collected"
    assert kept.me is kept
