"""The look: one calm background, one accent, state colours, one touch size, the fonts.

Colours are RGBA tuples for Kivy. Contrast: body text on the background is about 15:1,
white on the accent and on green/red is above 4.5:1, dark text on amber above 8:1.
"""

from __future__ import annotations

import re
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
ICON_FONT = ASSETS / "fonts" / "materialdesignicons-webfont.ttf"


def _rgb(hex_code: str, alpha: float = 1.0) -> tuple[float, float, float, float]:
    value = hex_code.lstrip("#")
    r, g, b = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (r, g, b, alpha)


BACKGROUND = _rgb("#EEF1F5")
SURFACE = _rgb("#FFFFFF")
LINE = _rgb("#D5DBE3")
TEXT = _rgb("#101828")
MUTED = _rgb("#475467")
ACCENT = _rgb("#1554C0")
ACCENT_SOFT = _rgb("#DCE7FA")
ON_ACCENT = _rgb("#FFFFFF")
OK = _rgb("#157A3A")
ATTENTION = _rgb("#F2A900")
ERROR = _rgb("#C4281C")
SCRIM = _rgb("#101828", 0.55)
SELECTED = _rgb("#FFF4CC")

TOUCH = 64  # px: every button is at least this tall (48 px is the floor)
MIN_TEXT = 14  # px at 800x480: no label is drawn smaller (the type scale's floor)
SPACING = 10
RADIUS = 12

LEVEL_COLOURS = {"info": SURFACE, "ok": OK, "attention": ATTENTION, "error": ERROR}
LEVEL_TEXT = {"info": TEXT, "ok": ON_ACCENT, "attention": TEXT, "error": ON_ACCENT}

ROLE_COLOURS = {
    "primary": (ACCENT, ON_ACCENT),
    "go": (OK, ON_ACCENT),
    "danger": (ERROR, ON_ACCENT),
    "warn": (ATTENTION, TEXT),
    "plain": (SURFACE, TEXT),
    "soft": (ACCENT_SOFT, TEXT),
}

# Material Design Icons code points (fonts-materialdesignicons-webfont 1.6.50).
ICONS = {
    "cart": "\uf110",
    "scan": "\uf072",
    "help": "\uf2d7",
    "account": "\uf004",
    "card": "\uf19b",
    "qr": "\uf432",
    "cash": "\uf114",
    "printer": "\uf42a",
    "close": "\uf156",
    "check": "\uf12c",
    "delete": "\uf1c0",
    "search": "\uf349",
    "back": "\uf04d",
    "backspace": "\uf30d",
    "lock": "\uf33e",
    "unlock": "\uf33f",
    "staff": "\uf00b",
    "chart": "\uf128",
    "language": "\uf5ca",
    "minus": "\uf374",
    "plus": "\uf415",
    "pause": "\uf3e4",
    "play": "\uf40a",
    "sale": "\uf46f",
    "tag": "\uf4fc",
    "exit": "\uf206",
    "phone": "\uf11c",
    "receipt": "\uf449",
    "basket": "\uf076",
    "alert": "\uf026",
    "drawer": "\uf114",
    "scale": "\uf5a1",
}


_MARKUP = re.compile(r"\[font=Icons\][^\[]*\[/font\]|\[/?[a-z]+(?:=[^\]]*)?\]")


def plain_text(label: str) -> str:
    """``label`` as read: an icon is one character, other markup nothing."""
    return _MARKUP.sub(lambda m: "@" if m.group().startswith("[font=Icons]") else "", label)


def icon_markup(name: str, label: str = "") -> str:
    glyph = ICONS.get(name, "")
    if not glyph:
        return label
    icon = f"[font=Icons]{glyph}[/font]"
    return f"{icon}  {label}" if label else icon


def scale_for(width: float, height: float) -> float:
    """Type scale: 1.0 on the 800x480 panel, larger on bigger screens, capped."""
    return max(1.0, min(1.6, min(width, height) / 480))


def touch_for(width: float, height: float) -> int:
    """The one button height: 64 px, 56 on the 480-px side of the 7" panel, more on big
    screens; never below the 48-px floor."""
    if min(width, height) < 600:
        return 56
    return max(TOUCH, round(TOUCH * scale_for(width, height) * 0.85))


def register_fonts() -> None:
    from kivy.core.text import LabelBase

    LabelBase.register(name="Icons", fn_regular=str(ICON_FONT))
