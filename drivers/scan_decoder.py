"""Key events -> scanned text: shift/ctrl/AltGr handling, suffix, burst timing, timeout.

Pure logic with no device and no clock of its own: the caller passes each key event with
its kernel timestamp (seconds), and calls ``poll(now)`` when nothing arrives, so a
half-read scan is dropped after ``timeout_ms``. The evdev reader, the simulated scanner and
``kiosk replay`` all go through this one decoder.

A scanner types a whole code in a few milliseconds; a person needs 80-300 ms per key.
The median gap between key-downs tells the two apart (robust to one USB hiccup).
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from drivers import keymaps
from drivers.symbology import parse_scan
from kiosk.ports import Scan

EV_KEY = 1
KEY_UP, KEY_DOWN, KEY_REPEAT = 0, 1, 2

SUFFIXES: Mapping[str, tuple[str, ...]] = {
    "enter": ("KEY_ENTER", "KEY_KPENTER"),
    "tab": ("KEY_TAB",),
    "enter_or_tab": ("KEY_ENTER", "KEY_KPENTER", "KEY_TAB"),
}


@dataclass(frozen=True)
class DecoderConfig:
    layout: str = "us"
    suffix: str = "enter"  # a key of SUFFIXES
    burst_gap_ms: float = 35.0  # median key-down gap above this = a person typing
    timeout_ms: float = 300.0  # a read with no key for this long is dropped
    gs_key: str = ""  # an extra key some scanners send for the GS1 separator, e.g. KEY_F8
    min_length: int = 1

    def __post_init__(self) -> None:
        keymaps.get_keymap(self.layout)  # raises a clear error on an unknown layout
        if self.suffix not in SUFFIXES:
            raise ValueError(f"unknown scan suffix {self.suffix!r} (known: {sorted(SUFFIXES)})")
        if self.gs_key:
            keymaps.key_code(self.gs_key)
        if self.timeout_ms <= 0 or self.burst_gap_ms <= 0:
            raise ValueError("scanner timeout_ms and burst_gap_ms must be positive")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> DecoderConfig:
        known = {k: settings[k] for k in cls.__dataclass_fields__ if k in settings}
        return cls(**known)


@dataclass(frozen=True)
class DecodedRead:
    """One finished read. kind: "scan" (a burst ended by the suffix), "human" (ended by
    the suffix, but typed at human speed) or "timeout" (a partial read that was dropped)."""

    kind: str
    text: str
    keys: int  # key-downs in the read, suffix included
    duration_ms: float
    median_gap_ms: float


class _KeyEvent(Protocol):
    type: int
    code: int
    value: int

    def timestamp(self) -> float: ...


class ScanDecoder:
    def __init__(self, config: DecoderConfig | None = None) -> None:
        self.config = config or DecoderConfig()
        self._keymap = keymaps.get_keymap(self.config.layout)
        self._suffix_codes = frozenset(keymaps.KEY_CODES[n] for n in SUFFIXES[self.config.suffix])
        self._gs_code = keymaps.KEY_CODES[self.config.gs_key] if self.config.gs_key else -1
        self._held: set[int] = set()
        self._capslock = False
        self._alt_digits = ""
        self._chars: list[str] = []
        self._downs: list[float] = []

    @property
    def pending(self) -> str:
        return "".join(self._chars)

    def feed_event(self, event: _KeyEvent) -> list[DecodedRead]:
        """Feed an ``evdev.InputEvent``; non-key events (SYN, MSC scan codes) are ignored."""
        if event.type != EV_KEY:
            return []
        return self.feed(event.code, event.value, event.timestamp())

    def feed(self, code: int, value: int, timestamp: float) -> list[DecodedRead]:
        out = self.poll(timestamp)
        if value == KEY_UP:
            self._held.discard(code)
            if code in keymaps.ALT_KEYS and self._alt_digits:
                # Alt+keypad decimal entry (Alt 0 2 9 = GS), finished when Alt is released
                self._chars.append(chr(int(self._alt_digits) % 256))
                self._alt_digits = ""
            return out
        if value == KEY_REPEAT:  # autorepeat types nothing for a scanner
            return out
        self._held.add(code)
        self._downs.append(timestamp)
        if code in self._suffix_codes:
            out.extend(self._finish(timestamp))
            return out
        self._type(code)
        return out

    def poll(self, now: float) -> list[DecodedRead]:
        """Drop a read that has been silent for longer than the timeout."""
        if self._downs and (now - self._downs[-1]) * 1000 > self.config.timeout_ms:
            return self._drop()
        return []

    def flush(self) -> list[DecodedRead]:
        """End of input (replay): whatever is pending is a dropped partial."""
        return self._drop() if self._downs else []

    def _type(self, code: int) -> None:
        held = self._held
        if code in keymaps.SHIFT_KEYS | keymaps.CTRL_KEYS | keymaps.ALT_KEYS | keymaps.ALTGR_KEYS:
            return
        if code == keymaps.CAPSLOCK:
            self._capslock = not self._capslock
            return
        if code == self._gs_code:
            self._chars.append("\x1d")
            return
        if held & keymaps.ALT_KEYS and code in keymaps.KEYPAD_DIGITS:
            self._alt_digits += keymaps.KEYPAD_DIGITS[code]
            return
        if held & keymaps.CTRL_KEYS:
            if code in keymaps.CTRL_CHARS:
                self._chars.append(keymaps.CTRL_CHARS[code])
            return
        chars = self._keymap.get(code)
        if chars is None:
            return  # F-keys, arrows: nothing a barcode contains
        plain, shifted, altgr = chars
        if held & keymaps.ALTGR_KEYS:
            char = altgr
        else:
            shift = bool(held & keymaps.SHIFT_KEYS)
            if self._capslock and plain.isalpha():
                shift = not shift
            char = shifted if shift else plain
        if char:
            self._chars.append(char)

    def _stats(self, end: float) -> tuple[int, float, float]:
        downs = self._downs
        gaps = [(b - a) * 1000 for a, b in itertools.pairwise(downs)]
        median = statistics.median(gaps) if gaps else 0.0
        return len(downs), (end - downs[0]) * 1000 if downs else 0.0, median

    def _finish(self, end: float) -> list[DecodedRead]:
        text = "".join(self._chars)
        keys, duration, median = self._stats(end)
        self._reset()
        if len(text) < self.config.min_length:
            return []  # a stray Enter
        kind = "human" if median > self.config.burst_gap_ms else "scan"
        return [DecodedRead(kind, text, keys, duration, median)]

    def _drop(self) -> list[DecodedRead]:
        text = "".join(self._chars)
        keys, duration, median = self._stats(self._downs[-1])
        self._reset()
        return [DecodedRead("timeout", text, keys, duration, median)]

    def _reset(self) -> None:
        self._chars = []
        self._downs = []
        self._alt_digits = ""


def parse_key_steps(steps: Sequence[Any]) -> list[tuple[int, int, float]]:
    """Validate ``[["KEY_LEFTSHIFT", 1], ["KEY_A", 1, 4], ...]`` into (code, value, t_seconds).

    The optional third item is milliseconds since the previous event (default 0).
    """
    events: list[tuple[int, int, float]] = []
    t = 0.0
    for i, step in enumerate(steps):
        if not isinstance(step, list | tuple) or len(step) not in (2, 3):
            raise ValueError(
                f"keys[{i}]: expected [name, value] or [name, value, ms], got {step!r}"
            )
        name, value = step[0], step[1]
        if not isinstance(name, str):
            raise ValueError(f"keys[{i}]: key name must be a string, got {name!r}")
        try:
            code = keymaps.key_code(name)
        except ValueError as exc:
            raise ValueError(f"keys[{i}]: {exc}") from None
        if value not in (KEY_UP, KEY_DOWN, KEY_REPEAT) or isinstance(value, bool):
            raise ValueError(
                f"keys[{i}]: value must be 0 (up), 1 (down) or 2 (repeat), got {value!r}"
            )
        if len(step) == 3:
            ms = step[2]
            if isinstance(ms, bool) or not isinstance(ms, int | float) or ms < 0:
                raise ValueError(f"keys[{i}]: milliseconds must be a number >= 0, got {ms!r}")
            t += ms / 1000
        events.append((code, int(value), t))
    return events


def decode_steps(steps: Sequence[Any], config: DecoderConfig | None = None) -> list[DecodedRead]:
    """Every read (scans, human typing, dropped partials) in a recorded key sequence."""
    decoder = ScanDecoder(config)
    reads: list[DecodedRead] = []
    for code, value, t in parse_key_steps(steps):
        reads.extend(decoder.feed(code, value, t))
    reads.extend(decoder.flush())
    return reads


def replay_keys(
    steps: Sequence[Any], *, config: DecoderConfig | None = None, source: str = "replay"
) -> list[Scan]:
    """The scans a real scanner would have delivered for a recorded key sequence.

    Human typing and dropped partials are left out, exactly as the live scanner does.
    Raises ValueError naming the bad step.
    """
    return scans_from(decode_steps(steps, config), source=source)


def scans_from(reads: Iterable[DecodedRead], *, source: str) -> list[Scan]:
    return [parse_scan(r.text, source=source) for r in reads if r.kind == "scan"]
