"""QRIS on screen: a sale's dynamic payload built from the shop's static one, then its QR
rendered (segno) as a one-byte-per-module grey bitmap: the screen's texture is scaled up
on the GPU with nearest filtering, so the CPU never draws the big image. A PNG at 8 px a
module is timed too, for comparison.

    python -m bench.bench_qris [--no-paid]

Then (bench/qris_paid.py) the time from the acquirer's "paid" to the sale committed at
the till, by polling and by the fleet's relay, against the commit alone (no budget:
figures and ratios).

Budget (exit status 1 when blown): build + render median <= 20 ms (issue 13); p99 is
printed. The baseline, measured in the same rounds, renders the same payload already
built (the image alone), so the ratio shows what parsing and rebuilding adds. The best
round is checked: on a shared machine other processes only ever add to a round.
"""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Callable

import segno

from bench.bench_scan import percentile
from kiosk.domain import qris
from kiosk.payments.simulated import SAMPLE_STATIC_QRIS

BUDGET_MEDIAN_MS = 20.0
PER_ROUND = 200
ROUNDS = 5
SCALE = 8  # pixels per module: a QR a phone reads from an arm's length on a 7" screen


def render(payload: str) -> bytes:
    code = segno.make(payload, error="m", micro=False)
    return b"".join(bytes(0 if dark else 255 for dark in row) for row in code.matrix_iter(border=4))


def render_png(payload: str) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m", micro=False).save(out, kind="png", scale=SCALE, border=4)
    return out.getvalue()


def timed(fn: Callable[[int], object], amounts: range) -> list[float]:
    samples = []
    for amount in amounts:
        start = time.perf_counter()
        fn(amount)
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def main(argv: list[str]) -> int:
    built = qris.to_dynamic(SAMPLE_STATIC_QRIS, 27_500, bill_number="QR-0001")
    amounts = range(1_000, 1_000 + PER_ROUND)

    def build_and_render(amount: int) -> None:
        render(qris.to_dynamic(SAMPLE_STATIC_QRIS, amount, bill_number=f"QR-{amount}"))

    best = best_base = best_p99 = float("inf")
    for n in range(1, ROUNDS + 1):
        base = percentile(timed(lambda _a: render(built), amounts), 0.5)
        full_samples = timed(build_and_render, amounts)
        full, p99 = percentile(full_samples, 0.5), percentile(full_samples, 0.99)
        png = percentile(timed(lambda _a: render_png(built), amounts), 0.5)
        best, best_base, best_p99 = min(best, full), min(best_base, base), min(best_p99, p99)
        print(f"round {n}: build+render median {full:.2f} ms (p99 {p99:.2f}), "
              f"render only {base:.2f} ms, PNG 8px {png:.2f} ms")  # fmt: skip
    print(f"best: build+render median {best:.2f} ms (budget {BUDGET_MEDIAN_MS} ms, "
          f"p99 {best_p99:.2f}), render only {best_base:.2f} ms, ratio {best / best_base:.2f}")  # fmt: skip
    if "--no-paid" not in argv:  # the customer's bank pays: how soon is the sale committed?
        from bench import qris_paid

        print(qris_paid.report(qris_paid.measure()), flush=True)
    return 0 if best <= BUDGET_MEDIAN_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
