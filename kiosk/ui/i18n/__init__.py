"""Translations: gettext catalogs for Bahasa Indonesia and English, compiled from the .po
files at start-up with Babel (no build step, no stale .mo), and rupiah per language."""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.domain.money import format_rupiah

LANGUAGES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
DOMAIN = "kiosk"
CATALOG_DIR = Path(__file__).parent


def po_path(lang: str) -> Path:
    return CATALOG_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.GNUTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    with po_path(lang).open("rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


class Language:
    """The current language of one face of the till; screens call ``_`` and ``money``."""

    def __init__(self, lang: str = "id") -> None:
        self.lang = ""
        self._gettext: Callable[[str], str] = str
        self.set(lang)

    def set(self, lang: str) -> None:
        self._gettext = translations(lang).gettext
        self.lang = lang

    def _(self, message: str) -> str:
        return self._gettext(message)

    def money(self, amount: int) -> str:
        return format_rupiah(amount, self.lang)
