"""Keyboard layouts for keyboard-wedge scanners, indexed by Linux key code.

A scanner in keyboard mode "types" with the layout it was programmed for; the kiosk has no
X11 to translate for it (see FIELD-NOTES), so the layouts live here. Codes are the values of
linux/input-event-codes.h, which never change; ``tests/drivers`` checks them against
``evdev.ecodes`` so this module (and replay) works without evdev installed.
"""

from __future__ import annotations

from types import MappingProxyType

_NAMED_CODES: dict[str, int] = {
    "KEY_ESC": 1, "KEY_MINUS": 12, "KEY_EQUAL": 13, "KEY_BACKSPACE": 14, "KEY_TAB": 15,
    "KEY_LEFTBRACE": 26, "KEY_RIGHTBRACE": 27, "KEY_ENTER": 28, "KEY_LEFTCTRL": 29,
    "KEY_SEMICOLON": 39, "KEY_APOSTROPHE": 40, "KEY_GRAVE": 41, "KEY_LEFTSHIFT": 42,
    "KEY_BACKSLASH": 43, "KEY_COMMA": 51, "KEY_DOT": 52, "KEY_SLASH": 53,
    "KEY_RIGHTSHIFT": 54, "KEY_KPASTERISK": 55, "KEY_LEFTALT": 56, "KEY_SPACE": 57,
    "KEY_CAPSLOCK": 58, "KEY_NUMLOCK": 69, "KEY_KPMINUS": 74, "KEY_KPPLUS": 78,
    "KEY_KPDOT": 83, "KEY_102ND": 86, "KEY_KPENTER": 96, "KEY_RIGHTCTRL": 97,
    "KEY_KPSLASH": 98, "KEY_RIGHTALT": 100,
    "KEY_KP7": 71, "KEY_KP8": 72, "KEY_KP9": 73, "KEY_KP4": 75, "KEY_KP5": 76, "KEY_KP6": 77,
    "KEY_KP1": 79, "KEY_KP2": 80, "KEY_KP3": 81, "KEY_KP0": 82,
}  # fmt: skip
_ROWS = {16: "QWERTYUIOP", 30: "ASDFGHJKL", 44: "ZXCVBNM"}
for _start, _row in _ROWS.items():
    for _i, _letter in enumerate(_row):
        _NAMED_CODES[f"KEY_{_letter}"] = _start + _i
for _i, _digit in enumerate("1234567890"):
    _NAMED_CODES[f"KEY_{_digit}"] = 2 + _i
for _i in range(10):  # F1..F10 are 59..68; F11 87, F12 88
    _NAMED_CODES[f"KEY_F{_i + 1}"] = 59 + _i
_NAMED_CODES.update({"KEY_F11": 87, "KEY_F12": 88})

KEY_CODES: MappingProxyType[str, int] = MappingProxyType(_NAMED_CODES)
KEY_NAMES: MappingProxyType[int, str] = MappingProxyType({v: k for k, v in _NAMED_CODES.items()})

SHIFT_KEYS = frozenset({42, 54})
CTRL_KEYS = frozenset({29, 97})
ALT_KEYS = frozenset({56})
ALTGR_KEYS = frozenset({100})
CAPSLOCK = 58
KEYPAD_DIGITS: MappingProxyType[int, str] = MappingProxyType(
    {82: "0", 79: "1", 80: "2", 81: "3", 75: "4", 76: "5", 77: "6", 71: "7", 72: "8", 73: "9"}
)

# One keymap: code -> (plain, shifted, altgr). Empty string = the key types nothing.
Keymap = MappingProxyType[int, tuple[str, str, str]]


def _build(base: dict[str, tuple[str, str, str]]) -> Keymap:
    table: dict[int, tuple[str, str, str]] = {}
    for name, chars in base.items():
        table[_NAMED_CODES[name]] = chars
    for code, digit in KEYPAD_DIGITS.items():  # num lock assumed on (scanners rely on it)
        table[code] = (digit, digit, "")
    table.update(
        {
            _NAMED_CODES["KEY_KPDOT"]: (".", ".", ""),
            _NAMED_CODES["KEY_KPASTERISK"]: ("*", "*", ""),
            _NAMED_CODES["KEY_KPMINUS"]: ("-", "-", ""),
            _NAMED_CODES["KEY_KPPLUS"]: ("+", "+", ""),
            _NAMED_CODES["KEY_KPSLASH"]: ("/", "/", ""),
            _NAMED_CODES["KEY_SPACE"]: (" ", " ", ""),
        }
    )
    return MappingProxyType(table)


def _letters(layout_letters: str) -> dict[str, tuple[str, str, str]]:
    """Map the QWERTY key positions to the letters a layout prints on them."""
    positions = "QWERTYUIOPASDFGHJKLZXCVBNM"
    return {
        f"KEY_{p}": (c.lower(), c.upper(), "")
        for p, c in zip(positions, layout_letters, strict=True)
    }


