"""A shop scale on a serial port (pyserial), in the CAS or Toledo-style ECR dialect.

``weigh`` asks once and answers a ``Weighing``; what the scale cannot weigh (over its
maximum, below zero, silent, garbled) is a ``DeviceError`` whose code says what the
cashier reads (kiosk.domain.error_codes).
"""

from __future__ import annotations

import threading
import time
from typing import Any

from drivers.scale_protocol import (
    ACK,
    DC1,
    DIALECTS,
    ENQ,
    EOT,
    TOLEDO_TARE,
    TOLEDO_WEIGH,
    TOLEDO_ZERO,
    ProtocolError,
    Reading,
    cas_decode,
    toledo_decode,
)
from kiosk.domain.error_codes import english
from kiosk.ports import DeviceError, DeviceState, DeviceStatus, Weighing

KIND = "scale"
# What the cashier reads: codes of kiosk.domain.error_codes (worded in both languages).
NOT_ANSWERING = "scale.not_answering"
GARBLED = "scale.garbled"
OVER_MAXIMUM = "scale.over_maximum"
BELOW_ZERO = "scale.below_zero"
USE_SCALE_KEYS = "scale.use_keys"
SCALE_CODES = (NOT_ANSWERING, GARBLED, OVER_MAXIMUM, BELOW_ZERO, USE_SCALE_KEYS)


class SerialScale:
    def __init__(self, port: Any, *, dialect: str = "cas", name: str = "scale",
                 timeout_s: float = 0.5) -> None:  # fmt: skip
        if dialect not in DIALECTS:
            raise ValueError(f"scale dialect must be one of {', '.join(DIALECTS)}, got {dialect!r}")
        self.port = port
        self.dialect = dialect
        self.name = name
        self.timeout_s = timeout_s
        self._lock = threading.Lock()  # one exchange at a time
        self._last_error = ""

    # -- Device ----------------------------------------------------------------------------
    def status(self) -> DeviceStatus:
        state = DeviceState.ERROR if self._last_error else DeviceState.IDLE
        detail = {"dialect": self.dialect}
        return DeviceStatus(KIND, self.name, state, self._last_error, detail)

    def close(self) -> None:
        self.port.close()

    # -- Scale -----------------------------------------------------------------------------
    def weigh(self) -> Weighing:
        with self._lock:
            reading = self._exchange()
        if reading.over:
            raise self._error(OVER_MAXIMUM, keep=False)
        if reading.under:
            raise self._error(BELOW_ZERO, keep=False)
        return Weighing(reading.grams, reading.stable)

    def tare(self) -> None:
        self._command(TOLEDO_TARE)

    def zero(self) -> None:
        self._command(TOLEDO_ZERO)

    # -- internals ---------------------------------------------------------------------------
    def _command(self, command: bytes) -> None:
        if self.dialect == "cas":
            raise DeviceError(
                english(USE_SCALE_KEYS, {}), kind=KIND, name=self.name, code=USE_SCALE_KEYS
            )
        with self._lock:
            self.port.reset_input_buffer()
            self.port.write(command)
            self.port.flush()

    def _exchange(self) -> Reading:
        self.port.reset_input_buffer()
        try:
            if self.dialect == "cas":
                self._send(bytes([ENQ]))
                if self._read_until(bytes([ACK])) != bytes([ACK]):
                    raise ProtocolError("no ACK to ENQ")
                self._send(bytes([DC1]))
                reading = cas_decode(self._read_until(bytes([EOT])))
            else:
                self._send(TOLEDO_WEIGH)
                reading = toledo_decode(self._read_until(b"\r"))
        except TimeoutError:
            raise self._error(NOT_ANSWERING) from None
        except ProtocolError:
            raise self._error(GARBLED) from None
        self._last_error = ""
        return reading

    def _send(self, data: bytes) -> None:
        self.port.write(data)
        self.port.flush()

    def _read_until(self, end: bytes) -> bytes:
        deadline = time.monotonic() + self.timeout_s
        data = b""
        while not data.endswith(end):
            if time.monotonic() > deadline:
                raise TimeoutError
            chunk = self.port.read(1)
            data += chunk
            if len(data) > 64:
                raise ProtocolError("answer too long")
        return data

    def _error(self, code: str, *, keep: bool = True) -> DeviceError:
        message = english(code, {})
        if keep:  # the scale itself is at fault (not the load on it)
            self._last_error = message
        return DeviceError(message, kind=KIND, name=self.name, code=code)
