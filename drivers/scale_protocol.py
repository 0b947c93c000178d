"""The two serial dialects of shop scales in Indonesia, as pure encode/decode.

- ``cas``: the CAS ECR exchange. The host sends ENQ, the scale answers ACK; the host
  sends DC1 and the scale answers one frame
  ``SOH STX <status> <sign> <6 weight chars> <2 unit chars> <BCC> ETX EOT`` where status
  is ``S`` (stable), ``U`` (moving) or ``F`` (over its maximum), the weight is in the
  unit given (``kg`` with a decimal point, or ``g``) and BCC is the XOR of the bytes from
  status to unit. Tare and zero are the scale's own keys.
- ``toledo``: the Toledo-style ECR exchange (8217 mode). ``W`` asks for the weight: the
  answer is ``STX <weight in kg with a decimal point> CR`` when it is steady, or
  ``STX ? <status> CR`` with status bits 0 moving, 1 over capacity, 2 under zero,
  3 outside the zero range. ``Z`` zeroes and ``T`` tares (no answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from drivers.card_protocol import lrc

SOH, STX, ETX, EOT, ENQ, ACK, DC1, CR = 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x11, 0x0D
DIALECTS = ("cas", "toledo")
TOLEDO_WEIGH, TOLEDO_ZERO, TOLEDO_TARE = b"W", b"Z", b"T"
MOVING, OVER, UNDER, OUT_OF_ZERO = 0x01, 0x02, 0x04, 0x08


class ProtocolError(ValueError):
    """An answer that is not what the dialect says (line noise, wrong settings)."""


@dataclass(frozen=True)
class Reading:
    grams: int
    stable: bool
    over: bool = False  # above the scale's maximum
    under: bool = False  # below zero: the scale must be zeroed


def _grams(text: str, unit: str) -> int:
    try:
        value = Decimal(text.strip() or "x")
    except InvalidOperation:
        raise ProtocolError(f"weight {text!r} is not a number") from None
    if unit == "kg":
        value *= 1000
    elif unit != "g":
        raise ProtocolError(f"unit {unit!r} is neither kg nor g")
    return int(value.to_integral_value())


bcc = lrc  # CAS's block check is the same XOR of bytes as the card frames' LRC


def cas_frame(reading: Reading) -> bytes:
    """The scale's side (the twin): one CAS weight frame, in kg."""
    status = b"F" if reading.over else (b"S" if reading.stable else b"U")
    sign = b"-" if reading.grams < 0 or reading.under else b" "
    weight = f"{abs(reading.grams) / 1000:6.3f}".encode("ascii")
    body = status + sign + weight + b"kg"
    return bytes([SOH, STX]) + body + bytes([bcc(body), ETX, EOT])


def cas_decode(frame: bytes) -> Reading:
    """A CAS frame as the host reads it (ending with EOT)."""
    if len(frame) != 15 or frame[:2] != bytes([SOH, STX]) or frame[-2:] != bytes([ETX, EOT]):
        raise ProtocolError(f"not a CAS weight frame: {frame!r}")
    body = frame[2:12]
    if bcc(body) != frame[12]:
        raise ProtocolError("CAS frame check (BCC) does not match")
    status, sign = chr(body[0]), chr(body[1])
    if status not in "SUF" or sign not in " -":
        raise ProtocolError(f"CAS status {status!r} / sign {sign!r} unknown")
    grams = _grams(body[2:8].decode("ascii", "replace"), body[8:10].decode("ascii", "replace"))
    negative = sign == "-" and grams > 0
    return Reading(-grams if negative else grams, status == "S", over=status == "F",
                   under=negative)  # fmt: skip


def toledo_answer(reading: Reading) -> bytes:
    """The scale's side (the twin): the answer to ``W``."""
    status = (
        (0 if reading.stable else MOVING)
        | (OVER if reading.over else 0)
        | (UNDER if reading.under or reading.grams < 0 else 0)
    )
    if status:
        return bytes([STX, ord("?"), 0x20 | status, CR])
    return bytes([STX]) + f"{reading.grams / 1000:06.3f}".encode("ascii") + bytes([CR])


def toledo_decode(answer: bytes) -> Reading:
    if len(answer) < 3 or answer[0] != STX or answer[-1] != CR:
        raise ProtocolError(f"not a Toledo answer: {answer!r}")
    body = answer[1:-1]
    if body[:1] == b"?":
        if len(body) != 2:
            raise ProtocolError(f"Toledo status answer {answer!r} is not one byte")
        status = body[1]
        return Reading(0, not status & MOVING, over=bool(status & OVER),
                       under=bool(status & (UNDER | OUT_OF_ZERO)))  # fmt: skip
    return Reading(_grams(body.decode("ascii", "replace"), "kg"), True)
