"""The till's warnings on screen, shown while ``Till.till_warnings()`` reports something
and gone when it clears; never over a button.

Self-checkout: a thin muted line along the top, worded for staff (``StripBeside``).
Counter: an amber banner above the sale's basket (counter.kv, from the presenter's
``till_warning``), where it takes no room from the keypad. The conditions are measured
every ``every_s`` seconds (one statvfs and a settings read: cheap, but not on every scan)
and when the app asks (a fleet change); the words follow the face's language.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.graphics import Color, Rectangle
from kivy.uix.label import Label

from kiosk.ui import theme
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.till_warnings import counter_banner, staff_note

EVERY_S = 30.0


def every_s() -> float:
    """``KIOSK_WARNINGS_EVERY_S`` (tests use a short one), else 30 s."""
    try:
        return max(0.1, float(os.environ.get("KIOSK_WARNINGS_EVERY_S", EVERY_S)))
    except ValueError:
        return EVERY_S


class WarningStrip(Label):
    """One thin muted line of warning, for staff."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.size_hint = (1, None)
        self.pos_hint = {"x": 0, "top": 1}
        self.color = theme.MUTED
        self.halign, self.valign, self.shorten = "left", "middle", True
        with self.canvas.before:
            Color(rgba=theme.LINE)
            self._background = Rectangle(pos=self.pos, size=self.size)
        self.bind(pos=self._draw, size=self._draw)

    def scale(self, k: float, _touch: float) -> None:
        self.font_size = k * 14
        self.height = k * 26

    def _draw(self, *_: Any) -> None:
        self._background.pos, self._background.size = self.pos, self.size
        self.text_size = (self.width - 24, self.height)


class TillWarningsView:
    """Measures the warnings now and then and hands their words to ``show`` (only when
    the words change)."""

    def __init__(
        self,
        *,
        loud: bool,
        lang: Language,
        warnings: Callable[[], list[str]],
        show: Callable[[str], None],
    ) -> None:
        self.loud, self.lang, self.warnings, self.show = loud, lang, warnings, show
        self.kinds: list[str] = []
        self.shown = ""
        self.check()
        # A bound method: Kivy's Clock holds it weakly, the app holds this view.
        self._event = Clock.schedule_interval(self._tick, every_s())

    def _tick(self, _dt: float) -> None:
        self.check()

    def check(self) -> None:
        """Measure now (also when the app knows something changed)."""
        self.kinds = list(self.warnings())
        self.redraw()

    def redraw(self) -> None:
        """The words again, in the face's current language."""
        text = (counter_banner if self.loud else staff_note)(self.kinds, self.lang)
        if text != self.shown:
            self.shown = text
            self.show(text)

    def stop(self) -> None:
        self._event.cancel()


class StripBeside:
    """The self-checkout's strip along the top of ``root``, above ``screens`` (a
    ScreenManager filling it), so it never covers a button."""

    def __init__(self, root: Any, screens: Any, app: Any) -> None:
        self.root, self.screens, self.app = root, screens, app
        self.strip = WarningStrip()
        # The screens keep (0, 0): a Screen draws its kv background relative to itself,
        # so moved up it would paint off by its own offset.
        screens.size_hint_y = None
        screens.pos_hint = {"x": 0, "y": 0}
        root.bind(size=self._layout)
        app.bind(k=self._layout, touch=self._layout)
        self._layout()

    def show(self, text: str) -> None:
        self.strip.text = text
        if text and self.strip.parent is None:
            # Just above the screens, below any overlay and its scrim.
            self.root.add_widget(self.strip, index=len(self.root.children) - 1)
        elif not text and self.strip.parent is not None:
            self.root.remove_widget(self.strip)
        self._layout()

    def _layout(self, *_: Any) -> None:
        self.strip.scale(self.app.k, self.app.touch)
        taken = self.strip.height if self.strip.parent is not None else 0
        self.screens.height = self.root.height - taken


def start(
    app: Any, face: Any, warnings: Callable[[], list[str]], *, counter: bool
) -> TillWarningsView:
    """The warnings of ``app``'s running face (its presenter ``face``)."""
    if counter:

        def show(text: str) -> None:
            face.till_warning = text
            face._changed()

    else:
        show = StripBeside(app.root_widget, app.root_widget.sm, app).show
    return TillWarningsView(loud=counter, lang=face.lang, warnings=warnings, show=show)
