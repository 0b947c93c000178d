"""The basket list: a surface panel and recycled rows, one per basket line."""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.recycleview import RecycleView

from kiosk.ui import theme


class Surface(BoxLayout):
    fill = ListProperty(list(theme.SURFACE))


class BasketRow(ButtonBehavior, BoxLayout):
    line_no = NumericProperty(0)
    name = StringProperty("")
    qty_text = StringProperty("")
    amount_text = StringProperty("")
    discount_text = StringProperty("")
    selected = BooleanProperty(False)
    saving = BooleanProperty(False)  # the sale's discount row: green, not a line
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

    def on_height(self, *_: Any) -> None:
        if self._pad_top(len(self.data)):
            self.refresh_from_data()

    def show(self, rows: list[dict[str, Any]]) -> None:
        at_end = len(rows) > len(self.data)
        self._pad_top(len(rows))
        self.data = rows
        if at_end:
            self.scroll_y = 0.0  # follow the newest line

    def _pad_top(self, count: int) -> bool:
        """Rows are stacked from the layout's bottom; a basket shorter than the list gets
        the spare height as bottom padding, so its rows start at the top (and a stale
        layout height cannot leave them floating mid-list). True when it changed."""
        layout = self.layout_manager
        if layout is None:
            return False
        row = float(layout.default_size[1] or 0)
        spare = max(0.0, float(self.height) - count * row)
        if list(layout.padding) == [0, 0, 0, spare]:
            return False
        layout.padding = [0, 0, 0, spare]
        return True

    def show_line(self, line_no: int) -> None:
        """Scroll so the row of ``line_no`` is on screen (a finger would swipe)."""
        index = next((i for i, r in enumerate(self.data) if r["line_no"] == line_no), None)
        if index is None or len(self.data) < 2:
            return
        self.scroll_y = 1 - index / (len(self.data) - 1)
        self.refresh_from_layout()
