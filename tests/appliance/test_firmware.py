"""firmware/: the config.txt fragments agree with the drivers' pins, and the scanner sheets
(Indonesian and English) are current, say everything in both languages, and their barcodes
decode (zbar reads each sheet as it would be printed)."""

from __future__ import annotations

import importlib.util
import re
import sys
from html import unescape
from pathlib import Path
from types import ModuleType

import pytest

from drivers import factory
from tests.appliance.conftest import ROOT
from tests.appliance.svg_raster import decode, rasterise

SHEET_DIR = ROOT / "firmware/scanner-sheet"


def load(name: str) -> ModuleType:
    sys.path.insert(0, str(SHEET_DIR))
    try:
        spec = importlib.util.spec_from_file_location(name, SHEET_DIR / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(SHEET_DIR))
    return module


def gpio_lines() -> dict[int, str]:
    pins: dict[int, str] = {}
    text = (ROOT / "firmware/config/kiosk-common.txt").read_text(encoding="utf-8")
    for numbers, mode in re.findall(r"^gpio=([\d,]+)=(\S+)$", text, re.MULTILINE):
        for number in numbers.split(","):
            pins[int(number)] = mode
    return pins


def test_boot_gpio_defaults_match_the_wiring_sheet_and_the_drivers() -> None:
    pins = gpio_lines()
    wiring = (ROOT / "firmware/wiring.md").read_text(encoding="utf-8")
    sheet = {
        name.strip(): int(pin)
        for name, pin in re.findall(r"^\| ([^|]+?)\s*\| GPIO(\d+) ", wiring, re.MULTILINE)
    }
    source = Path(factory.__file__).read_text(encoding="utf-8")
    drawer_default = re.search(r'cfg\.get\("pin", (\d+)\)', source)
    assert drawer_default is not None and int(drawer_default.group(1)) == sheet["Drawer solenoid"]
    assert pins[sheet["Drawer solenoid"]] == "op,dl"  # the solenoid stays off while it boots
    assert pins[sheet["Drawer open sensor"]] == "ip,pu"
    for colour, pin in factory.DEFAULT_PINS.items():
        assert sheet[f"Light {colour}"] == pin and pins[pin] == "op,dl"


def one_line(words: str) -> str:
    """Text as the sheet's reader sees it: wrapping splits paragraphs at spaces, and
    addresses too long for a line after a "/"."""
    return " ".join(words.split()).replace("/ ", "/")


def sheet_words(svg: str) -> str:
    return one_line(" ".join(unescape(line) for line in re.findall(r"<text [^>]*>([^<]*)<", svg)))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_scanner_sheet_is_current_and_every_code_on_it_decodes(
    lang: str, tmp_path: Path
) -> None:
    sheet = load("make_sheet")
    svg = sheet.sheet(lang)
    assert sheet.OUT[lang].read_text(encoding="utf-8") == svg, (
        "run python firmware/scanner-sheet/make_sheet.py"
    )
    rasterise(svg, tmp_path / "sheet.png")
    vendor = [str(code["content"]) for code in sheet.VENDOR_CODES]
    assert vendor == ["$P,CAIEN01,P\r", "$LAN#EN", "~VSUFCR."]  # zbar keeps CR, drops FNC3
    assert sorted(decode(tmp_path / "sheet.png")) == sorted(
        ["8991000000003", "AbC-yz_1!@#$%&*()", "QR-2D 0123456789", *vendor]
    )  # no other code: nothing unconfirmed is passed off as a vendor code


def test_every_text_on_the_sheet_exists_in_indonesian_and_english_and_is_printed() -> None:
    sheet, words = load("make_sheet"), load("sheet_text")
    assert words.LANGS == ("id", "en") and sheet.OUT["id"].name == "scanner-sheet.svg"
    printed = {lang: sheet_words(sheet.sheet(lang)) for lang in words.LANGS}
    for key, texts in words.TEXT.items():
        assert set(texts) == {"id", "en"} and all(texts.values()), key
        for lang in words.LANGS:
            assert one_line(texts[lang]) in printed[lang], (key, lang)
        if texts["id"] != texts["en"]:  # model names read the same in both
            assert one_line(texts["en"]) not in printed["id"], key
    assert printed["id"].startswith("Menyiapkan scanner barcode untuk kasir")
    assert "Selain kode di atas, tidak ada yang dipastikan" in printed["id"]
    assert "Nothing else here was confirmed" in printed["en"]


