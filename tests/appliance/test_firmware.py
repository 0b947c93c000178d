"""firmware/: the config.txt fragments agree with the drivers' pins, and the scanner sheet
is current and its barcodes decode (zbar reads the sheet as it would be printed)."""

from __future__ import annotations

import importlib.util
import re
import sys
from html import escape
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


def test_the_scanner_sheet_is_current_and_every_code_on_it_decodes(tmp_path: Path) -> None:
    sheet = load("make_sheet")
    svg = sheet.sheet()
    assert (SHEET_DIR / "scanner-sheet.svg").read_text(encoding="utf-8") == svg, (
        "run python firmware/scanner-sheet/make_sheet.py"
    )
    rasterise(svg, tmp_path / "sheet.png")
    vendor = [content for _family, _setting, content, _sources in sheet.VENDOR_CODES]
    assert vendor == ["$P,CAIEN01,P\r"]  # zbar keeps the CR; it does not report FNC3
    assert sorted(decode(tmp_path / "sheet.png")) == sorted(
        ["8991000000003", "KIOSK-yz_1!@#$%&*()", "KIOSK check QR 0123456789", *vendor]
    )
    assert "nothing else here was confirmed" in svg  # no other vendor code passed off as real


def test_every_vendor_code_names_its_sources_on_the_sheet_and_in_the_readme() -> None:
    sheet = load("make_sheet")
    svg, readme = sheet.sheet(), (SHEET_DIR / "README.md").read_text(encoding="utf-8")
    for family, setting, content, sources in sheet.VENDOR_CODES:
        assert len(sources) >= 2 and all(escape(source) in svg for source in sources)
        assert escape(f"{family}:") in svg and escape(setting) in svg
        command = content.removesuffix("\r").split(",")[1]  # $P,<command>,P
        assert f"`${command}`" in readme or f"`{command}`" in readme
        assert "github.com/anders/td1100" in readme


def test_code128_matches_an_independent_encoder_fnc3_and_code_set_a_included() -> None:
    """python-barcode (in the venv through python-escpos) is the reference: its pattern
    table, and whole symbols, where "\xf3" is its FNC3."""
    from barcode.charsets import code128 as reference
    from barcode.codex import Code128

    barcodes = load("barcodes")
    table = [barcodes.widths_to_modules([int(w) for w in p]) for p in barcodes._C128]
    assert table[: len(reference.CODES)] == list(reference.CODES)  # values 0..105
    for text, fnc3 in [("KIOSK-yz_1!@#$%&*()", False), ("$P,CAIEN01,P\r", True),
                       ("$P\r", True), ("a\rb", False)]:  # fmt: skip
        ours = barcodes.widths_to_modules(barcodes.code128_widths(text, fnc3=fnc3))
        assert ours == Code128(("\xf3" if fnc3 else "") + text).build()[0], text


def test_code128_symbols_are_eleven_modules_and_bad_input_is_refused() -> None:
    barcodes = load("barcodes")
    widths = barcodes.code128_widths("Ab1")
    symbols = [widths[i : i + 6] for i in range(0, len(widths) - 7, 6)]
    assert all(sum(s) == 11 for s in symbols) and sum(widths[-7:]) == 13
    with pytest.raises(ValueError, match="printable ASCII"):
        barcodes.code128_widths("Rp 1.000 é")
    with pytest.raises(ValueError, match="check digit should be 3"):
        barcodes.ean13_modules("8991000000004")
