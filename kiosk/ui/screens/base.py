"""What every screen shares: its presenter, a change counter kv binds to, and ``t``."""

from __future__ import annotations

from typing import Any

from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import Screen


class Glue:
    """kv expressions mention ``root.tick``, so bumping it re-evaluates them."""

    p: Any
    tick: Any

    def t(self, message: str, *_: Any) -> str:
        return str(self.p.lang._(message)) if self.p is not None else message

    def refresh(self) -> None:
        self.tick += 1
        bar = getattr(self, "ids", {}).get("topbar")
        if bar is not None and self.p is not None:
            bar.text = self.p.message.text
            bar.level = self.p.message.level
            bar.help_label = self.t("Call for help")
            bar.help_word = self.t("Help")
            bar.staff_word = self.t("Staff")


class ScoTopBar(BoxLayout):
    """Message, call-for-help and staff buttons: on every customer screen."""

    screen = ObjectProperty(None, allownone=True)
    text = StringProperty("")
    level = StringProperty("info")
    help_label = StringProperty("")
    help_word = StringProperty("")  # under the icon on a narrow bar
    staff_word = StringProperty("")


class PresenterScreen(Glue, Screen):
    p = ObjectProperty(None, allownone=True)
    tick = NumericProperty(0)


class Overlay(Glue, BoxLayout):
    p = ObjectProperty(None, allownone=True)
    tick = NumericProperty(0)


class WeighPanel(Overlay):
    """Both faces: a product sold by weight waits for the scale (price per kg shown)."""
