"""UI benchmark under Xvfb, against a bare Kivy app as the baseline.

    python -m bench.bench_ui

Budgets (exit status 1 when blown):
- process start -> ready to scan: <= 2.0 s (median of 3 runs of ``kiosk run --exit-after-ready``)
- scan -> basket row drawn: within the next frame after the scan is applied
  (at most 2 flips after the scanner event is posted, which can land mid-frame)
- resident memory after 200 scans: <= 200 MB
Baseline: a bare Kivy app with a ScreenManager, time to its first frame and its memory.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

READY_BUDGET_S = 2.0
FRAMES_BUDGET = 2
RSS_BUDGET_MB = 200.0
SCANS = 200

BARE_APP = """
import os, time
from pathlib import Path
from kivy.app import App
from kivy.core.window import Window
from kivy.uix.screenmanager import Screen, ScreenManager

def rss():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

def age():
    start = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
    return float(Path("/proc/uptime").read_text().split()[0]) - start / os.sysconf("SC_CLK_TCK")

class Bare(App):
    def build(self):
        Window.bind(on_flip=self.first)
        sm = ScreenManager()
        sm.add_widget(Screen(name="a"))
        return sm
    def first(self, *_):
        Window.unbind(on_flip=self.first)
        print(f"BARE {age():.3f} {rss():.1f}", flush=True)
        self.stop()

Bare().run()
"""


def _env(kivy_home: Path) -> dict[str, str]:
    return {**os.environ, "KIVY_NO_ARGS": "1", "KIVY_HOME": str(kivy_home),
            "KIOSK_WINDOW": "800x480", "KIOSK_HARDWARE": "simulated"}  # fmt: skip


def _wrap(cmd: list[str]) -> list[str]:
    if os.environ.get("DISPLAY"):
        return cmd
    if shutil.which("xvfb-run") is None:
        raise SystemExit("bench_ui needs a display or xvfb-run")
    return ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *cmd]


def _run(cmd: list[str], env: dict[str, str]) -> str:
    done = subprocess.run(_wrap(cmd), env=env, capture_output=True, text=True, timeout=300,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    del argv
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = _env(tmp / "kivy")
        data = tmp / "data"
        kiosk = [sys.executable, "-m", "kiosk"]
        _run([*kiosk, "demo-data", "--data-dir", str(data)], env)

        bare_app = tmp / "bare_app.py"  # Kivy looks for the app's kv beside its source
        bare_app.write_text(BARE_APP, encoding="utf-8")
        bare = [_run([sys.executable, str(bare_app)], env) for _ in range(3)]
        bare_s = statistics.median(float(b.split("BARE ")[1].split()[0]) for b in bare)
        bare_mb = float(bare[-1].split("BARE ")[1].split()[1])

        ready = []
        for _ in range(3):
            out = _run([*kiosk, "run", "--data-dir", str(data), "--mode", "self-checkout",
                        "--exit-after-ready"], env)  # fmt: skip
            line = next(x for x in out.splitlines() if x.startswith("ready to scan in"))
            ready.append(float(line.split()[4]))
        ready_s = statistics.median(ready)

        script = tmp / "bench.jsonl"
        script.write_text(json.dumps({"bench": SCANS}) + "\n", encoding="utf-8")
        out = _run([*kiosk, "run", "--data-dir", str(data), "--mode", "counter",
                    "--script", str(script)], env)  # fmt: skip
        scan = json.loads(next(x for x in out.splitlines() if x.startswith("BENCH "))[6:])

    ok_ready = ready_s <= READY_BUDGET_S
    ok_frames = scan["frames_max"] <= FRAMES_BUDGET
    ok_rss = scan["rss_mb"] <= RSS_BUDGET_MB
    print("UI under Xvfb, 800x480, demo catalog")
    print(f"  bare Kivy + ScreenManager  first frame {bare_s:.2f} s  RSS {bare_mb:.0f} MB")
    print(f"  start -> ready to scan     {ready_s:.2f} s (runs {', '.join(f'{r:.2f}' for r in ready)})"
          f"  budget {READY_BUDGET_S} s  x{ready_s / bare_s:.2f} of bare  "
          f"{'ok' if ok_ready else 'BLOWN'}")  # fmt: skip
    print(f"  scan -> row drawn          p50 {scan['frames_p50']} frame(s) {scan['ms_p50']:.1f} ms,"
          f" max {scan['frames_max']} frames, p99 {scan['ms_p99']:.1f} ms"
          f"  budget {FRAMES_BUDGET} flips  {'ok' if ok_frames else 'BLOWN'}")  # fmt: skip
    print(f"  RSS after {scan['scans']} scans        {scan['rss_mb']:.0f} MB ({scan['rows']} rows)"
          f"  budget {RSS_BUDGET_MB:.0f} MB  +{scan['rss_mb'] - bare_mb:.0f} MB over bare  "
          f"{'ok' if ok_rss else 'BLOWN'}")  # fmt: skip
    print(f"  heap given back            {scan['heap_released_mb']:.0f} MB in"
          f" {scan['heap_trims']} trim(s) after screen changes (kiosk/ui/heap.py)")  # fmt: skip
    return 0 if ok_ready and ok_frames and ok_rss else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
