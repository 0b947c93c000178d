"""The crash-free walk: ``{"walk": {"seed": 7, "taps": 400, "codes": [...]}}`` taps the
buttons of whatever screen is showing, one touch per frame through Kivy's event loop
(a button not yet pressed first, else any), and now and then scans one of ``codes``
(each kind of barcode the shop has, staff badges included). Seeded, so a run that finds
a crash can be played again. ``"check_texts": true`` checks every screen on the way
(kiosk.ui.text_audit): no English on an Indonesian screen, no internal names.

A refusal on the way is expected (tapping Pay on an empty sale is refused); what the walk
looks for is an exception, which the runner turns into exit code 1 with the script line.
It ends by printing which buttons it pressed, so a test can see it went everywhere."""

from __future__ import annotations

import random
import sys
from collections.abc import Iterator
from typing import Any

from kivy.uix.widget import Widget

from kiosk.ui.script_bench import Action
from kiosk.ui.script_counter_steps import StepError
from kiosk.ui.text_audit import shown_texts, text_problems
from kiosk.ui.touch import tap, visible, walk

SCAN_SHARE = 0.12  # about one move in eight is a scan


class WalkStepMixin:
    """Mixed into ``ScriptRunner``, which provides ``app`` and ``p``."""

    app: Any

    @property
    def p(self) -> Any:
        raise NotImplementedError

    def _self_checkout_walk(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._walk(step["walk"])

    def _counter_walk(self, step: dict[str, Any]) -> Iterator[Action]:
        yield from self._walk(step["walk"])

    def _walk(self, spec: dict[str, Any]) -> Iterator[Action]:
        rng = random.Random(int(spec.get("seed", 0)))
        codes = [str(c) for c in spec.get("codes", [])]
        share = float(spec.get("scan_share", SCAN_SHARE))
        pressed: set[str] = set()
        check_texts = bool(spec.get("check_texts", False))
        in_order = bool(spec.get("in_order", False))  # each code once, in turn

        def move() -> bool:
            if check_texts:
                self._check_texts()
            if codes and rng.random() < share:
                code = codes.pop(0) if in_order else rng.choice(codes)
                self.app.bridge.post("scan", code, source="script")
                return True
            buttons = _buttons(self.app.root_widget)
            if buttons:
                fresh = [b for b in buttons if b.action not in pressed]
                button = rng.choice(fresh or buttons)
                pressed.add(str(button.action))
                tap(button)
            return True

        for _ in range(int(spec.get("taps", 100))):
            yield move
        yield lambda: self.app.bridge.pending() == 0

        def report() -> None:
            print(f"walk pressed {len(pressed)}: {' '.join(sorted(pressed))}", file=sys.stderr)
            self.p.message.text, self.p.message.level = "", "info"  # refusals were expected

        yield report

    def _check_texts(self) -> None:
        """What the screen shows now: in the till's language, no internal names."""
        problems = text_problems(shown_texts(self.app.root_widget), self.p.lang.lang)
        if problems:
            raise StepError("; ".join(problems[:3]))


def _buttons(root: Widget) -> list[Any]:
    """The buttons a finger could press now, in a stable order (for the seed)."""
    found = [w for w in walk(root) if getattr(w, "action", "") and visible(w)]
    return sorted(found, key=lambda w: (str(w.action), w.x, w.y))
