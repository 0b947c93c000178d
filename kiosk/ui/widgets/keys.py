"""On-screen keys: a grid of buttons and the digit and letter layouts it shows."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.gridlayout import GridLayout

from kiosk.ui.widgets.buttons import PosButton


class KeyGrid(GridLayout):
    """A grid of keys; each press calls ``on_key(key)``. Keys are (key, label) pairs."""

    keys = ListProperty([])
    prefix = StringProperty("key")
    fill = BooleanProperty(False)  # keys share the grid's height (never below 48 px)
    on_key = ObjectProperty(None, allownone=True)

    def on_keys(self, *_: Any) -> None:
        self.clear_widgets()
        for key, label in self.keys:
            role = "primary" if key in ("enter", "ok") else "plain"
            button = PosButton(label=label, action=f"{self.prefix}_{key}", role=role)
            if self.fill:
                button.size_hint_y = 1
            button.bind(on_release=lambda _b, k=key: self.on_key and self.on_key(k))
            self.add_widget(button)


DIGIT_KEYS = [(k, k) for k in "789456123"] + [("0", "0"), ("00", "00")]
LETTER_ROWS = ("1234567890", "QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM ")
