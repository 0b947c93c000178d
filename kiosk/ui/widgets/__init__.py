"""The few widgets every screen is built from, styled in widgets.kv."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from kivy.core.image import Image as CoreImage
from kivy.graphics import Color, Rectangle
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.gridlayout import GridLayout
from kivy.uix.image import Image
from kivy.uix.label import Label
from kivy.uix.recycleview import RecycleView
from kivy.uix.widget import Widget

from kiosk.ui import theme

KV = Path(__file__).with_name("widgets.kv")


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


def show_overlay(host: Any, scrim: Any, overlays: dict[str, Any], shown: str, wanted: str) -> str:
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


class Surface(BoxLayout):
    fill = ListProperty(list(theme.SURFACE))


class BasketRow(ButtonBehavior, BoxLayout):
    line_no = NumericProperty(0)
    name = StringProperty("")
    qty_text = StringProperty("")
    amount_text = StringProperty("")
    discount_text = StringProperty("")
    selected = BooleanProperty(False)
    action = StringProperty("")
    void_action = StringProperty("")
    void_label = StringProperty("")
    on_row = ObjectProperty(None, allownone=True)
    on_void = ObjectProperty(None, allownone=True)

    def on_release(self) -> None:
        if self.on_row is not None:
            self.on_row(int(self.line_no))


class BasketList(RecycleView):
    """The basket: recycled rows, so 200 lines cost no more to draw than 10."""

    data: list[dict[str, Any]]  # Kivy properties, annotated for mypy only
    scroll_y: float

    def show(self, rows: list[dict[str, Any]]) -> None:
        at_end = len(rows) > len(self.data)
        self.data = rows
        if at_end:
            self.scroll_y = 0.0  # follow the newest line

    def show_line(self, line_no: int) -> None:
        """Scroll so the row of ``line_no`` is on screen (a finger would swipe)."""
        index = next((i for i, r in enumerate(self.data) if r["line_no"] == line_no), None)
        if index is None or len(self.data) < 2:
            return
        self.scroll_y = 1 - index / (len(self.data) - 1)
        self.refresh_from_layout()


class BarChart(Widget):
    """Sales by hour: one bar per hour, the tallest scaled to the widget's height."""

    values = ListProperty([])
    labels = ListProperty([])

    def on_values(self, *_: Any) -> None:
        self._draw()

    def on_size(self, *_: Any) -> None:
        self._draw()

    def on_pos(self, *_: Any) -> None:
        self._draw()

    def _draw(self) -> None:
        self.canvas.clear()
        self.clear_widgets()
        if not self.values:
            return
        peak = max(self.values) or 1
        n = len(self.values)
        gap = 3
        width = max(1.0, (self.width - gap * n) / n)
        label_h = 22
        with self.canvas:
            for i, value in enumerate(self.values):
                x = self.x + i * (width + gap)
                h = (self.height - label_h - 4) * value / peak
                Color(*theme.ACCENT if value else theme.LINE)
                Rectangle(pos=(x, self.y + label_h), size=(width, max(h, 2)))
        for i, text in enumerate(self.labels):
            if text:
                x = self.x + i * (width + gap)
                lab = Label(
                    text=text,
                    color=theme.MUTED,
                    font_size=13,
                    size=(width * 2, label_h),
                    pos=(x - width / 2, self.y),
                )
                self.add_widget(lab)


class QrImage(Image):
    """A QR code for a payload (QRIS, e-receipt link), drawn with segno."""

    payload = StringProperty("")

    def on_payload(self, *_: Any) -> None:
        if not self.payload:
            self.texture = None
            return
        import segno

        buffer = io.BytesIO()
        segno.make(self.payload, error="m").save(buffer, kind="png", scale=8, border=2)
        buffer.seek(0)
        self.texture = CoreImage(buffer, ext="png").texture
        self.texture.mag_filter = "nearest"


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


def load() -> None:
    Builder.load_file(str(KV))
