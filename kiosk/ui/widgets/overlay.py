"""Screens and overlay panels built the first time they are shown, a scrim that keeps
touches for its content, and one way to show an overlay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.clock import Clock
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.screenmanager import ScreenManager

from kiosk.ui import heap

# Long enough for a new screen's first frames (its labels render on the next frame), short
# enough to come before the lane's next customer.
GIVE_BACK_AFTER_S = 1.0


def _give_back(_dt: float) -> None:
    heap.give_back()


# Kivy's clock holds a module function strongly.
_give_back_later = Clock.create_trigger(_give_back, GIVE_BACK_AFTER_S)


def give_back_soon() -> None:
    """Trim the heap ``GIVE_BACK_AFTER_S`` after the last call: a change of screen just
    before a trim already due would otherwise draw its screen after that trim."""
    _give_back_later.cancel()
    _give_back_later()


class Panels:
    """Overlay panels by name, each built the first time it is shown: most lanes never
    show most of them, and each costs widgets, textures and memory from the start."""

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._makers[name]()
            give_back_soon()
        return self._built[name]


def show_screen(sm: ScreenManager, makers: dict[str, Any], name: str, p: Any) -> None:
    """Make screen ``name`` current, building it (``makers[name](name=, p=)``) the first
    time: a faster first frame, and memory only for the screens a lane really shows.
    A change of screen is a pause in the lane's work (a sale paid, a login): the heap's
    freed pages go back to the system then."""
    if sm.current == name:
        return
    if not sm.has_screen(name):
        sm.add_widget(makers[name](name=name, p=p))
    sm.current = name
    give_back_soon()


class Scrim(FloatLayout):
    """A dimmed layer over the screen that keeps every touch for its own content."""

    def on_touch_down(self, touch: Any) -> bool:
        super().on_touch_down(touch)
        return True

    def on_touch_move(self, touch: Any) -> bool:
        super().on_touch_move(touch)
        return True

    def on_touch_up(self, touch: Any) -> bool:
        super().on_touch_up(touch)
        return True


def show_overlay(host: Any, scrim: Any, overlays: Panels, shown: str, wanted: str) -> str:
    """Put overlay ``wanted`` (or none, for "") over ``host`` on its scrim and refresh it;
    returns the name now shown."""
    if wanted != shown:
        scrim.clear_widgets()
        if scrim.parent is not None:
            host.remove_widget(scrim)
        if wanted:
            scrim.add_widget(overlays[wanted])
            host.add_widget(scrim)
    if wanted:
        overlays[wanted].refresh()
    return wanted
