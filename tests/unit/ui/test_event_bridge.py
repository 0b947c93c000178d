"""The bridge from driver threads to the main thread: nothing lost, nothing twice."""

from __future__ import annotations

import contextlib
import threading

from kiosk.ui.event_bridge import EventBridge, UiEvent
from kiosk.ui.keyboard_scanner import KeyboardWedge


def test_scans_from_many_threads_are_applied_exactly_once_in_order_per_thread() -> None:
    bridge = EventBridge()
    applied: list[str] = []

    def scanner(name: str) -> None:
        for i in range(500):
            bridge.post("scan", f"{name}-{i}")

    threads = [threading.Thread(target=scanner, args=(n,)) for n in ("a", "b", "c")]
    for t in threads:
        t.start()
    while any(t.is_alive() for t in threads) or bridge.pending():
        bridge.drain(lambda e: applied.append(e.payload), limit=50)  # one "frame"
    for t in threads:
        t.join()
    bridge.drain(lambda e: applied.append(e.payload))
    assert len(applied) == 1500 and len(set(applied)) == 1500
    for name in "abc":
        mine = [int(s.split("-")[1]) for s in applied if s.startswith(name)]
        assert mine == sorted(mine)


def test_a_failing_handler_loses_nothing_after_it() -> None:
    bridge = EventBridge()
    for code in ("1", "boom", "3"):
        bridge.post("scan", code)
    seen: list[str] = []

    def handle(event: UiEvent) -> None:
        if event.payload == "boom":
            raise RuntimeError("bad scan handler")
        seen.append(event.payload)

    with contextlib.suppress(RuntimeError):
        bridge.drain(handle)
    bridge.drain(handle)
    assert seen == ["1", "3"]


def test_keyboard_wedge_turns_digits_and_enter_into_one_scan() -> None:
    scans: list[str] = []
    wedge = KeyboardWedge(scans.append)
    for ch in "8991001000019":
        assert wedge.key(ord(ch), ch)
    assert wedge.key(8, None)  # backspace
    wedge.key(ord("9"), "9")
    assert wedge.key(13, None)
    assert not wedge.key(13, None)  # Enter alone is not a scan
    assert scans == ["8991001000019"]
