"""Overlays: a scrim that keeps touches for its content, and one way to show an overlay."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kivy.uix.floatlayout import FloatLayout


class Panels:
    """Overlay panels by name, each built the first time it is shown: most lanes never
    show most of them, and each costs widgets, textures and memory from the start."""

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers
        self._built: dict[str, Any] = {}

    def __getitem__(self, name: str) -> Any:
        if name not in self._built:
            self._built[name] = self._makers[name]()
        return self._built[name]


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
