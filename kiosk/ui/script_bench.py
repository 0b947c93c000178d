"""The UI-only script step ``{"bench": n}``: scan n items and time each until its basket
row is drawn (frames and milliseconds), then print one ``BENCH {json}`` line with the
resident memory. ``bench/bench_ui.py`` reads it."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.core.window import Window

from kiosk.ui import heap

Action = Callable[[], bool | None]  # returns False to be called again next frame


class BenchStepMixin:
    """Mixed into ``ScriptRunner`` (which provides ``app`` and ``p``)."""

    app: Any
    p: Any

    def _counter_bench(self, step: dict[str, Any]) -> Iterator[Action]:
        products = [
            p
            for p in self.p.checkout.catalog
            if p.active and p.barcodes and not p.age_restricted and not p.sold_by_weight
        ]
        count = int(step["bench"])
        codes = [products[i % len(products)].barcodes[0] for i in range(count)]
        self._flips = 0
        self._flip_times: list[float] = []
        Window.bind(on_flip=self._count_flip)
        samples: list[tuple[int, float]] = []
        for code in codes:
            yield self._timed_scan(code, samples)
        yield lambda: self._bench_report(samples)

    def _count_flip(self, *_: Any) -> None:
        self._flips += 1
        self._flip_times.append(time.perf_counter())

    def _timed_scan(self, code: str, samples: list[tuple[int, float]]) -> Action:
        state: dict[str, Any] = {}

        def run() -> bool:
            if not state:
                state.update(flips=self._flips, t0=time.perf_counter(), applied_at=None)
                self.app.bridge.post("scan", code, source="bench")
                return False
            if state["applied_at"] is None:
                if self.app.bridge.pending():
                    return False
                state["applied_at"] = self._flips  # applied in this frame's clock phase
                return False
            if self._flips <= state["applied_at"]:
                return False
            drawn = state["applied_at"] + 1  # the first flip after the basket changed
            samples.append((drawn - state["flips"], self._flip_times[drawn - 1] - state["t0"]))
            return True

        return run

    def _bench_report(self, samples: list[tuple[int, float]]) -> None:
        Window.unbind(on_flip=self._count_flip)
        frames = sorted(f for f, _ in samples)
        millis = sorted(ms * 1000 for _, ms in samples)
        rss_kb = 0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
        report = {
            "scans": len(samples),
            "frames_max": frames[-1],
            "frames_p50": frames[len(frames) // 2],
            "ms_p50": millis[len(millis) // 2],
            "ms_p99": millis[int(len(millis) * 0.99) - 1],
            "rss_mb": rss_kb / 1024,
            "heap_trims": heap.STATS.trims,
            "heap_released_mb": heap.STATS.released_bytes / 2**20,
            "rows": len(self.p.basket.rows),
        }
        print("BENCH " + json.dumps(report), flush=True)
