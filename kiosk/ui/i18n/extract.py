"""Find every translatable message of the UI and keep the .po catalogs in step.

Messages are the string literals in ``_("...")`` / ``lang._("...")`` calls in Python,
``root.t('...')`` / ``app.both('...')`` calls in kv, and the words of the error codes
(kiosk.domain.error_codes). ``python -m kiosk.ui.i18n.extract``
adds new messages to both catalogs (English gets the message itself, Indonesian an empty
translation that the completeness test then reports)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from kiosk.domain.error_codes import ACTION_TERMS, DEVICE_TERMS, ERROR_TEXTS, ROLE_TERMS
from kiosk.ui.i18n import DOMAIN, LANGUAGES, po_path

UI_DIR = Path(__file__).resolve().parents[1]
_KV_CALL = re.compile(r"""(?:\.t|\bboth|\b_)\(\s*(?P<q>['"])(?P<msg>(?:(?!(?P=q)).)+)(?P=q)""")


def _python_messages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        arg = node.args[0]
        literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value
        if name in ("_", "N_", "t", "both") and literal:
            found.add(str(arg.value))  # type: ignore[attr-defined]
    return found


def error_messages() -> set[str]:
    """The words of every error code and of the terms their parameters may hold."""
    return {*ERROR_TEXTS.values(), *ROLE_TERMS.values(), *ACTION_TERMS.values(),
            *DEVICE_TERMS.values()}  # fmt: skip


def messages() -> set[str]:
    found: set[str] = error_messages()
    for path in UI_DIR.rglob("*.py"):
        if "i18n" not in path.parts:
            found |= _python_messages(path)
    for path in UI_DIR.rglob("*.kv"):
        found |= {m.group("msg") for m in _KV_CALL.finditer(path.read_text(encoding="utf-8"))}
    return found


def load(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, domain=DOMAIN, project="kiosk")
    with path.open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def update() -> dict[str, int]:
    wanted = messages()
    added = {}
    for lang in LANGUAGES:
        catalog = load(lang)
        count = 0
        for msg in sorted(wanted):
            if msg not in catalog:
                catalog.add(msg, msg if lang == "en" else "")
                count += 1
        for msg in [str(m.id) for m in catalog if m.id and m.id not in wanted]:
            del catalog[msg]
        path = po_path(lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            write_po(fh, catalog, sort_output=True, width=100, omit_header=False)
        added[lang] = count
    return added


if __name__ == "__main__":
    print(update())
