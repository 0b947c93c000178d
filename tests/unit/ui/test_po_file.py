"""The till reads its .po catalogs without Babel (kiosk/ui/i18n/po_file.py): every
message must come out as Babel's compiled catalog gives it, for both languages."""

from __future__ import annotations

import gettext
import io
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kiosk.ui.i18n import LANGUAGES, po_path, translations
from kiosk.ui.i18n.po_file import read_catalog


def babel_catalog(path: Path, lang: str) -> gettext.GNUTranslations:
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_reads_as_babel_compiles_it(lang: str) -> None:
    with po_path(lang).open("rb") as fh:
        msgids = [m.id for m in read_po(fh, locale=lang) if m.id and isinstance(m.id, str)]
    assert len(msgids) > 300
    ours, babels = translations(lang), babel_catalog(po_path(lang), lang)
    assert [ours.gettext(m) for m in msgids] == [babels.gettext(m) for m in msgids]
    assert ours.gettext("Pay out cash (part of a point)") != ""


def test_escapes_continuations_fuzzy_and_untranslated_entries(tmp_path: Path) -> None:
    po = tmp_path / "x.po"
    po.write_text(
        '# header\n#, fuzzy\nmsgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        '#: a.py:1\nmsgid "Say \\"hi\\"\\n"\nmsgstr "Ucapkan \\"hai\\"\\n"\n\n'
        'msgid ""\n"Long "\n"line"\nmsgstr ""\n"Baris "\n"panjang"\n\n'
        '#, fuzzy\nmsgid "Guess"\nmsgstr "Tebakan"\n\n'
        'msgid "Untranslated"\nmsgstr ""\n\n'
        '#, python-format\nmsgid "{n} items"\nmsgstr "{n} barang"\n',
        encoding="utf-8",
    )
    assert read_catalog(po) == {'Say "hi"\n': 'Ucapkan "hai"\n', "Long line": "Baris panjang",
                                "{n} items": "{n} barang"}  # fmt: skip
    with po.open("rb") as fh:
        babels = {m.id: m.string for m in read_po(fh) if m.id and m.string and not m.fuzzy}
    assert read_catalog(po) == babels
