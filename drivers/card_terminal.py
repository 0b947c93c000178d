"""Semi-integrated card terminal over serial: sale, void, echo, last transaction.

Rules this driver keeps (a card payment is money that must not be taken twice):
- every frame is ACKed or NAKed; a NAKed or unanswered frame is resent ``retries`` times;
- a response that does not come in time is "unknown", never "declined": the driver asks
  the terminal for its last transaction first, and only a matching reference turns the
  unknown into approved/declined. The caller decides about any retry, with that answer;
- only the masked card number (first 6, last 4), approval code, RRN and terminal id are
  kept; raw frames are never logged.
"""

from __future__ import annotations

import time
from typing import Any

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
    amount_field,
    frame,
    parse_amount,
)
from kiosk.ports import CardResult, DeviceEvent, DeviceListener, DeviceState, DeviceStatus

KIND = "card_terminal"


class NoAckError(Exception):
    """The terminal did not acknowledge a frame after every retry."""


def mask_pan(pan: str) -> str:
    """Keep the first 6 and last 4 digits (PCI DSS); anything shorter is fully masked."""
    digits = "".join(c for c in pan if c.isdigit() or c == "*")
    if len(digits) < 13:
        return "*" * len(digits)
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:]


class SerialCardTerminal:
    """The kiosk's ``PaymentTerminal``. ``port`` is an open pyserial port (any URL)."""

    def __init__(
        self,
        port: Any,
        *,
        name: str = "card_terminal",
        ack_timeout: float = 1.0,
        response_timeout: float = 90.0,  # a customer typing a PIN
        retries: int = 3,
        on_event: DeviceListener | None = None,
    ) -> None:
        self.name = name
        self._port = port
        self._ack_timeout = ack_timeout
        self._response_timeout = response_timeout
        self._retries = retries
        self._on_event = on_event
        self._reader = FrameReader()
        self._pending: list[tuple[str, bytes | str | None]] = []
        self._garbled = False  # the last exchange met bytes that were not a good frame
        self._status = DeviceStatus(KIND, name, DeviceState.IDLE)

    # -- PaymentTerminal ----------------------------------------------------------------
    def sale(self, amount: int, reference: str) -> CardResult:
        if amount <= 0:
            raise ValueError(f"card sale amount must be positive, got {amount}")
        request = Message(SALE, {"AMT": amount_field(amount), "REF": reference})
        return self._transaction(request, reference, amount)

    def void(self, rrn: str, amount: int) -> CardResult:
        request = Message(VOID, {"AMT": amount_field(amount), "RRN": rrn, "REF": f"VOID-{rrn}"})
        return self._transaction(request, f"VOID-{rrn}", amount)

    def refund(self, rrn: str, amount: int, reference: str) -> CardResult:
        """Money back on a settled sale (a void only works while the terminal's batch
        still holds it); ``reference`` is the refund's own, for the inquiry."""
        if amount <= 0:
            raise ValueError(f"card refund amount must be positive, got {amount}")
        request = Message(REFUND, {"AMT": amount_field(amount), "RRN": rrn, "REF": reference})
        return self._transaction(request, reference, amount)

    def last_transaction(self) -> CardResult:
        try:
            reply = self._exchange(Message(LAST), self._ack_timeout * 5)
        except NoAckError:
            return CardResult("error", message="terminal does not answer")
        if reply is None:
            return CardResult("unknown", message="no answer to last-transaction query")
        return _result(reply)

    def echo(self) -> bool:
        try:
            reply = self._exchange(Message(ECHO), self._ack_timeout * 3)
        except NoAckError:
            self._set(DeviceState.OFFLINE, "terminal does not answer")
            return False
        ok = reply is not None and reply.fields.get("RC") == "00"
        self._set(DeviceState.IDLE if ok else DeviceState.ERROR, "" if ok else "echo failed")
        return ok

    def status(self) -> DeviceStatus:
        return self._status

    def close(self) -> None:
        self._port.close()

    # -- the exchange -------------------------------------------------------------------
    def _transaction(self, request: Message, reference: str, amount: int) -> CardResult:
        self._set(DeviceState.BUSY, "card payment")
        self._garbled = False
        try:
            reply = self._exchange(request, self._response_timeout)
        except NoAckError:
            reply = None
        unexpected = reply is not None and not _answers(reply, request, reference, amount)
        if reply is not None and not unexpected:
            self._set(DeviceState.IDLE, "")
            return _result(reply)
        # No answer, or not one to this request: the payment may or may not have
        # happened. Ask the terminal's last transaction before anything else.
        last = self.last_transaction()
        if last.outcome in ("approved", "declined") and last.reference == reference:
            self._set(DeviceState.IDLE, "")
            return last
        self._set(DeviceState.ERROR, "payment outcome unknown")
        problem = "unexpected" if unexpected else "garbled" if self._garbled else "no_answer"
        message = {
            "unexpected": "the card terminal answered another request; check it before retrying",
            "garbled": "the card terminal's answer could not be read; check it before retrying",
            "no_answer": "no answer from the card terminal; check it before retrying",
        }[problem]
        return CardResult("unknown", amount=amount, message=message, problem=problem)

    def _exchange(self, request: Message, timeout: float) -> Message | None:
        """Send with ACK/NAK retries; wait for one response frame and ACK it."""
        data = frame(request.encode())
        self._port.reset_input_buffer()
        self._reader = FrameReader()
        self._pending = []
        for _attempt in range(self._retries + 1):
            self._port.write(data)
            self._port.flush()
            signal = self._wait_signal(self._ack_timeout)
            if signal == "ack":
                break
        else:
            raise NoAckError()
        deadline = time.monotonic() + timeout
        bad = 0
        while time.monotonic() < deadline:
            for kind, payload in self._read_items():
                if kind == "frame" and isinstance(payload, bytes):
                    self._port.write(bytes([ACK]))
                    try:
                        return Message.decode(payload)
                    except ValueError:
                        self._garbled = True
                        return None
                if kind == "noise":
                    self._garbled = True
                if kind == "bad":
                    self._garbled = True
                    if bad < self._retries:
                        bad += 1
                        self._port.write(bytes([NAK]))  # ask the terminal to send it again
        return None

    def _wait_signal(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            items = self._read_items()
            for i, (kind, _) in enumerate(items):
                if kind in ("ack", "nak"):
                    self._pending = items[i + 1 :]  # the response may arrive with the ACK
                    return kind
        return ""

    def _read_items(self) -> list[tuple[str, bytes | str | None]]:
        if self._pending:
            items, self._pending = self._pending, []
            return items
        chunk = self._port.read(max(1, self._port.in_waiting))
        return self._reader.feed(chunk) if chunk else []

    def _set(self, state: DeviceState, reason: str) -> None:
        previous, self._status = self._status, DeviceStatus(KIND, self.name, state, reason)
        if (previous.state, previous.reason) != (state, reason) and self._on_event:
            self._on_event(DeviceEvent(KIND, self.name, "status", self._status, reason))


def _result(reply: Message) -> CardResult:
    f = reply.fields
    code = f.get("RC", "")
    amount = parse_amount(f["AMT"]) if f.get("AMT", "").isdigit() else 0
    return CardResult(
        outcome="approved" if code == "00" else "declined" if code else "error",
        amount=amount,
        response_code=code,
        approval_code=f.get("APP", ""),
        rrn=f.get("RRN", ""),
        masked_pan=mask_pan(f.get("PAN", "")),
        terminal_id=f.get("TID", ""),
        message=f.get("MSG", ""),  # the terminal's own words (a decline's reason)
        reference=f.get("REF", ""),
    )


def _answers(reply: Message, request: Message, reference: str, amount: int) -> bool:
    """The reply is to this very request: same command, our reference, our amount (a
    terminal that answers something else must not be taken for a payment)."""
    asked = request.fields
    return (
        reply.command == request.command
        and reply.fields.get("REF", reference) == reference
        and reply.fields.get("AMT", asked.get("AMT")) == asked.get("AMT")
    )
