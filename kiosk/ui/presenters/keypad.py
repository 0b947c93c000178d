"""A numeric entry buffer for PINs, quantities, amounts and phone numbers."""

from __future__ import annotations


class Keypad:
    def __init__(self, max_length: int = 12, *, masked: bool = False) -> None:
        self.max_length = max_length
        self.masked = masked
        self._digits = ""

    @property
    def text(self) -> str:
        return "•" * len(self._digits) if self.masked else self._digits

    @property
    def digits(self) -> str:
        return self._digits

    def press(self, key: str) -> None:
        if key == "back":
            self._digits = self._digits[:-1]
        elif key == "clear":
            self._digits = ""
        elif key in ("00", "000") or (len(key) == 1 and key.isdigit()):
            self._digits = (self._digits + key)[: self.max_length]
        else:
            raise ValueError(f"not a keypad key: {key!r}")

    def value(self) -> int | None:
        return int(self._digits) if self._digits else None

    def take(self) -> str:
        digits, self._digits = self._digits, ""
        return digits


def typed(text: str, key: str, max_length: int = 30) -> str:
    """``text`` after one key of the on-screen letter keyboard (search boxes)."""
    if key == "back":
        return text[:-1]
    if key == "clear":
        return ""
    return (text + key)[:max_length]
