"""``kiosk run`` (self-checkout, simulated devices) as the till runs, plus a feeder thread
that, once the till is ready, prints what it shows (``{"ready": ...}``); with
``FEED_CODES`` it scans them, goes to pay by QRIS through the acquirer the settings name
and prints ``{"qris": ORDER_ID}`` once the QR is on screen, then waits (to be killed).

    python qris_till_child.py DATA_DIR
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
    return {"screen": p.screen, "message": p.message.text, "lines": len(p.basket.rows),
            "total": p.basket.total, "qris": p.qris.state}  # fmt: skip


def feed(codes: list[str]) -> None:
    while "kivy.app" not in sys.modules:
        time.sleep(0.05)
    from kivy.app import App

    while (app := App.get_running_app()) is None or getattr(app, "ready_at", None) is None:
        time.sleep(0.05)
    time.sleep(0.3)  # the start's own events (a restored basket, recovered payments) applied
    print(json.dumps({"ready": shown(app)}), flush=True)
    if not codes:
        return
    for code in codes:
        app.bridge.post("scan", code, source="scanner")
    while app.bridge.pending() or len(app.presenter.basket.rows) < len(set(codes)):
        time.sleep(0.05)

    def pay() -> None:
        p = app.presenter
        p.go_pay()
        p.member_done(skip=True)
        p.choose_payment("qris")

    app.post(pay)
    while app.presenter.qris.state != "showing":
        time.sleep(0.05)
    print(json.dumps({"qris": app.presenter.qris.order_id}), flush=True)


if __name__ == "__main__":
    data_dir = sys.argv[1]
    codes = [c for c in os.environ.get("FEED_CODES", "").split(",") if c]
    threading.Thread(target=feed, args=(codes,), daemon=True).start()
    from kiosk.cli import main

    sys.exit(main(["run", "--data-dir", data_dir, "--hardware", "simulated",
                   "--mode", "self-checkout"]))  # fmt: skip
