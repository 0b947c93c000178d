"""Translations: gettext catalogs for Bahasa Indonesia and English, read from the .po files
at start-up (no build step, no stale .mo; ``po_file``), and rupiah per language."""

from __future__ import annotations

import gettext
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kiosk.domain.money import format_rupiah
from kiosk.ui.i18n.po_file import CatalogTranslations, read_catalog

LANGUAGES = ("id", "en")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
DOMAIN = "kiosk"
CATALOG_DIR = Path(__file__).parent


def po_path(lang: str) -> Path:
    return CATALOG_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> gettext.NullTranslations:
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return CatalogTranslations(read_catalog(po_path(lang)))


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
