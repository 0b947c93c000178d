"""The one touchable button every screen uses."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty
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
    base_size = NumericProperty(20)  # the label's size at scale 1 when it fits
    # A product's name on a tile: after two lines it ends in an ellipsis (the type
    # scale's rule for tiles), so the full-text audit lets it be shortened.
    names_product = BooleanProperty(False)

    def fitted(self, k: float, width: float, label: str, icon: str) -> float:
        """The label's font size: ``base_size`` (times the screen's scale ``k``) when it
        fits, smaller so that it fits on two lines, never below the type scale's floor
        (theme.MIN_TEXT at scale 1). Icons and markup count as the one glyph they show."""
        return fitted_size(k * self.base_size, width, label, icon, floor=k * theme.MIN_TEXT)

    def on_role(self, *_: Any) -> None:
        fill, ink = theme.ROLE_COLOURS.get(self.role, theme.ROLE_COLOURS["plain"])
        self.fill, self.ink = list(fill), list(ink)


def fitted_size(base: float, width: float, label: str, icon: str, *, floor: float) -> float:
    """A bold label of ``label`` in ``width`` px: one line when it fits at ``base``, else
    wrapped on two (the longest word whole), shrunk down to ``floor`` at most."""
    plain = theme.plain_text(label)
    if len(plain.strip()) <= 1:  # an icon key or a single character keeps its size
        return base
    words = plain.split()
    lines = plain.split("\n")
    longest_line = max(len(line) for line in lines) + (2 if icon else 0)
    if len(lines) == 1 and len(words) > 1:  # may wrap onto a second line
        longest_line = max(*(len(w) for w in words), -(-len(plain) // 2)) + (2 if icon else 0)
    fits = 1.6 * (width - 16) / max(4, longest_line)  # bold Roboto: ~0.6 em per character
    return max(floor, min(base, fits))


class BarKey(PosButton):
    """A top-bar key: its icon with a short word under it, drawn at its natural size
    (never shrunk or wrapped; the bar gives it the width, and the UI tests check that
    the word fits). ``badge`` is a count shown beside the icon."""

    badge = StringProperty("")

    def fitted(self, k: float, width: float, label: str, icon: str) -> float:
        return k * theme.MIN_TEXT  # one size: a bar's words line up

    def on_kv_post(self, base_widget: Any) -> None:
        # After PosButton's rule, which bounds the text by the key's width.
        self.fbind("width", self._natural)
        self._natural()

    def _natural(self, *_: Any) -> None:
        self.text_size = (None, None)
