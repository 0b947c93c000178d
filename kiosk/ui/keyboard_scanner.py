"""Keyboard as a scanner: digits (and letters) then Enter make one scan.

Used when no hardware scanner is configured (``make run``) and by a USB scanner in
keyboard mode that the evdev driver does not grab. The wedge is plain Python; the app
feeds it Kivy key events only while no text field has focus.
"""

from __future__ import annotations

from collections.abc import Callable

ENTER_KEYS = (13, 271)  # Enter, keypad Enter
BACKSPACE = 8
MAX_LENGTH = 64


class KeyboardWedge:
    def __init__(self, on_scan: Callable[[str], object]) -> None:
        self._on_scan = on_scan
        self._buffer: list[str] = []

    @property
    def buffer(self) -> str:
        return "".join(self._buffer)

    def key(self, keycode: int, text: str | None) -> bool:
        """Feed one key press; True when the key was consumed."""
        if keycode in ENTER_KEYS:
            code = self.buffer.strip()
            self._buffer.clear()
            if code:
                self._on_scan(code)
                return True
            return False
        if keycode == BACKSPACE:
            if self._buffer:
                self._buffer.pop()
            return True
        if text and len(text) == 1 and (text.isalnum() or text in "-_./") and text.isascii():
            if len(self._buffer) < MAX_LENGTH:
                self._buffer.append(text)
            return True
        return False

    def clear(self) -> None:
        self._buffer.clear()
