"""Synthetic touches for the script runner and the UI tests: a finger on a widget's centre.

The touch goes through Kivy's event loop like a real one (``post_dispatch_input``), so
it reaches whatever is on top at that point: a button hidden under an overlay is not
pressed, exactly as for a person.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kivy.base import EventLoop
from kivy.input.motionevent import MotionEvent
from kivy.uix.widget import Widget


class FingerTouch(MotionEvent):
    def __init__(self, x: float, y: float) -> None:
        win = EventLoop.window
        args = {"x": x / max(1, win.width - 1), "y": y / max(1, win.height - 1)}
        super().__init__("finger", 1, args, is_touch=True, type_id="touch")

    def depack(self, args: dict[str, float]) -> None:
        self.sx, self.sy = args["x"], args["y"]
        self.profile = ["pos"]
        super().depack(args)


def tap_at(x: float, y: float) -> None:
    touch = FingerTouch(x, y)
    EventLoop.post_dispatch_input("begin", touch)
    EventLoop.post_dispatch_input("end", touch)


def walk(root: Widget) -> Iterator[Widget]:
    yield root
    for child in root.children:
        yield from walk(child)


def visible(widget: Widget) -> bool:
    node: Any = widget
    while node is not None:
        if getattr(node, "opacity", 1) == 0 or getattr(node, "disabled", False):
            return False
        parent = node.parent
        if parent is node:
            break
        node = parent
    win = EventLoop.window
    x, y = widget.to_window(*widget.center)
    return widget.get_root_window() is not None and 0 <= x < win.width and 0 <= y < win.height


def find_action(root: Widget, action: str) -> Widget | None:
    for widget in walk(root):
        if getattr(widget, "action", None) == action and visible(widget):
            return widget
    return None


def tap(widget: Widget) -> None:
    tap_at(*widget.to_window(*widget.center))


def audit(root: Widget, minimum: float = 48.0) -> list[str]:
    """Touch targets smaller than ``minimum`` px or reaching outside the window."""
    win = EventLoop.window
    problems = []
    for widget in walk(root):
        action = getattr(widget, "action", None)
        if not action or not visible(widget):
            continue
        x0, y0 = widget.to_window(widget.x, widget.y)
        x1, y1 = widget.to_window(widget.right, widget.top)
        if widget.width < minimum or widget.height < minimum:
            problems.append(f"{action}: {widget.width:.0f}x{widget.height:.0f} px")
        if not _inside_scroller(widget) and (
            x0 < -1 or y0 < -1 or x1 > win.width + 1 or y1 > win.height + 1
        ):
            problems.append(f"{action}: outside the window at ({x0:.0f},{y0:.0f})")
    return problems + basket_gaps(root)


def basket_gaps(root: Widget) -> list[str]:
    """A basket list that holds all its rows shows them from its top, with no gap above
    the first row (rows floating mid-list read as an empty basket)."""
    from kivy.uix.recycleview import RecycleView

    problems = []
    for widget in walk(root):
        layout = getattr(widget, "layout_manager", None)
        if not isinstance(widget, RecycleView) or layout is None or not visible(widget):
            continue
        rows = [child for child in layout.children if child.height > 0]
        if not rows or layout.minimum_height - layout.padding[3] > widget.height + 1:
            continue  # empty, or longer than the list: it scrolls
        top = max(row.to_window(row.x, row.top)[1] for row in rows)
        gap = widget.to_window(widget.x, widget.top)[1] - top
        if abs(gap) > 2:
            problems.append(f"basket rows start {gap:.0f} px below the list's top")
    return problems


def text_audit(root: Widget) -> list[str]:
    """Labels drawn below the type scale's floor (theme.MIN_TEXT px on any screen), or
    whose text spills out of their box (cut off on screen)."""
    from kivy.uix.label import Label

    from kiosk.ui import theme

    floor = theme.MIN_TEXT - 0.5
    problems = []
    for widget in walk(root):
        if not isinstance(widget, Label) or not widget.text.strip() or not visible(widget):
            continue
        name = getattr(widget, "action", "") or theme.plain_text(widget.text)[:20]
        if widget.font_size < floor:
            problems.append(f"{name!r}: text {widget.font_size:.0f} px")
        bounded = widget.text_size[0] is not None and widget.text_size[1] is not None
        tw, th = widget.texture_size
        if bounded and widget.height > 0 and (tw > widget.width + 2 or th > widget.height + 2):
            problems.append(f"{name!r}: text cut off ({tw:.0f}x{th:.0f} in "
                            f"{widget.width:.0f}x{widget.height:.0f})")  # fmt: skip
    return problems


def _inside_scroller(widget: Widget) -> bool:
    from kivy.uix.scrollview import ScrollView

    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False
