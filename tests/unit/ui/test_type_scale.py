"""The type scale of the buttons: a label keeps its size when it fits, wraps onto two
lines when it does not, and is never drawn below the floor; an icon counts as one glyph
(the backspace key's markup is not read as 40 characters)."""

from __future__ import annotations

from kiosk.ui import theme
from kiosk.ui.widgets.buttons import fitted_size


def test_a_short_label_keeps_its_size() -> None:
    assert fitted_size(20, 160, "Bayar", "", floor=14) == 20


def test_a_long_label_wraps_before_it_shrinks_and_never_below_the_floor() -> None:
    one_line = 1.6 * (90 - 16) / len("Tombol cepat")  # what shrinking to one line gave
    two_lines = fitted_size(20, 90, "Tombol cepat", "", floor=14)
    assert one_line < 14 < two_lines == 1.6 * (90 - 16) / len("Tombol")
    assert fitted_size(20, 60, "Pembayaran dibatalkan otomatis", "", floor=14) == 14


def test_an_icon_key_keeps_its_size() -> None:
    backspace = theme.icon_markup("backspace")
    assert len(backspace) >= 20 and theme.plain_text(backspace) == "@"
    assert fitted_size(20, 60, backspace, "", floor=14) == 20
    assert theme.plain_text(theme.icon_markup("printer", "Cetak")) == "@  Cetak"