def test_every_vendor_code_names_its_sources_on_the_sheet_and_in_the_readme() -> None:
    sheet, barcodes = load("make_sheet"), load("barcodes")
    readme = (SHEET_DIR / "README.md").read_text(encoding="utf-8")
    printed = [sheet_words(sheet.sheet(lang)) for lang in ("id", "en")]
    for code in sheet.VENDOR_CODES:
        sources = code["sources"]
        assert isinstance(sources, list) and len(sources) >= 2
        assert all(one_line(s) in words for s in sources for words in printed)
        command = str(code["content"]).removesuffix("\r").removeprefix("$P,").removesuffix(",P")
        assert f"`{command}`" in readme or f"`${command}`" in readme, command
        assert code["fnc3"] in {"first", "last", ""}
        if "vendor_label" in code:  # a label of the vendor's own, read bar by bar
            content, values = code["vendor_label"]
            fnc3 = {"fnc3": code["fnc3"] == "first", "fnc3_last": code["fnc3"] == "last"}
            assert barcodes.code128_values(content, **fnc3) == values
    for address in ("anders/td1100", "netumscan/manual-build-internal", "REV23Docs/rev23"):
        assert f"github.com/{address}" in readme


def test_code128_matches_an_independent_encoder_fnc3_and_code_set_a_included() -> None:
    """python-barcode (in the venv through python-escpos) is the reference: its pattern
    table, and whole symbols, where "\xf3" is its FNC3."""
    from barcode.charsets import code128 as reference
    from barcode.codex import Code128

    barcodes = load("barcodes")
    table = [barcodes.widths_to_modules([int(w) for w in p]) for p in barcodes._C128]
    assert table[: len(reference.CODES)] == list(reference.CODES)  # values 0..105
    for text, fnc3 in [("AbC-yz_1!@#$%&*()", ""), ("$P,CAIEN01,P\r", "first"), ("$P\r", "first"),
                       ("a\rb", ""), ("$LAN#EN", ""), ("~VSUFCR.", "last")]:  # fmt: skip
        widths = barcodes.code128_widths(text, fnc3=fnc3 == "first", fnc3_last=fnc3 == "last")
        reference = ("\xf3" if fnc3 == "first" else "") + text + ("\xf3" if fnc3 == "last" else "")
        assert barcodes.widths_to_modules(widths) == Code128(reference).build()[0], text


def test_the_label_reader_gives_back_every_symbol_value_function_characters_included(
    tmp_path: Path,
) -> None:
    """decode_label.py is how the vendors' label images in README.md were read: here it
    reads symbols whose values are known, FNC3 first, FNC3 after code set C (as Netum prints
    it) and CR in code set A."""
    from PIL import Image

    barcodes, reader = load("barcodes"), load("decode_label")
    netum_cr = [105, 30, 30, 5, 100, 96, 18]  # Netum's "Enter (CR)" label, as its manual has it
    cases = [barcodes.code128_values("$P,CAIEN01,P\r", fnc3=True),
             barcodes.code128_values("~VSUFCR.", fnc3_last=True), netum_cr]  # fmt: skip
    for values in cases:
        check = (values[0] + sum(i * v for i, v in enumerate(values[1:], start=1))) % 103
        modules = barcodes.widths_to_modules(
            [int(w) for v in [*values, check, barcodes.STOP] for w in barcodes._C128[v]]
        )
        image = Image.new("L", (3 * (len(modules) + 20), 40), 255)
        for i, bit in enumerate(modules):
            if bit == "1":
                image.paste(0, (3 * (i + 10), 0, 3 * (i + 11), 40))
        image.save(tmp_path / "label.png")
        assert reader.symbol_values(tmp_path / "label.png") == values
    assert reader.readable(cases[0]) == "<StartB><FNC3>$P,CAIEN01,P<CodeA><0D>"
    assert reader.readable(cases[1]) == "<StartB>~VSUFCR.<FNC3>"
    assert reader.readable(netum_cr) == "<StartC>303005<CodeB><FNC3>2"


def test_code128_symbols_are_eleven_modules_and_bad_input_is_refused() -> None:
    barcodes = load("barcodes")
    widths = barcodes.code128_widths("Ab1")
    symbols = [widths[i : i + 6] for i in range(0, len(widths) - 7, 6)]
    assert all(sum(s) == 11 for s in symbols) and sum(widths[-7:]) == 13
    with pytest.raises(ValueError, match="printable ASCII"):
        barcodes.code128_widths("Rp 1.000 é")
    with pytest.raises(ValueError, match="check digit should be 3"):
        barcodes.ean13_modules("8991000000004")
