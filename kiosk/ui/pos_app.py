"""The Kivy application: wires presenters to screens, devices to the event bridge.

Driver threads never touch the UI or the services: scanner, card-terminal and device
callbacks ``post`` into the ``EventBridge``; ``_drain`` applies them on the main thread,
once per frame, each exactly once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.base import ExceptionHandler, ExceptionManager
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty

from kiosk.appliance.stop_signals import StopSignals
from kiosk.ports import (
    DeviceError,
    DeviceEvent,
    DeviceSet,
    DeviceState,
    HandFedCashAcceptor,
    Scan,
)
from kiosk.services.device_alerts import DeviceAlerts
from kiosk.ui import faces, systemd_link, theme, widgets
from kiosk.ui.device_effects import DeviceEffects
from kiosk.ui.event_bridge import EventBridge, UiEvent
from kiosk.ui.i18n import Language
from kiosk.ui.keyboard_scanner import KeyboardWedge
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.refusals import shown_text
from kiosk.ui.presenters.self_checkout import SelfCheckoutPresenter
from kiosk.ui.qris_runner import start_qris
from kiosk.ui.till import Till
from kiosk.ui.widgets import till_warnings

log = logging.getLogger("kiosk.ui")
ESCAPE = 27


def process_age(fallback: float) -> float:
    """Seconds since this process started (from /proc), else ``fallback``."""
    try:
        start_ticks = int(Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()[19])
        uptime = float(Path("/proc/uptime").read_text().split()[0])
        return max(fallback, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return fallback


class _KeepRunning(ExceptionHandler):
    """A till must not crash on a bug in one button: log it, show it, keep selling."""

    def __init__(self, app: PosApp) -> None:
        super().__init__()
        self.app = app

    def handle_exception(self, exception: BaseException) -> Any:
        if isinstance(exception, KeyboardInterrupt | SystemExit):
            return ExceptionManager.RAISE
        self.app.errors.append("".join(traceback.format_exception(exception)))
        log.error("unhandled error in the UI: %s", exception, exc_info=exception)
        return ExceptionManager.PASS


class PosApp(App):
    k = NumericProperty(1.0)  # type scale, see theme.scale_for
    touch = NumericProperty(theme.TOUCH)  # the one touch size, see theme.touch_for
    simulated = BooleanProperty(True)
    stop_signals: StopSignals | None = None  # SIGTERM/SIGINT noted; checked between frames
    _stopping = False  # a stop signal was acted on (once)

    def __init__(
        self,
        kiosk: Till | Callable[[], Till],
        *,
        mode: str,
        started_at: float,
        bridge: EventBridge,
        exit_after_ready: bool = False,
        script: Path | None = None,
        screenshots: Path | None = None,
        staff_pin: str = "2222",
    ) -> None:
        super().__init__()
        self.kiosk: Till | None = None
        self._build_kiosk: Callable[[], Till] | None = None
        if callable(kiosk):
            self._build_kiosk = kiosk  # built after the first frame is on screen
        else:
            self.kiosk = kiosk
        self.mode = mode
        self.started_at = started_at
        self.exit_after_ready = exit_after_ready
        self.script = script
        self.screenshots = screenshots
        self.staff_pin = staff_pin
        self.exit_code = 0
        self.errors: list[str] = []
        self.bridge = bridge
        self.presenter: SelfCheckoutPresenter | CounterPresenter | None = None
        self._shown_lines: tuple[str, str] | None = None
        self.ready_at: float | None = None
        self.root_widget: Any = None
        self.language = "id"
        self.wedge = KeyboardWedge(lambda code: self.bridge.post("scan", code, source="keyboard"))
        self.title = "Kiosk"

    # -- build ------------------------------------------------------------------------
    def build(self) -> Any:
        from kivy.uix.floatlayout import FloatLayout

        ExceptionManager.add_handler(_KeepRunning(self))
        theme.register_fonts()
        widgets.load()
        Window.clearcolor = theme.BACKGROUND
        Window.bind(
            on_resize=self._on_resize,
            on_key_down=self._on_key_down,
            on_request_close=self._on_request_close,
        )
        self._on_resize(Window, *Window.size)
        self.holder = FloatLayout()
        Clock.schedule_once(self._first_frame_done, 0)
        # Always scheduled, so the loop wakes for it even when nothing else is going on.
        Clock.schedule_interval(self._check_stop, 0.1)
        return self.holder

    def _first_frame_done(self, _dt: float) -> None:
        # Runs before the first frame is drawn; push the heavy part one frame later.
        Window.bind(on_flip=self._after_flip)

    def _after_flip(self, *_: Any) -> None:
        Window.unbind(on_flip=self._after_flip)
        Clock.schedule_once(self._start_services, 0)

    def _start_services(self, _dt: float) -> None:
        if self.kiosk is None and self._build_kiosk is not None:
            self.kiosk = self._build_kiosk()
        kiosk = self.till
        settings = kiosk.settings
        self.language = str(settings.get("language"))
        self.simulated = kiosk.hardware == "simulated"
        self.staff = kiosk.staff
        self.effects = DeviceEffects(
            kiosk.devices or DeviceSet(), self.bridge, counter=self.mode == "counter",
            language=self.language, receipt=kiosk.receipt,
        )  # fmt: skip
        if self.mode == "self-checkout":
            self._self_checkout_face()
        else:
            self._counter_face()
        self.holder.add_widget(self.root_widget)
        self.face.listeners.append(self._customer_display)
        self.warnings = till_warnings.start(self, self.face, kiosk.till_warnings,
                                            counter=self.mode == "counter")  # fmt: skip
        self.face.listeners.append(self.warnings.redraw)  # the face's language may change
        if kiosk.restore_open_basket():  # left open by a stop, a crash or a power cut
            self.face.basket_restored()
        self.qris = start_qris(kiosk, self.face, self.post)  # and finish what a kill left
        self._start_scanners()
        self.device_alerts = DeviceAlerts(kiosk.ledger, kiosk.clock)
        if self._reports_to_fleet():
            kiosk.start_telemetry(
                on_change=lambda _name: self.post(self._fleet_changed),
                on_lock=lambda locked: self.post(lambda: self._set_lane(locked=locked)),
                lane_locked=self._lane_locked,
            )
        Clock.schedule_interval(self._drain, 0)
        Clock.schedule_interval(self._tick, 0.5)
        Clock.schedule_interval(lambda _dt: kiosk.on_idle(), 30)  # WAL checkpoint, off the sale
        Window.bind(on_flip=self._ready)

    def _self_checkout_face(self) -> None:
        self.presenter, self.root_widget = faces.self_checkout(
            self.till, self.staff, self.effects, self.language
        )

    def _counter_face(self) -> None:
        self.presenter, self.root_widget = faces.counter(
            self.till, self.staff, self.effects, self.language, self
        )

    def _check_stop(self, _dt: float) -> None:
        stop = self.stop_signals
        if stop is not None and stop.received and not self._stopping:
            self._stopping = True
            log.warning("stopping on %s; the open basket is kept", stop.name)
            self.stop()

    def _reports_to_fleet(self) -> bool:
        """Scripted and timing runs stay off the broker; a real run reports to it."""
        quiet = self.script is not None or self.exit_after_ready
        return not quiet and os.environ.get("KIOSK_TELEMETRY", "1") != "0"

    def _fleet_changed(self) -> None:
        """A fleet command changed products, prices or promotions: price from them now."""
        self.till.reload_catalog()
        self.face._changed()
        self.warnings.check()  # the disk threshold may have changed

    def _lane_locked(self) -> bool:
        p = self.presenter
        return isinstance(p, SelfCheckoutPresenter) and p.lane_closed

    def _set_lane(self, *, locked: bool) -> None:
        p = self.presenter
        if isinstance(p, SelfCheckoutPresenter):
            p.close_lane() if locked else p.open_lane()
        elif locked and p is not None:
            p.logout()  # a counter till: the cashier is signed out

    def _customer_display(self) -> None:
        display = self.effects.devices.display
        if display is None or self.presenter is None:
            return
        basket = self.presenter.basket
        lines = (
            basket.rows[-1].name[:20] if basket.rows else "",
            f"TOTAL {basket.total_text}"[:20],
        )
        if lines == self._shown_lines:
            return  # a serial pole display is slow: write only what changed
        self._shown_lines = lines
        try:
            display.show_lines(*lines)
        except DeviceError as error:
            log.warning("customer display: %s", error.message)

    def _start_scanners(self) -> None:
        bridge = self.bridge

        def scanned(scan: Scan) -> None:  # on the scanner's thread
            bridge.post("scan", scan.data, source="scanner")

        for scanner in self.effects.devices.scanners:
            try:
                scanner.start(scanned, bridge.device_listener)
            except DeviceError as error:
                log.warning("scanner did not start: %s", error.message)

    def _ready(self, *_: Any) -> None:
        Window.unbind(on_flip=self._ready)
        self.ready_at = time.monotonic()
        seconds = process_age(self.ready_at - self.started_at)
        log.warning("ready to scan after %.3f s", seconds)
        systemd_link.LINK.ready()
        if self.exit_after_ready:
            print(f"ready to scan in {seconds:.3f} s", flush=True)
            self.stop()
        elif self.script is not None:
            from kiosk.ui.script_runner import ScriptRunner

            # Kivy's Clock holds callbacks weakly: keep the runner alive on the app.
            self.runner = ScriptRunner(self, self.script, self.screenshots)
            self.runner.start()

    # -- events -------------------------------------------------------------------------
    def _drain(self, _dt: float) -> None:
        self.bridge.drain(self._apply)

    @property
    def till(self) -> Till:
        """The kiosk, once ``_start_services`` has it (built here or handed in)."""
        if self.kiosk is None:
            raise RuntimeError("the till has not started yet")
        return self.kiosk

    @property
    def face(self) -> SelfCheckoutPresenter | CounterPresenter:
        """The running presenter (events are drained only once ``_start_services`` made it)."""
        if self.presenter is None:
            raise RuntimeError("the till has not started yet")
        return self.presenter

    def _apply(self, event: UiEvent) -> None:
        p = self.face
        try:
            if event.kind == "scan":
                p.scan(str(event.payload))
            elif event.kind == "card_result":
                p.card_result(event.payload)
            elif event.kind == "cash_inserted" and isinstance(p, SelfCheckoutPresenter):
                p.cash_inserted(int(event.payload))
            elif event.kind == "call":
                event.payload()
            elif event.kind == "device":
                self._device_event(event.payload)
        except Exception as error:  # show it, keep the till running
            self.errors.append("".join(traceback.format_exception(error)))
            log.exception("event %s failed", event.kind)
            p.message.text, p.message.level = shown_text(error, p.lang), "error"
            p._changed()

    def _device_event(self, event: DeviceEvent) -> None:
        self.device_alerts.handle(event)
        if event.status.state in (DeviceState.ERROR, DeviceState.OFFLINE):
            p = self.face
            failed = DeviceError(event.message or event.event, kind=event.kind)
            p.message.text = shown_text(failed, p.lang)
            p.message.level = "error"
            p._changed()

    def _tick(self, _dt: float) -> None:
        self.till.sync_open_basket()  # a power cut then loses at most the last second
        if isinstance(self.presenter, SelfCheckoutPresenter):
            self.presenter.tick()

    # -- window ---------------------------------------------------------------------------
    def _on_resize(self, _window: Any, width: float, height: float) -> None:
        self.k = theme.scale_for(width, height)
        self.touch = theme.touch_for(width, height)

    def staff_mode(self) -> bool:
        p = self.presenter
        if p is None:
            return False
        member = p.attendant if isinstance(p, SelfCheckoutPresenter) else p.cashier
        return member is not None and member.may("exit_kiosk")

    def _on_key_down(self, _w: Any, key: int, _sc: int, text: str | None, mods: list[str]) -> bool:
        if key == ESCAPE or (mods and ("alt" in mods or "ctrl" in mods or "meta" in mods)):
            if key == ESCAPE and self.staff_mode():
                self.stop()
            return True  # no shortcut leads out of the kiosk
        if self.presenter is None:
            return True
        return self.wedge.key(key, text)

    def _on_request_close(self, *_: Any, **__: Any) -> bool:
        return not (self.staff_mode() or self.script is not None or self.exit_after_ready)

    def both(self, message: str) -> str:
        """A message in both languages, for the attract screen."""
        texts = [Language(lang)._(message) for lang in ("id", "en")]
        return " · ".join(dict.fromkeys(texts))

    def insert_simulated_cash(self) -> None:
        """The demo's customer puts the note that covers what is still due into the
        simulated cash acceptor (the button shows only on simulated hardware)."""
        acceptor = self.effects.devices.cash_acceptor
        p = self.face
        if isinstance(acceptor, HandFedCashAcceptor) and isinstance(p, SelfCheckoutPresenter):
            acceptor.insert(acceptor.note_for(p.cash_due))

    def post(self, fn: Callable[[], None]) -> None:
        self.bridge.post("call", fn)

    def on_stop(self) -> None:
        systemd_link.LINK.stopping()
        devices = self.kiosk.devices if self.kiosk is not None else None
        for scanner in devices.scanners if devices is not None else []:
            with contextlib.suppress(DeviceError):
                scanner.close()
