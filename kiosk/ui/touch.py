"""Synthetic touches for the script runner and the UI tests: a finger on a widget's centre.

The touch goes through Kivy's event loop like a real one (``post_dispatch_input``), so
it reaches whatever is on top at that point: a button hidden under an overlay is not
pressed, exactly as for a person.
"""

from __future__ import annotations

import re
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
    return problems + basket_gaps(root) + narrow_messages(root)


MESSAGE_MIN = 180  # px at scale 1: about twenty characters a line, two lines


def narrow_messages(root: Widget) -> list[str]:
    """A message bar squeezed by the buttons beside it (what the till says must stay
    readable)."""
    from kivy.app import App

    floor = MESSAGE_MIN * getattr(App.get_running_app(), "k", 1.0)
    return [f"message bar {widget.width:.0f} px wide" for widget in walk(root)
            if type(widget).__name__ == "MessageBar" and visible(widget)
            and widget.height > 0 and widget.width < floor]  # fmt: skip


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
    """Labels drawn below the type scale's floor (theme.MIN_TEXT px on any screen),
    whose text spills out of their box (cut off on screen), or that draw less than their
    text (``shortened``; a product's name on a tile may end in an ellipsis)."""
    from kivy.uix.label import Label

    from kiosk.ui import theme
    from kiosk.ui.widgets.buttons import BarKey

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
        elif isinstance(widget, BarKey) and (tw > widget.width - 4 or th > widget.height):
            problems.append(f"{name!r}: its word is wider than the key ({tw:.0f} in "
                            f"{widget.width:.0f})")  # fmt: skip
        elif not bounded and widget.width > 0 and tw > widget.width + 2 and _clipped(widget):
            problems.append(f"{name!r}: text wider than its box ({tw:.0f} in {widget.width:.0f})")
        elif not getattr(widget, "names_product", False) and shortened(widget):
            problems.append(f"{name!r}: text shortened to fit {widget.width:.0f} px")
    return problems


def _clipped(label: Any) -> bool:
    """An unbounded label's text runs past the window's edge."""
    win = EventLoop.window
    x0 = float(label.to_window(label.center_x - label.texture_size[0] / 2, label.y)[0])
    return x0 < -1 or x0 + float(label.texture_size[0]) > win.width + 1


def shortened(label: Any) -> bool:
    """True when the label draws less than its text, or not as written: shortened with
    an ellipsis, lines beyond its ``max_lines`` dropped, or a word too wide for the
    label broken in two (all of which Kivy does silently)."""
    if label.is_shortened:
        return True
    width = label.text_size[0]
    if width is None or label._label is None:
        return False
    core = label._label
    skip = ("text", "text_size", "max_lines", "shorten")
    options = {key: value for key, value in core.options.items() if key not in skip}
    if any(_drawn_size(word, options)[0] > width + 1 for word in _words(label.text)):
        return True
    if not label.max_lines:
        return False
    # Drawn now (the label's own texture may still be the last text's) and in full.
    drawn = _drawn_size(core.text, {**options, "text_size": (width, None),
                                    "max_lines": label.max_lines}, type(core))  # fmt: skip
    whole = _drawn_size(core.text, {**options, "text_size": (width, None)}, type(core))
    return whole[1] > drawn[1] + 2


_ICON_RUN = re.compile(r"\[font=Icons\].*?\[/font\]")
_TAGS = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")


def _words(text: str) -> set[str]:
    return set(_TAGS.sub("", _ICON_RUN.sub("", text)).split())


def _drawn_size(text: str, options: dict[str, Any], kind: Any = None) -> tuple[int, int]:
    from kivy.core.text import Label as CoreLabel

    core = (kind or CoreLabel)(text=text, **options)
    core.options.update(options)  # max_lines is read from the options only
    core.refresh()
    return tuple(core.texture.size) if core.texture is not None else (0, 0)


def _inside_scroller(widget: Widget) -> bool:
    from kivy.uix.scrollview import ScrollView

    node = widget.parent
    while node is not None and node is not node.parent:
        if isinstance(node, ScrollView):
            return True
        node = node.parent
    return False
