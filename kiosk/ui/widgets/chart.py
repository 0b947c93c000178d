"""The reports screen's bar chart (sales by hour)."""

from __future__ import annotations

from typing import Any

from kivy.graphics import Color, Rectangle
from kivy.properties import ListProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk.ui import theme


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
                    font_size=14,
                    size=(width * 2, label_h),
                    pos=(x - width / 2, self.y),
                )
                self.add_widget(lab)
