"""2x20 customer pole display (VFD) on a serial port.

Two command sets cover most pole displays: "epson" (ESC/POS display: ``ESC @`` init,
``US $ x y`` cursor) and "cd5220" (``ESC Q A text CR`` upper line, ``ESC Q B`` lower line).
Text is transliterated to ASCII and padded to 20 columns so each update overwrites
the whole line. ``VfdScreen`` interprets both command sets back into two lines: the
simulated display and the tests use it.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from kiosk.domain.money import format_rupiah
from kiosk.ports import DeviceError, DeviceState, DeviceStatus

KIND = "display"
COLUMNS = 20
COMMAND_SETS = ("epson", "cd5220")


def ascii_line(text: str, width: int = COLUMNS) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    plain = "".join(c if c.isprintable() else " " for c in plain)
    return plain[:width].ljust(width)


def encode_lines(top: str, bottom: str, command_set: str = "epson") -> bytes:
    top_b, bottom_b = ascii_line(top).encode(), ascii_line(bottom).encode()
    if command_set == "epson":
        return b"\x1f\x24\x01\x01" + top_b + b"\x1f\x24\x01\x02" + bottom_b
    if command_set == "cd5220":
        return b"\x1bQA" + top_b + b"\r" + b"\x1bQB" + bottom_b + b"\r"
    raise ValueError(f"unknown display command set {command_set!r} (known: {COMMAND_SETS})")


def item_lines(name: str, price: int, total: int, lang: str = "id") -> tuple[str, str]:
    """The last item and its price on top, the running total below."""
    price_text = format_rupiah(price, lang)
    top = ascii_line(name, COLUMNS - len(price_text) - 1).rstrip()
    top = top.ljust(COLUMNS - len(price_text)) + price_text
    label = "TOTAL"
    total_text = format_rupiah(total, lang)
    return top, label + total_text.rjust(COLUMNS - len(label))


class SerialPoleDisplay:
    """The kiosk's ``CustomerDisplay`` on a pyserial port (opened by the caller/factory)."""

    def __init__(self, port: Any, *, name: str = "display", command_set: str = "epson") -> None:
        if command_set not in COMMAND_SETS:
            raise ValueError(f"unknown display command set {command_set!r} (known: {COMMAND_SETS})")
        self.name = name
        self.command_set = command_set
        self._port = port
        self._status = DeviceStatus(KIND, name, DeviceState.IDLE)
        self._write(b"\x1b@\x0c")  # initialise, clear

    def show_lines(self, top: str, bottom: str) -> None:
        self._write(encode_lines(top, bottom, self.command_set))

    def show_item(self, name: str, price: int, total: int, lang: str = "id") -> None:
        self.show_lines(*item_lines(name, price, total, lang))

    def status(self) -> DeviceStatus:
        return self._status

    def close(self) -> None:
        self._port.close()

    def _write(self, data: bytes) -> None:
        try:
            self._port.write(data)
            self._port.flush()
        except Exception as exc:
            self._status = DeviceStatus(KIND, self.name, DeviceState.OFFLINE, str(exc))
            raise DeviceError("The customer display is not responding", kind=KIND,
                              name=self.name) from exc  # fmt: skip
        self._status = DeviceStatus(KIND, self.name, DeviceState.IDLE)


class VfdScreen:
    """What a 2x20 VFD shows after a byte stream in either command set."""

    def __init__(self) -> None:
        self.rows = [[" "] * COLUMNS, [" "] * COLUMNS]
        self._x = self._y = 0
        self._buf = b""

    @property
    def lines(self) -> tuple[str, str]:
        return "".join(self.rows[0]), "".join(self.rows[1])

    def feed(self, data: bytes) -> None:
        buf = self._buf + data
        i = 0
        while i < len(buf):
            b = buf[i]
            if (b == 0x1B and buf[i + 1 : i + 2] == b"@") or b == 0x0C:
                self.rows = [[" "] * COLUMNS, [" "] * COLUMNS]
                self._x = self._y = 0
                i += 2 if b == 0x1B else 1
            elif b == 0x1F and buf[i + 1 : i + 2] == b"$":
                if len(buf) < i + 4:
                    break
                self._x, self._y = buf[i + 2] - 1, buf[i + 3] - 1
                i += 4
            elif b == 0x1B and buf[i + 1 : i + 2] == b"Q":
                end = buf.find(b"\r", i)
                if end < 0 or len(buf) < i + 3:
                    break
                row = 0 if buf[i + 2 : i + 3] == b"A" else 1
                text = buf[i + 3 : end].decode("ascii", "replace")[:COLUMNS].ljust(COLUMNS)
                self.rows[row] = list(text)
                i = end + 1
            elif b == 0x1B and i + 1 >= len(buf):
                break
            else:
                if 0x20 <= b < 0x7F and 0 <= self._y < 2 and 0 <= self._x < COLUMNS:
                    self.rows[self._y][self._x] = chr(b)
                    self._x += 1
                i += 1
        self._buf = buf[i:]


class SimulatedPoleDisplay(SerialPoleDisplay):
    """The real driver writing into a ``VfdScreen`` instead of a serial port."""

    def __init__(self, *, name: str = "display", command_set: str = "epson") -> None:
        self.screen = VfdScreen()
        super().__init__(_ScreenPort(self.screen), name=name, command_set=command_set)


class _ScreenPort:
    def __init__(self, screen: VfdScreen) -> None:
        self.screen = screen

    def write(self, data: bytes) -> int:
        self.screen.feed(data)
        return len(data)

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None
