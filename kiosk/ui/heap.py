"""Give the C heap's freed pages back to the system when the lane changes screen.

Drawing a screen renders its labels: short-lived buffers (text surfaces, pixel copies for
the GL driver) that glibc frees into holes below blocks still in use, so the heap cannot
shrink and the pages stay resident: ~14 MB after the counter's sale screen is first drawn,
in a till of ~200 MB (bench_ui). ``malloc_trim(0)`` returns every whole free page (~2 ms);
it runs a moment after a screen is shown or a panel built (kiosk.ui.widgets.overlay), never
per scan. Scanning dirties part of those pages again (bench_ui: 201 -> 195 MB after 200
scans). A fixed 64 KB mmap threshold (the buffers then mapped and unmapped one by one) left
almost no holes, 190 MB, but cost ~90 mmap/munmap pairs per scan: not taken. Where the C
library has no ``malloc_trim`` (not glibc) this does nothing.
"""

from __future__ import annotations

import ctypes
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)


@dataclass
class TrimStats:
    trims: int = 0
    released_bytes: int = 0  # resident memory before minus after, summed


STATS = TrimStats()


def _find_trim() -> Callable[[int], int] | None:
    try:  # the symbols already loaded in this process (no search for the C library)
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return None
    return trim


_TRIM = _find_trim()


def resident_bytes() -> int:
    """This process's resident set (Linux ``/proc/self/statm``); 0 where there is none."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def give_back() -> int:
    """Return the heap's free pages to the system now; the resident bytes released."""
    if _TRIM is None:
        return 0
    before = resident_bytes()
    _TRIM(0)
    released = max(0, before - resident_bytes())
    STATS.trims += 1
    STATS.released_bytes += released
    log.debug("heap trimmed: %.1f MB given back", released / 2**20)
    return released