_US: dict[str, tuple[str, str, str]] = {
    **_letters("QWERTYUIOPASDFGHJKLZXCVBNM"),
    **{f"KEY_{d}": (d, s, "") for d, s in zip("1234567890", "!@#$%^&*()", strict=True)},
    "KEY_MINUS": ("-", "_", ""), "KEY_EQUAL": ("=", "+", ""),
    "KEY_LEFTBRACE": ("[", "{", ""), "KEY_RIGHTBRACE": ("]", "}", ""),
    "KEY_SEMICOLON": (";", ":", ""), "KEY_APOSTROPHE": ("'", '"', ""),
    "KEY_GRAVE": ("`", "~", ""), "KEY_BACKSLASH": ("\\", "|", ""),
    "KEY_COMMA": (",", "<", ""), "KEY_DOT": (".", ">", ""), "KEY_SLASH": ("/", "?", ""),
    "KEY_102ND": ("\\", "|", ""),
}  # fmt: skip

# German QWERTZ: the most common non-US layout scanners ship programmed for.
_DE: dict[str, tuple[str, str, str]] = {
    **_letters("QWERTZUIOPASDFGHJKLYXCVBNM"),
    **{f"KEY_{d}": (d, s, "") for d, s in zip("1234567890", '!"§$%&/()=', strict=True)},
    "KEY_MINUS": ("ß", "?", "\\"), "KEY_EQUAL": ("´", "`", ""),
    "KEY_LEFTBRACE": ("ü", "Ü", ""), "KEY_RIGHTBRACE": ("+", "*", "~"),
    "KEY_SEMICOLON": ("ö", "Ö", ""), "KEY_APOSTROPHE": ("ä", "Ä", ""),
    "KEY_GRAVE": ("^", "°", ""), "KEY_BACKSLASH": ("#", "'", ""),
    "KEY_COMMA": (",", ";", ""), "KEY_DOT": (".", ":", ""), "KEY_SLASH": ("-", "_", ""),
    "KEY_102ND": ("<", ">", "|"),
}  # fmt: skip
_DE["KEY_Q"] = ("q", "Q", "@")
for _key, _altgr in {"KEY_2": "²", "KEY_3": "³", "KEY_7": "{", "KEY_8": "[", "KEY_9": "]",
                     "KEY_0": "}", "KEY_E": "€"}.items():  # fmt: skip
    _DE[_key] = (_DE[_key][0], _DE[_key][1], _altgr)

LAYOUTS: MappingProxyType[str, Keymap] = MappingProxyType({"us": _build(_US), "de": _build(_DE)})

# Ctrl+key sends a control character by key *position* (as on a US board): scanners use
# Ctrl+] for the GS1 group separator whatever layout they type letters in.
CTRL_CHARS: MappingProxyType[int, str] = MappingProxyType(
    {
        **{_NAMED_CODES[f"KEY_{c}"]: chr(ord(c) - 64) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"},
        _NAMED_CODES["KEY_LEFTBRACE"]: "\x1b",
        _NAMED_CODES["KEY_BACKSLASH"]: "\x1c",
        _NAMED_CODES["KEY_RIGHTBRACE"]: "\x1d",
        _NAMED_CODES["KEY_2"]: "\x00",
    }
)


def get_keymap(layout: str) -> Keymap:
    try:
        return LAYOUTS[layout]
    except KeyError:
        known = ", ".join(sorted(LAYOUTS))
        raise ValueError(f"unknown keyboard layout {layout!r} (known: {known})") from None


def key_code(name: str) -> int:
    """``"KEY_A"`` -> 30; a clear error for a name this module does not know."""
    try:
        return KEY_CODES[name]
    except KeyError:
        raise ValueError(f"unknown key name {name!r} (expected an evdev name like KEY_A)") from None


def keystrokes_for(text: str, layout: str = "us") -> list[tuple[int, int | None]]:
    """The keys a scanner presses to type ``text``: (code, modifier code or None).

    Used by the simulated scanner so simulated scans go through the real decoder. Control
    characters (the GS1 separator) are typed as Ctrl+key, as scanners do.
    """
    shift, altgr, ctrl = 42, 100, 29
    reverse: dict[str, tuple[int, int | None]] = {}
    for code, (plain, shifted, alt) in get_keymap(layout).items():
        if code in KEYPAD_DIGITS or code == 83:  # prefer the main row, like a scanner
            continue
        for char, modifier in ((plain, None), (shifted, shift), (alt, altgr)):
            if char and char not in reverse:
                reverse[char] = (code, modifier)
    for code, char in CTRL_CHARS.items():
        reverse.setdefault(char, (code, ctrl))
    out = []
    for char in text:
        if char not in reverse:
            raise ValueError(f"character {char!r} cannot be typed on layout {layout!r}")
        out.append(reverse[char])
    return out
