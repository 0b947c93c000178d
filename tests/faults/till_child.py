"""``kiosk run`` as the till runs (simulated devices, telemetry on), plus a feeder thread
that, once the till is ready, posts the scans named in ``FEED_CODES`` into the app's
event bridge exactly as a scanner thread does, and prints what the till shows as JSON
lines: ``{"ready": ...}`` at start, ``{"scanned": ...}`` once every scan is applied.

    python till_child.py DATA_DIR MODE
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from typing import Any


def shown(app: Any) -> dict[str, Any]:
    p = app.presenter
    checkout = app.kiosk.checkout
    return {"screen": p.screen, "message": p.message.text, "lines": len(p.basket.rows),
            "total": p.basket.total, "basket_id": checkout.basket.basket_id}  # fmt: skip


def feed(codes: list[str]) -> None:
    while "kivy.app" not in sys.modules:  # the main thread configures Kivy first
        time.sleep(0.05)
    from kivy.app import App

    while (app := App.get_running_app()) is None or getattr(app, "ready_at", None) is None:
        time.sleep(0.05)
    print(json.dumps({"ready": shown(app)}), flush=True)
    if not codes:
        return
    for code in codes:
        app.bridge.post("scan", code, source="scanner")
    while app.bridge.pending() or len(app.presenter.basket.rows) < len(set(codes)):
        time.sleep(0.05)
    time.sleep(0.3)  # a frame or two more: the screen shows it
    print(json.dumps({"scanned": shown(app)}), flush=True)


if __name__ == "__main__":
    data_dir, mode = sys.argv[1], sys.argv[2]
    codes = [c for c in os.environ.get("FEED_CODES", "").split(",") if c]
    threading.Thread(target=feed, args=(codes,), daemon=True).start()
    from kiosk.cli import main

    sys.exit(main(["run", "--data-dir", data_dir, "--hardware", "simulated", "--mode", mode]))
