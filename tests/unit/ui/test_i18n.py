"""Every UI message is translated in both catalogs; rupiah follow the language."""

from __future__ import annotations

import string

import pytest

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


def placeholders(text: str) -> list[tuple[str, str, str]]:
    """The ``{name!conv:spec}`` fields of a brace-format message, sorted; a malformed
    message (an unmatched brace) raises ValueError, which fails the test too."""
    fields = string.Formatter().parse(text)
    return sorted(
        (name, conv or "", spec or "") for _, name, spec, conv in fields if name is not None
    )


def test_placeholders_are_parsed_with_their_format() -> None:
    assert placeholders("Pay {total}, {n!r:>3} left") == [("n", "r", ">3"), ("total", "", "")]
    assert placeholders("Line %") == []
    assert placeholders("Bayar {jumlah}") != placeholders("Pay {total}")
    with pytest.raises(ValueError, match="expected '}'"):
        placeholders("Pay {total")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_survive_translation(lang: str) -> None:
    checked = 0
    for message in load(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = placeholders(str(ids[0]))
        for translated in strings:
            assert placeholders(str(translated)) == wanted, f"{lang}: {message.id!r}"
        checked += bool(wanted)
    # The UI has a dozen messages with placeholders; none found means nothing was checked.
    assert checked >= 10, f"{lang}: only {checked} messages with placeholders"


def test_language_switch() -> None:
    lang = Language("id")
    assert lang._("Pay") == "Bayar" and lang.money(12500) == "Rp12.500"
    lang.set("en")
    assert lang._("Pay") == "Pay" and lang.money(12500) == "Rp12,500"
