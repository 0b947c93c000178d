"""Every UI message is translated in both catalogs; rupiah follow the language."""

from __future__ import annotations

from kiosk.ui.i18n import LANGUAGES, Language
from kiosk.ui.i18n.extract import load, messages


def test_catalogs_are_complete() -> None:
    wanted = messages()
    assert len(wanted) > 50
    for lang in LANGUAGES:
        catalog = load(lang)
        missing = sorted(m for m in wanted if m not in catalog or not catalog[m].string)
        assert not missing, f"{lang}: untranslated: {missing}"
        stale = sorted(m.id for m in catalog if m.id and m.id not in wanted)
        assert not stale, f"{lang}: stale messages: {stale}"


def test_placeholders_survive_translation() -> None:
    catalog = load("id")
    for message in catalog:
        if message.id and "{" in message.id:
            names = sorted(p.split("}")[0] for p in str(message.id).split("{")[1:])
            got = sorted(p.split("}")[0] for p in str(message.string).split("{")[1:])
            assert names == got, message.id


def test_language_switch() -> None:
    lang = Language("id")
    assert lang._("Pay") == "Bayar" and lang.money(12500) == "Rp12.500"
    lang.set("en")
    assert lang._("Pay") == "Pay" and lang.money(12500) == "Rp12,500"
