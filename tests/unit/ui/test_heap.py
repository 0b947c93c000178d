"""The till gives the C heap's freed pages back (kiosk.ui.heap): blocks freed below one
still in use stay resident until ``give_back`` returns them."""

from __future__ import annotations

import ctypes

import pytest

from kiosk.ui import heap

BLOCK = 8 * 1024  # below glibc's mmap threshold: served from the heap
BLOCKS = 4096  # 32 MB


def _fragmented_heap() -> int:
    """Fill 32 MB of heap blocks, keep one more above them (so the heap cannot shrink),
    free the rest; returns the kept block (to free at the end)."""
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.malloc.argtypes = [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)  # resident now
    kept: int = libc.malloc(BLOCK)  # taken from the heap's top, after the others
    for block in blocks:
        libc.free(block)
    return kept


def test_freed_heap_pages_go_back_to_the_system() -> None:
    if heap._TRIM is None:
        pytest.skip("no malloc_trim in this C library")
    kept = _fragmented_heap()
    try:
        resident = heap.resident_bytes()
        trims = heap.STATS.trims
        released = heap.give_back()
        assert released >= 16 * 2**20, released / 2**20
        assert heap.resident_bytes() <= resident - 16 * 2**20
        assert heap.STATS.trims == trims + 1
    finally:
        ctypes.CDLL(None).free(ctypes.c_void_p(kept))


def test_without_malloc_trim_nothing_is_given_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(heap, "_TRIM", None)
    trims = heap.STATS.trims
    assert heap.give_back() == 0 and heap.STATS.trims == trims
