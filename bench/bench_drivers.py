"""Driver benchmarks: decoding one EAN-13 scan from key events, rendering a receipt.

    python -m bench.bench_drivers

Budgets (exit status 1 when blown): p99 <= 1 ms to decode a 13-digit scan from its
~84 evdev events (a scanner sends a code in ~30 ms, so the reader keeps up 30x over);
p99 <= 25 ms to render an 80 mm receipt of 30 lines to ESC/POS bytes (the job queue runs
it before the printer is touched). Baselines in the same run: the naive decoder
(``evdev.categorize`` + key names -> a dict, as most examples do) and the naive receipt
(the plain-text receipt encoded to CP437, no printer commands).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from evdev import InputEvent, categorize, ecodes

from drivers import keymaps
from drivers.receipt_render import RenderOptions, render_bytes
from drivers.scan_decoder import ScanDecoder
from kiosk.domain.money import round_half_up
from kiosk.domain.receipt import build_receipt, render_text
from kiosk.domain.sale import CompletedSale, SaleLine, TaxLine, TenderRecord

DECODE_P99_BUDGET_MS = 1.0
RENDER_P99_BUDGET_MS = 25.0


def scan_events(code: str, start: float) -> list[InputEvent]:
    events = []
    t = start
    for key_code, _ in [*keymaps.keystrokes_for(code), (keymaps.KEY_CODES["KEY_ENTER"], None)]:
        for value in (1, 0):
            sec, usec = int(t), int((t % 1) * 1e6)
            events += [InputEvent(sec, usec, ecodes.EV_MSC, ecodes.MSC_SCAN, 0x70000 + key_code),
                       InputEvent(sec, usec, ecodes.EV_KEY, key_code, value),
                       InputEvent(sec, usec, ecodes.EV_SYN, ecodes.SYN_REPORT, 0)]  # fmt: skip
            t += 0.001
    return events


_NAIVE_MAP = {f"KEY_{d}": d for d in "0123456789"}


def naive_decode(events: list[InputEvent]) -> str:
    """What a first attempt looks like: categorize every event, map key names."""
    text = ""
    for event in events:
        if event.type != ecodes.EV_KEY:
            continue
        key = categorize(event)
        if key.keystate == key.key_down:
            name = key.keycode if isinstance(key.keycode, str) else key.keycode[0]
            if name == "KEY_ENTER":
                return text
            text += _NAIVE_MAP.get(name, "")
    return text


def sale_of(n: int) -> CompletedSale:
    lines = tuple(
        SaleLine(i + 1, f"SKU{i}", f"Produk nomor {i} ukuran besar", 1 + i % 3, 5000 + 250 * i,
                 (5000 + 250 * i) * (1 + i % 3), 0, (5000 + 250 * i) * (1 + i % 3), "11")
        for i in range(n)
    )  # fmt: skip
    total = sum(line.amount for line in lines)
    ppn = round_half_up(total * 11 / 111)
    return CompletedSale(
        sale_id="b" * 32, store_id="S1", device_id="K01", business_date="2026-11-27",
        created_at="2026-11-27T06:01:02Z", lines=lines, taxes=(TaxLine("11", total, total - ppn, ppn),),
        tenders=(TenderRecord("cash", total, given=total + 5000),), total=total,
        discount_total=0, change=5000, receipt_no=42, cashier="Ani",
    )  # fmt: skip


def timed(fn: Callable[[], Any], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def main(argv: list[str]) -> int:
    events = scan_events("8992761111113", 1000.0)

    def ours() -> None:
        decoder = ScanDecoder()
        for event in events:
            decoder.feed_event(event)

    assert naive_decode(events) == "8992761111113"
    ours_ms, naive_ms = timed(ours, 3000), timed(lambda: naive_decode(events), 3000)
    print(f"decode EAN-13 ({len(events)} events): p50 {statistics.median(ours_ms) * 1000:.0f} us,"
          f" p99 {p99(ours_ms) * 1000:.0f} us; naive p50 {statistics.median(naive_ms) * 1000:.0f} us;"
          f" ratio ours/naive {statistics.median(ours_ms) / statistics.median(naive_ms):.2f}")  # fmt: skip

    doc = build_receipt(sale_of(30), header=["TOKO MAJU JAYA", "Jl. Merdeka 1"],
                        footer=["Terima kasih"], qr="https://e.example/r/K01-000042")  # fmt: skip
    options = RenderOptions(columns=48)
    render_ms = timed(lambda: render_bytes(doc, options), 300)
    plain_ms = timed(lambda: render_text(doc, 48).encode("cp437", "replace"), 300)
    size = len(render_bytes(doc, options))
    print(f"render 80 mm receipt, 30 lines ({size} bytes): p50 {statistics.median(render_ms):.2f} ms,"
          f" p99 {p99(render_ms):.2f} ms; plain text p50 {statistics.median(plain_ms):.2f} ms;"
          f" ratio {statistics.median(render_ms) / statistics.median(plain_ms):.1f}")  # fmt: skip

    ok = p99(ours_ms) <= DECODE_P99_BUDGET_MS and p99(render_ms) <= RENDER_P99_BUDGET_MS
    print("budgets met" if ok else "BUDGET BLOWN")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
