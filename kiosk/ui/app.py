"""Entry point of the touchscreen app: ``run(kiosk, mode=...)``.

Importing this module does not start Kivy: ``run`` first configures it (fullscreen,
no exit on Escape, one touch provider, window size for tests) and only then imports the
Kivy half (``kiosk.ui.pos_app``). ``bridge`` is the one queue from every driver thread
to the UI; the caller makes it (``new_bridge``) before it builds the devices, so that it
can hand ``bridge.device_listener`` to them. ``kiosk`` may be a built ``kiosk.bootstrap.Kiosk`` or
a callable returning one; a callable is called after the first frame is on screen, so
opening the ledger and loading the catalog stay out of the first frame's way.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.appliance.stop_signals import StopSignals
from kiosk.ui.event_bridge import EventBridge
from kiosk.ui.till import Till

MODES = ("self-checkout", "counter")


def new_bridge() -> EventBridge:
    """The hand-over queue for one run of the app."""
    return EventBridge(time.monotonic)


def configure_kivy(*, fullscreen: bool, size: tuple[int, int] | None) -> None:
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    import logging

    logging.getLogger("kivy").setLevel(logging.WARNING)
    from kivy.config import Config

    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "keyboard_mode", "system")
    Config.set("kivy", "log_level", "warning")
    Config.set("graphics", "resizable", "1" if not fullscreen else "0")
    Config.set("graphics", "fullscreen", "auto" if fullscreen else "0")
    Config.set("graphics", "show_cursor", "0" if fullscreen else "1")
    if size is not None:
        Config.set("graphics", "width", str(size[0]))
        Config.set("graphics", "height", str(size[1]))
    # One touch provider only (SDL's own); probesysfs plus SDL doubles every touch on a Pi.
    for key in list(Config.options("input")) if Config.has_section("input") else []:
        Config.remove_option("input", key)
    Config.set("input", "mouse", "mouse,disable_multitouch")


def window_size_from_env() -> tuple[int, int] | None:
    text = os.environ.get("KIOSK_WINDOW", "")
    if not text:
        return None
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise SystemExit(f"KIOSK_WINDOW must look like 800x480, got {text!r}") from None
    return width, height


def run(
    kiosk: Till | Callable[[], Till],
    *,
    mode: str,
    bridge: EventBridge,
    exit_after_ready: bool = False,
    script: Path | None = None,
    screenshots: Path | None = None,
    started_at: float,
    staff_pin: str = "2222",
    stop: StopSignals | None = None,
) -> int:
    """Run the till until it is closed (staff mode), the script ends, it is ready
    (``exit_after_ready``) or ``stop`` notes SIGTERM/SIGINT. ``started_at`` is the
    process start as ``time.time()``. Returns the process exit code."""
    if mode not in MODES:
        print(f"unknown mode {mode!r}; use self-checkout or counter", file=sys.stderr)
        return 2
    if script is not None and not script.is_file():
        print(f"script not found: {script}", file=sys.stderr)
        return 2
    size = window_size_from_env()
    headless_run = exit_after_ready or script is not None
    fullscreen = not headless_run and os.environ.get("KIOSK_WINDOWED", "") != "1"
    if size is None and not fullscreen:
        size = (1280, 800)
    configure_kivy(fullscreen=fullscreen, size=size)
    from kiosk.ui.pos_app import PosApp

    app = PosApp(
        kiosk,
        mode=mode,
        started_at=started_at,
        bridge=bridge,
        exit_after_ready=exit_after_ready,
        script=script,
        screenshots=screenshots,
        staff_pin=staff_pin,
    )
    app.stop_signals = stop
    app.run()
    return app.exit_code
