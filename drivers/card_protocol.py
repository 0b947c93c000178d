"""Framing for a semi-integrated card terminal (bank EDC, "ECR" link) over serial.

Frame: STX, 4 ASCII digits of data length, data, ETX, LRC = XOR of every byte after STX
up to and including ETX. Each frame is answered with ACK (06) or NAK (15). Data is a
message: a 2-character command then fields ``TAG=value`` separated by FS (1C). Amounts
carry 2 implied decimals, even for rupiah (FIELD-NOTES). Banks' own layouts differ in
the fields, not in this framing: a bank codec maps its fields onto ``Message``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

STX, ETX, ACK, NAK, FS = 0x02, 0x03, 0x06, 0x15, 0x1C
SALE, VOID, ECHO, LAST, REFUND = "01", "02", "03", "04", "05"
MAX_DATA = 9999


class FrameError(ValueError):
    """A frame that is not well formed (bad length, missing ETX, wrong checksum)."""


@dataclass(frozen=True)
class Message:
    command: str
    fields: dict[str, str] = field(default_factory=dict)

    def encode(self) -> bytes:
        parts = [self.command] + [f"{k}={v}" for k, v in self.fields.items()]
        return "\x1c".join(parts).encode("ascii")

    @classmethod
    def decode(cls, data: bytes) -> Message:
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError as exc:
            raise FrameError(f"message is not ASCII: {exc}") from None
        command, *rest = text.split("\x1c")
        fields: dict[str, str] = {}
        for part in rest:
            key, sep, value = part.partition("=")
            if not sep:
                raise FrameError(f"field without '=': {part!r}")
            fields[key] = value
        return cls(command, fields)


def lrc(data: bytes) -> int:
    value = 0
    for byte in data:
        value ^= byte
    return value


def frame(data: bytes) -> bytes:
    if len(data) > MAX_DATA:
        raise FrameError(f"message too long: {len(data)} bytes (max {MAX_DATA})")
    body = f"{len(data):04d}".encode() + data + bytes([ETX])
    return bytes([STX]) + body + bytes([lrc(body)])


def amount_field(rupiah: int) -> str:
    if rupiah < 0:
        raise ValueError("card amounts are positive")
    return f"{rupiah * 100:012d}"


def parse_amount(text: str) -> int:
    value = int(text)
    if value % 100:
        raise FrameError(f"amount {text} has cents; rupiah amounts are whole")
    return value // 100


class FrameReader:
    """Incremental parser: feed bytes as they arrive, take out frames and line signals.

    ``feed`` returns a list of items: ``("ack", None)``, ``("nak", None)``,
    ``("frame", data)``, ``("bad", reason)`` (a frame to answer with NAK), and
    ``("noise", None)`` once for bytes outside any frame (skipped, but a terminal that
    sends them is not speaking the protocol: its answer is "garbled", not missing).
    """

    def __init__(self) -> None:
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[tuple[str, bytes | str | None]]:
        self._buf += data
        out: list[tuple[str, bytes | str | None]] = []
        noise = False
        while self._buf:
            first = self._buf[0]
            if first in (ACK, NAK):
                out.append(("ack" if first == ACK else "nak", None))
                del self._buf[0]
                continue
            if first != STX:
                del self._buf[0]  # line noise
                if not noise:
                    noise = True
                    out.append(("noise", None))
                continue
            if len(self._buf) < 5:
                break
            digits = bytes(self._buf[1:5])
            if not digits.isdigit():
                out.append(("bad", f"length field {digits!r} is not 4 digits"))
                del self._buf[0]
                continue
            size = int(digits)
            total = 1 + 4 + size + 2
            if len(self._buf) < total:
                break
            raw = bytes(self._buf[:total])
            del self._buf[:total]
            body, check = raw[1:-1], raw[-1]
            if body[-1] != ETX:
                out.append(("bad", "no ETX where the length says the frame ends"))
            elif lrc(body) != check:
                out.append(("bad", f"checksum {check:02x} != {lrc(body):02x}"))
            else:
                out.append(("frame", body[4:-1]))
        return out
