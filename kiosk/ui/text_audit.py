"""What a screen says, checked: in Indonesian no English message of the catalogs shows
untranslated, and no internal name (a SKU, a snake_case id, a hex reference) shows in
any language. Used by the script runner's walks and the UI tests."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from kiosk.ui.i18n import po_path, translations
from kiosk.ui.i18n.po_file import read_catalog

_MARKUP = re.compile(r"\[/?[a-z]+(=[^\]]*)?\]")
_ICON = re.compile(r"\[font=Icons\].*?\[/font\]")
INTERNAL = (
    ("SKU", re.compile(r"\b[A-Z]{3}-\d{2,3}\b")),
    ("internal name", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("hex reference", re.compile(r"\b[0-9a-f]{12,}\b")),
)


def shown_texts(root: Any) -> list[str]:
    """The text of every label a person can see now, without markup and icons."""
    # Kivy only here: text_problems is checked without a window (tests/unit/ui).
    from kivy.uix.label import Label

    from kiosk.ui.touch import visible, walk

    texts = []
    for widget in walk(root):
        if isinstance(widget, Label) and widget.text and visible(widget):
            plain = _MARKUP.sub("", _ICON.sub("", str(widget.text))).strip()
            if plain:
                texts.append(plain)
    return texts


@cache
def _english() -> list[re.Pattern[str]]:
    """Each English message whose Indonesian differs, as a whole-text pattern."""
    indonesian = translations("id").gettext
    patterns = []
    for msgid in read_catalog(po_path("en")):
        if len(msgid) < 4 or indonesian(msgid) == msgid or " " not in msgid:
            continue  # single words (OK, QRIS, Member) are the same in both
        parts = re.split(r"\{[^}]*\}", msgid)
        patterns.append(re.compile("^" + ".+".join(re.escape(p) for p in parts) + "$", re.S))
    return patterns


def text_problems(texts: list[str], lang: str) -> list[str]:
    problems = []
    for text in texts:
        for what, pattern in INTERNAL:
            if found := pattern.search(text):
                problems.append(f"{what} {found.group()!r} in {text!r}")
        if lang == "id" and any(p.match(text) for p in _english()):
            problems.append(f"English on an Indonesian screen: {text!r}")
    return problems
