"""A simulated shop scale: a real peer on a pty pair, speaking CAS or Toledo ECR.

The driver opens ``peer.port_name`` with pyserial exactly as it opens /dev/ttyUSB0.
``place(grams)`` puts a load on it (``stable=False`` while it settles); ``mode`` makes
it silent or garbled; ``over`` and ``under`` report its maximum and below-zero states.
Tare and zero (Toledo) subtract what is on it now, as a real scale does.
"""

from __future__ import annotations

from drivers.scale_protocol import (
    ACK,
    DC1,
    ENQ,
    TOLEDO_TARE,
    TOLEDO_WEIGH,
    TOLEDO_ZERO,
    Reading,
    cas_frame,
    toledo_answer,
)
from drivers.sim.pty_peer import PtyPeer

MODES = ("ok", "silent", "garbled")


class SimulatedScalePeer(PtyPeer):
    def __init__(self, *, dialect: str = "cas", max_g: int = 15_000) -> None:
        super().__init__("scale-peer")
        self.dialect = dialect
        self.max_g = max_g
        self.mode = "ok"
        self.load_g = 0
        self.offset_g = 0  # what zero and tare took away
        self.stable = True
        self.received = bytearray()
        self._start()

    def place(self, grams: int, *, stable: bool = True) -> None:
        self.load_g, self.stable = grams, stable

    def reading(self) -> Reading:
        net = self.load_g - self.offset_g
        return Reading(net, self.stable, over=self.load_g > self.max_g, under=net < 0)

    def _received(self, data: bytes) -> None:
        self.received += data
        for byte in data:
            self._answer(bytes([byte]))

    def _answer(self, command: bytes) -> None:
        if self.mode == "silent":
            return
        if command in (TOLEDO_ZERO, TOLEDO_TARE):
            self.offset_g = self.load_g
            return
        if command == bytes([ENQ]):
            answer = bytes([ACK])
        elif command == bytes([DC1]) and self.dialect == "cas":
            answer = cas_frame(self.reading())
        elif command == TOLEDO_WEIGH and self.dialect == "toledo":
            answer = toledo_answer(self.reading())
        else:
            return
        if self.mode == "garbled" and len(answer) > 1:
            answer = answer[:-3] + b"\x7f" + answer[-2:]
        self._write(answer)
