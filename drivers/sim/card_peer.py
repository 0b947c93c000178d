"""A simulated card terminal: a real peer on a pty pair, speaking the framed protocol.

The driver opens ``peer.port_name`` with pyserial exactly as it opens /dev/ttyACM0.
Tests set ``mode`` to make the next sale approve, decline, time out (approved at the
terminal, but the response is lost), send garbage, or not ACK at all.
"""

from __future__ import annotations

from drivers.card_protocol import (
    ACK,
    ECHO,
    LAST,
    NAK,
    REFUND,
    SALE,
    VOID,
    FrameReader,
    Message,
    frame,
)
from drivers.sim.pty_peer import PtyPeer

MODES = ("approve", "decline", "timeout", "garbage", "no_ack", "nak_once", "corrupt_once",
         "unexpected")  # fmt: skip


class SimulatedCardTerminalPeer(PtyPeer):
    def __init__(self, *, terminal_id: str = "T0001", mode: str = "approve") -> None:
        self.terminal_id = terminal_id
        self.mode = mode
        self.transactions: list[dict[str, str]] = []
        self.batch: set[str] = set()  # RRNs of sales not yet settled (voidable)
        self.received: list[Message] = []
        super().__init__("card-peer")
        self._reader = FrameReader()
        self._naked = False
        self._last_sent = b""
        self._start()

    @property
    def mode(self) -> str:
        return self._mode

    @mode.setter
    def mode(self, value: str) -> None:
        if value not in MODES:
            raise ValueError(f"unknown card terminal mode {value!r} (known: {MODES})")
        self._mode = value
        self._naked = False

    def _received(self, data: bytes) -> None:
        for kind, payload in self._reader.feed(data):
            if kind == "nak" and self._last_sent:
                self._send(self._last_sent)
            elif kind == "bad":
                self._send(bytes([NAK]))
            elif kind == "frame" and isinstance(payload, bytes):
                self._on_frame(Message.decode(payload))

    def _on_frame(self, message: Message) -> None:
        if self.mode == "no_ack":
            return
        if self.mode == "nak_once" and not self._naked:
            self._naked = True
            self._send(bytes([NAK]))
            return
        self.received.append(message)
        self._send(bytes([ACK]))
        reply = self._handle(message)
        if reply is None:
            return
        if self.mode == "garbage":  # line noise instead of every answer
            self._send(b"\x00\xffNOT A FRAME\x02\x30\x30")
            return
        encoded = frame(reply.encode())
        self._last_sent = encoded
        if self.mode == "corrupt_once" and not self._naked:
            self._naked = True
            self._send(encoded[:-1] + bytes([encoded[-1] ^ 0xFF]))  # wrong checksum
            return
        self._send(encoded)

    def _handle(self, message: Message) -> Message | None:
        f = message.fields
        if message.command == ECHO:
            return Message(ECHO, {"RC": "00", "TID": self.terminal_id})
        if message.command == LAST:
            last = self.transactions[-1] if self.transactions else {"RC": "", "REF": ""}
            return Message(LAST, last)
        if message.command == VOID and f.get("RRN") not in self.batch:
            return Message(VOID, {"RC": "12", "REF": f.get("REF", ""), "TID": self.terminal_id,
                                  "MSG": "TRANSAKSI TIDAK ADA DI BATCH"})  # fmt: skip
        if message.command in (SALE, VOID, REFUND):
            n = len(self.transactions) + 1
            approved = self.mode != "decline"
            txn = {
                "RC": "00" if approved else "51", "AMT": f.get("AMT", ""),
                "REF": f.get("REF", ""), "APP": f"{n:06d}" if approved else "",
                "RRN": f"{n:012d}", "PAN": "4212345678901234", "TID": self.terminal_id,
            }  # fmt: skip
            if not approved:
                txn["MSG"] = "SALDO TIDAK CUKUP"  # what a bank's EDC prints for RC 51
            if self.mode == "unexpected":  # answers about another sale; ours never ran
                return Message(message.command, {**txn, "REF": "OTHER-1", "AMT": "100"})
            self.transactions.append(txn)
            if approved and message.command == SALE:
                self.batch.add(txn["RRN"])
            elif approved and message.command == VOID:
                self.batch.discard(f.get("RRN", ""))
            return None if self.mode == "timeout" else Message(message.command, txn)
        return Message(message.command, {"RC": "12"})

    def settle(self) -> None:
        """The terminal's end-of-day settlement: its sales can no longer be voided."""
        self.batch.clear()

    def _send(self, data: bytes) -> None:
        self._write(data)
