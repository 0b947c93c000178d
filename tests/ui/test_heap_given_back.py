"""The till gives its freed heap back after a change of screen, in a real run under Xvfb:
the counter's sale screen, drawn for the first time, leaves ~14 MB of freed buffers that
glibc keeps resident until ``malloc_trim`` (kiosk/ui/heap.py, kiosk/ui/widgets/overlay.py).
The script's bench step reports what was given back (bench_ui prints the same figures)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.ui import heap
from tests.ui.test_kiosk_ui import demo_dir, play

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui


@pytest.mark.skipif(heap._TRIM is None, reason="no malloc_trim in this C library")
def test_the_heap_is_given_back_after_the_sale_screen_is_drawn(
    tmp_path: Path, demo_dir: Path
) -> None:
    done, _ = play(tmp_path, demo_dir, "counter", [{"bench": 120}])
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH "))
    report = json.loads(line.removeprefix("BENCH "))
    assert report["rows"] == 120
    assert report["heap_trims"] >= 1, report
    assert report["heap_released_mb"] >= 4, report
