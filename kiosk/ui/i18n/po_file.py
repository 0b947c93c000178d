"""Reading our own .po catalogs without Babel at run time.

Babel parsed both catalogs at every start and cost the till ~6 MB and 0.04 s (more on a
Pi); the catalogs are ours, written by ``extract`` (Babel's ``write_po``): entries of
``msgid``/``msgstr`` with quoted, C-escaped continuation lines, no plurals, no contexts.
An untranslated or fuzzy entry is left out, as Babel's ``write_mo`` leaves it out, so the
screen shows the msgid. tests/unit/ui/test_po_file.py checks every entry against Babel.
"""

from __future__ import annotations

import ast
import gettext
from pathlib import Path


def read_catalog(path: Path) -> dict[str, str]:
    """msgid -> msgstr of the translated, not fuzzy entries of the .po file ``path``."""
    catalog: dict[str, str] = {}
    parts: dict[str, list[str]] = {}
    key = ""
    fuzzy = False

    def close() -> None:
        msgid, msgstr = "".join(parts.get("msgid", [])), "".join(parts.get("msgstr", []))
        if msgid and msgstr and not fuzzy:
            catalog[msgid] = msgstr

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#"):
            if "msgid" in parts:  # a comment opens the next entry
                close()
                parts, fuzzy = {}, False
            fuzzy = fuzzy or (line.startswith("#,") and "fuzzy" in line)
        elif line.startswith(("msgid ", "msgstr ")):
            key, _, text = line.partition(" ")
            if key == "msgid" and "msgstr" in parts:
                close()
                parts, fuzzy = {}, False
            parts[key] = [_unquote(text)]
        elif line.startswith('"'):
            parts.setdefault(key, []).append(_unquote(line))
    close()
    return catalog


def _unquote(text: str) -> str:
    value = ast.literal_eval(text)
    if not isinstance(value, str):
        raise ValueError(f"not a quoted string: {text[:40]}")
    return value


class CatalogTranslations(gettext.NullTranslations):
    """``gettext`` over a catalog read by ``read_catalog``."""

    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        return self._catalog.get(message, message)
