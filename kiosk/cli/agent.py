"""``kiosk agent``: this device's fleet link, headless, until SIGTERM/SIGINT.

The outbox drain, status (birth, last will), health and fleet commands run here, so the
link outlives a UI restart and every fleet flow runs without Kivy. The agent holds the
device's one link (``kiosk/telemetry/link.py``); while another process holds it (a till
started first) it waits, then takes it. What fleet commands change (catalog, prices,
promotions, settings, a lane lock) is applied to the ledger here and recorded for the
till, which picks it up within a second. Stopping publishes the retained "offline"
(reason "shutdown") and exits 0.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType

from kiosk import bootstrap
from kiosk.cli.common import Subcommand, no_arguments

log = logging.getLogger(__name__)

UPDATE_CHECK_S = 60
# The main thread waits in short slices: a SIGTERM the kernel hands to another thread
# (paho's, the drain's) runs the Python handler only when the main thread next wakes,
# so one long wait made a stop take up to UPDATE_CHECK_S.
STOP_POLL_S = 0.5


def _stop_on_signals() -> threading.Event:
    stop = threading.Event()

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def say(message: str) -> None:
    print(f"kiosk agent: {message}", file=sys.stderr, flush=True)


def _fetch_in_background(kiosk: bootstrap.Kiosk) -> threading.Thread:
    """Fetch and apply a due fleet update off the agent's loop: a download may take
    minutes and the loop must still answer SIGTERM within seconds. Files only (no ledger
    connection), so another thread may do it."""

    def fetch() -> None:
        try:
            kiosk.apply_due_update()
        except Exception:  # a thread's failure must not pass unseen
            log.exception("update: preparing or applying the release failed")

    thread = threading.Thread(target=fetch, name="update-tick", daemon=True)
    thread.start()
    return thread


def _report_failed_update(kiosk: bootstrap.Kiosk, data_dir: Path) -> None:
    """Tell the fleet (once) when an update failed; on the loop's thread (the ledger's)."""
    from kiosk.appliance import fleet_update
    from kiosk.contract.messages import utc_now_iso

    failed = fleet_update.take_failure(data_dir)
    if failed is not None:
        say(f"update to {failed.version} not applied: {failed.reason}")
        kiosk.ledger.raise_alert(
            "update_failed", f"update to {failed.version} not applied: {failed.reason}",
            utc_now_iso(), detail={"version": failed.version, "command_id": failed.command_id},
        )  # fmt: skip


def run(data_dir: Path, args: argparse.Namespace) -> int:
    from kiosk.telemetry.link import LinkFollower, LinkState, read_devices, wait_until_free

    stop = _stop_on_signals()
    state = LinkState(data_dir)
    while not stop.is_set():
        if not wait_until_free(data_dir, stop, lambda pid: say(f"waiting for process {pid}")):
            break
        kiosk = bootstrap.build(data_dir, with_devices=False)
        try:
            handle = kiosk.start_telemetry(
                on_change=state.changed,
                on_lock=state.set_lock,
                lane_locked=state.lane_locked,
                device_statuses=lambda: read_devices(data_dir),  # the till's devices
            )
            if isinstance(handle, LinkFollower):
                continue  # another process took the link in between: wait again
            say(f"holding the fleet link of {kiosk.settings.get('store_id')}/"
                f"{kiosk.settings.get('device_id')}")  # fmt: skip
            kiosk.on_idle()  # starts the ledger's WAL checkpoint timer (every 30 s)
            next_check = time.monotonic()  # at once: a restart inside the window applies
            fetching: threading.Thread | None = None
            while not stop.wait(STOP_POLL_S):
                if fetching is not None and not fetching.is_alive():
                    fetching = None
                    _report_failed_update(kiosk, data_dir)
                if fetching is None and time.monotonic() >= next_check:
                    next_check = time.monotonic() + UPDATE_CHECK_S  # waits for its window
                    fetching = _fetch_in_background(kiosk)
        finally:
            kiosk.close()  # stops the link: "offline" is published before the exit
        say("stopped")
    return 0


SUBCOMMAND = Subcommand(
    "agent", "run this device's fleet link headless (until SIGTERM)", no_arguments, run
)
