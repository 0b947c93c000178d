"""Play a ``kiosk replay`` script through the real UI (the counter's steps:
script_counter_steps.py; the bench step: script_bench.py).

Scans go in as scanner events (through the event bridge, like a driver thread's); every
other step presses the real buttons with synthetic touches. A screenshot is saved after
each step; the app exits when the script ends (code 0) or a step fails (code 1, with the
script line on stderr). A completed sale lands in the ledger as it would from a person.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.ui.script_bench import Action, BenchStepMixin
from kiosk.ui.script_books import BooksStepMixin
from kiosk.ui.script_counter_steps import CounterStepsMixin, StepError
from kiosk.ui.script_loyalty import LoyaltyStepMixin
from kiosk.ui.script_self_checkout import SelfCheckoutPayMixin
from kiosk.ui.script_walk import WalkStepMixin
from kiosk.ui.touch import find_action, tap

WAIT_LIMIT_S = 15.0


_EXPANDED = object()  # an action that replaced itself with more actions


class ScriptRunner(
    BenchStepMixin, CounterStepsMixin, LoyaltyStepMixin, WalkStepMixin, BooksStepMixin,
    SelfCheckoutPayMixin,
):  # fmt: skip
    def __init__(self, app: Any, script: Path, screenshots: Path | None) -> None:
        self.app = app
        self.script = script
        self.shots = screenshots
        self.steps: deque[tuple[int, str, Any]] = deque()
        self.actions: deque[Action] = deque()
        self.current: tuple[int, str, Any] | None = None
        self.shot_no = 0
        self.waiting_since = 0.0
        self._frames = 0

    @property
    def p(self) -> Any:
        return self.app.presenter

    # -- driving ----------------------------------------------------------------------
    def start(self) -> None:
        for line_no, raw in enumerate(self.script.read_text(encoding="utf-8").splitlines(), 1):
            text = raw.strip()
            if not text or text.startswith("#"):
                continue
            try:
                step = json.loads(text)
            except json.JSONDecodeError as error:
                self._fail(line_no, f"not JSON: {error.msg}")
                return
            name = (
                "sku"
                if isinstance(step, dict) and "sku" in step
                else (next(iter(step)) if isinstance(step, dict) and len(step) == 1 else "")
            )
            if not name:
                self._fail(line_no, "a step is an object with exactly one step name")
                return
            self.steps.append((line_no, name, step))
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
        self.actions.extend(self._opening())
        self.waiting_since = time.monotonic()
        Clock.schedule_once(self._frame, 0)

    def _frame(self, _dt: float) -> None:
        try:
            self._advance()
        except StepError as error:
            line = self.current[0] if self.current else 0
            self._fail(line, str(error))
            return
        except Exception as error:  # a bug in the UI: report it with the script line
            line = self.current[0] if self.current else 0
            self._fail(line, f"{type(error).__name__}: {error}")
            return
        if self.app.errors:
            line = self.current[0] if self.current else 0
            self._fail(line, "the UI raised: " + self.app.errors[-1].strip().splitlines()[-1])
            return
        if self.actions or self.steps:
            Clock.schedule_once(self._frame, 0)
        else:
            self.app.exit_code = 0
            self.app.stop()

    def _advance(self) -> None:
        if self.actions:
            action = self.actions[0]
            done = action()
            if done is _EXPANDED:
                return
            if done is False:
                if time.monotonic() - self.waiting_since > WAIT_LIMIT_S:
                    raise StepError("timed out waiting for the UI")
                return
            self.actions.popleft()
            self.waiting_since = time.monotonic()
            return
        if not self.steps:
            return
        self.current = self.steps.popleft()
        _line_no, name, step = self.current
        plan = getattr(self, f"_{self.app.mode.replace('-', '_')}_{name}", None)
        if plan is None:
            raise StepError(f"step {name!r} is not available in {self.app.mode} mode")
        self.actions.extend(plan(step))
        self.actions.append(self._check_no_error)
        self.actions.append(self._settle)
        if os.environ.get("KIOSK_AUDIT") == "1":
            self.actions.append(self._audit)
        self.actions.append(lambda: self._shot(f"{name}"))
        self.waiting_since = time.monotonic()

    def _fail(self, line_no: int, message: str) -> None:
        print(f"{self.script}:{line_no}: {message}", file=sys.stderr, flush=True)
        self._shot("failed")
        self.app.exit_code = 1
        self.app.stop()

    # -- primitives -------------------------------------------------------------------
    def press(self, action: str) -> Action:
        def run() -> bool:
            root = self.app.root_widget
            widget = find_action(root, action)
            if widget is None:
                return False  # not (yet) on screen: try again next frame, up to the limit
            tap(widget)
            return True

        return run

    def scan(self, code: str) -> list[Action]:
        def post() -> None:
            self.app.bridge.post("scan", code, source="script")

        return [post, lambda: self.app.bridge.pending() == 0]

    def later(self, plan: Callable[[], Iterator[Action]]) -> Action:
        """Decide the next actions when this point is reached, not when the step starts."""

        def run() -> Any:
            self.actions.popleft()
            self.actions.extendleft(reversed(list(plan())))
            self.waiting_since = time.monotonic()
            return _EXPANDED

        return run

    def until(self, predicate: Callable[[], bool]) -> Action:
        return lambda: bool(predicate())

    def keys(self, prefix: str, text: str) -> list[Action]:
        return [self.press(f"{prefix}_{ch}") for ch in text]

    def _settle(self) -> bool:
        # Two frames after the last touch, so the screenshot shows the result.
        self._frames += 1
        if self._frames < 3:
            return False
        self._frames = 0
        return True

    def _audit(self) -> None:
        from kiosk.ui.touch import audit, text_audit

        problems = audit(self.app.root_widget) + text_audit(self.app.root_widget)
        if problems:
            raise StepError("layout: " + "; ".join(problems[:5]))

    def _check_no_error(self) -> None:
        message = self.p.message
        if message.level == "error" and message.text:
            raise StepError(message.text)

    def _shot(self, name: str) -> None:
        if self.shots is None:
            return
        self.shot_no += 1
        target = self.shots / f"{self.shot_no:02d}-{name}.png"
        made = Window.screenshot(name=str(target))
        if made and Path(made) != target:
            os.replace(made, target)

    # -- self-checkout ----------------------------------------------------------------
    def _opening(self) -> Iterator[Action]:
        yield self._settle
        yield lambda: self._shot("ready")
        if self.app.mode == "counter" and self.p.screen == "login":
            yield from self.keys("pin", self.app.staff_pin)
            yield self.press("pin_enter")
            yield self.until(lambda: self.p.screen == "sale")
            yield self._check_no_error

    def _self_checkout_scan(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self.scan(str(step["scan"]))
        yield self.later(self._attend_if_stopped)

    def _self_checkout_type(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._counter_type(step)
        yield self.later(self._attend_if_stopped)

    def _attend_if_stopped(self) -> Iterator[Action]:
        """An intervention (age check, unknown item): staff come, badge in, approve, lock;
        unless the script's next step says what staff do (``attend`` or ``press``)."""
        if self.p.lane.pending is None or self.p.attendant is not None:
            return
        if self.steps and self.steps[0][1] in ("attend", "press"):
            return
        yield self._settle
        yield lambda: self._shot("intervention")
        yield from self._badge_in()
        yield self._settle
        yield lambda: self._shot("attendant")
        yield self.press("approve")
        yield self.press("lock")

    def _badge_in(self) -> Iterator[Action]:
        """The staff member with the run's PIN scans their badge, then (a supervisor's
        badge asks for it) types that PIN."""
        member = self.app.staff.login_pin(self.app.staff_pin)
        if not (member.badge and member.may("approve_limit")):
            raise StepError("the run's staff PIN has no badge that may approve")
        yield from self.scan(member.badge)
        yield self.until(lambda: self.p.attendant_prompt or self.p.attendant is not None)
        yield self.later(self._pin_if_asked)

    def _pin_if_asked(self) -> Iterator[Action]:
        if self.p.attendant is None:
            yield from self.keys("pin", self.app.staff_pin)
            yield self.press("pin_enter")
            yield self.until(lambda: self.p.attendant is not None)

    # -- UI-only step: {"attend": {"badge": "STAFF-0002", "pin": "2222"}}: a member of
    # staff at the lane scans their badge and/or types their PIN on the lane's PIN pad
    # (opened with the staff button when it is not already asking) ------------------------
    def _self_checkout_attend(self, step: dict[str, Any]) -> Iterator[Action]:
        spec = step["attend"]
        if not isinstance(spec, dict) or not {"badge", "pin"} & spec.keys():
            raise StepError('attend needs {"badge": code} and/or {"pin": digits}')
        if "badge" in spec:
            yield from self.scan(str(spec["badge"]))
        if "pin" in spec:
            yield self.later(lambda: self._type_pin(str(spec["pin"])))

    def _type_pin(self, pin: str) -> Iterator[Action]:
        if not (self.p.attendant_prompt or self.p.supervisor_prompt):
            yield self.press("staff")
        yield from self.keys("pin", pin)
        yield self.press("pin_enter")

    def _self_checkout_sku(self, step: dict[str, Any]) -> Iterator[Action]:
        sku = str(step["sku"])
        for _ in range(int(step.get("qty", 1))):
            if self.p.screen == "attract":
                yield self.press("start_id")
            yield self.press("search")
            yield from self.keys("kbd", sku.upper())
            yield self._press_result(sku)

    def _press_result(self, sku: str) -> Action:
        till = self.app.kiosk
        if till is not None and till.catalog.by_sku(sku) is None:  # else a 15 s wait
            raise StepError(f"no product with SKU {sku!r} in the catalog")

        def run() -> bool:
            from kiosk.ui.touch import walk

            for widget in walk(self.app.root_widget):
                if getattr(widget, "sku", None) == sku:
                    tap(widget)
                    return True
            return False

        return run

    def _self_checkout_void(self, step: dict[str, Any]) -> Iterator[Action]:
        line = int(step["void"])
        yield lambda: self._show_line(line)
        yield self.press(f"void_{line}")
        yield from self._badge_in()
        yield self.press("approve")
        yield self.press("lock")

    def _show_line(self, line: int) -> None:
        from kiosk.ui.touch import walk

        for widget in walk(self.app.root_widget):
            if hasattr(widget, "show_line"):
                widget.show_line(line)

    # -- UI-only step: {"press": "<action>"} presses a button by name (tests, demos) --------
    def _counter_press(self, step: dict[str, Any]) -> Iterator[Action]:
        yield self.press(str(step["press"]))

    _self_checkout_press = _counter_press

    # -- UI-only steps: {"see": "text"} / {"not_see": "text"} wait for a visible text ----
    def _counter_see(self, step: dict[str, Any]) -> Iterator[Action]:
        yield self.until(lambda: self._shows(str(step["see"])))

    def _counter_not_see(self, step: dict[str, Any]) -> Iterator[Action]:
        yield self.until(lambda: not self._shows(str(step["not_see"])))

    _self_checkout_see, _self_checkout_not_see = _counter_see, _counter_not_see

    def _shows(self, text: str) -> bool:
        from kiosk.ui.touch import visible, walk

        return any(text in str(getattr(w, "text", "")) and visible(w)
                   for w in walk(self.app.root_widget))  # fmt: skip

    # -- UI-only step: {"weigh": 1250} puts grams on the simulated scale, presses Weigh --
    def _counter_weigh(self, step: dict[str, Any]) -> Iterator[Action]:
        devices = self.app.kiosk.devices if self.app.kiosk is not None else None
        peer = devices.twins.get("scale_peer") if devices is not None else None
        if peer is None:
            raise StepError("a weigh step needs the simulated scale (--hardware simulated)")
        if self.p.weighing is None:
            raise StepError("nothing is waiting for the scale; scan a weighed item first")
        peer.place(int(step["weigh"]))
        yield self.press("weigh")
        yield self.until(lambda: self.p.weighing is None or self.p.message.level == "error")

    _self_checkout_weigh = _counter_weigh

    # -- UI-only step: {"type": "8991..."} types on the keyboard, then Enter (the wedge) --
    def _counter_type(self, step: dict[str, Any]) -> Iterator[Action]:
        text = str(step["type"])

        def typing() -> None:
            for ch in text:
                Window.dispatch("on_key_down", ord(ch.lower()), 0, ch, [])
                Window.dispatch("on_key_up", ord(ch.lower()), 0)
            Window.dispatch("on_key_down", 13, 40, None, [])
            Window.dispatch("on_key_up", 13, 40)

        yield typing
        yield lambda: self.app.bridge.pending() == 0
