"""Build evdev ``InputEvent`` sequences the way a USB HID scanner sends them.

Each key press is MSC_SCAN + EV_KEY down + SYN_REPORT, then the same for the release,
about 1 ms apart; characters needing Shift wrap the key in a Shift down/up pair.
"""

from __future__ import annotations

from evdev import InputEvent, ecodes

from drivers import keymaps

HID_USAGE_BASE = 0x70000  # MSC_SCAN values carry the HID usage; the decoder ignores them


def _at(t: float, type_: int, code: int, value: int) -> InputEvent:
    sec = int(t)
    return InputEvent(sec, round((t - sec) * 1_000_000), type_, code, value)


def key(t: float, code: int, value: int) -> list[InputEvent]:
    return [
        _at(t, ecodes.EV_MSC, ecodes.MSC_SCAN, HID_USAGE_BASE + code),
        _at(t, ecodes.EV_KEY, code, value),
        _at(t, ecodes.EV_SYN, ecodes.SYN_REPORT, 0),
    ]


def typed(
    text: str,
    *,
    start: float = 1000.0,
    gap_ms: float = 2.0,
    layout: str = "us",
    suffix: str = "KEY_ENTER",
) -> tuple[list[InputEvent], float]:
    """Events for ``text`` + suffix; returns them and the time after the last one."""
    events: list[InputEvent] = []
    t = start
    strokes = keymaps.keystrokes_for(text, layout)
    if suffix:
        strokes.append((keymaps.KEY_CODES[suffix], None))
    for code, modifier in strokes:
        if modifier is not None:
            events += key(t, modifier, 1)
        events += key(t + 0.0001, code, 1)
        events += key(t + 0.0005, code, 0)
        if modifier is not None:
            events += key(t + 0.0006, modifier, 0)
        t += gap_ms / 1000
    return events, t
