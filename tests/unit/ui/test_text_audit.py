"""The screen reader of the UI tests: English messages on an Indonesian screen and
internal names anywhere are found; Indonesian words, names and prices pass."""

from __future__ import annotations

from kiosk.ui.i18n import Language
from kiosk.ui.text_audit import text_problems


def test_indonesian_screen_words_pass() -> None:
    indonesian = Language("id")
    texts = [indonesian._("Pay"), "Teh Botol Sosro 350ml", "Rp4.000 · stok 48",
             indonesian._("Scan the member card or type a phone number"), "Total", "QRIS"]  # fmt: skip
    assert text_problems(texts, "id") == []


def test_english_messages_on_an_indonesian_screen_are_found() -> None:
    found = text_problems(["Scan the member card or type a phone number"], "id")
    assert found == [
        "English on an Indonesian screen: 'Scan the member card or type a phone number'"
    ]
    filled = text_problems(["No member has the phone number 0812"], "id")  # a {phone} filled
    assert len(filled) == 1 and "English" in filled[0]
    assert text_problems(["Scan the member card or type a phone number"], "en") == []


def test_internal_names_are_found_in_any_language() -> None:
    assert text_problems(["Ani may not price_override"], "en") == [
        "internal name 'price_override' in 'Ani may not price_override'"
    ]
    assert "SKU 'MIN-013'" in text_problems(["MIN-013 Beras 5kg"], "id")[0]
    assert "hex reference" in text_problems(["Kartu ditolak: ref e330822a9b1c4d"], "id")[0]
