"""The one touchable button every screen uses."""

from __future__ import annotations

from typing import Any

from kivy.properties import ListProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.label import Label

from kiosk.ui import theme


class PosButton(ButtonBehavior, Label):
    """Every touchable thing: one height, a role colour, an optional icon.

    ``action`` is the button's stable name; the script runner and tests press buttons
    by it, exactly as a finger would (a touch at its centre)."""

    action = StringProperty("")
    role = StringProperty("plain")
    icon = StringProperty("")
    label = StringProperty("")
    fill = ListProperty(list(theme.SURFACE))
    ink = ListProperty(list(theme.TEXT))

    def on_role(self, *_: Any) -> None:
        fill, ink = theme.ROLE_COLOURS.get(self.role, theme.ROLE_COLOURS["plain"])
        self.fill, self.ink = list(fill), list(ink)
