"""A simulated receipt printer: an escpos ``Dummy`` that keeps what it printed and
answers DLE EOT status queries from settable state (paper, cover, unplugged)."""

from __future__ import annotations

from typing import Any

from escpos.printer import Dummy

from drivers.printer import DLE_EOT, EscposPrinter
from drivers.receipt_render import RenderOptions
from kiosk.ports import DeviceListener


class SimulatedPrinterConnection(Dummy):  # type: ignore[misc]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paper = "ok"  # ok | near_end | out
        self.cover_open = False
        self.unplugged = False
        self.answers_status = True
        self.queries: list[int] = []
        self._pending: list[int] = []

    def _raw(self, msg: bytes) -> None:
        if self.unplugged:
            raise OSError("printer unplugged")
        if msg.startswith(DLE_EOT) and len(msg) == 3:
            self.queries.append(msg[2])
            self._pending.append(msg[2])
            return
        if self.paper == "out" or self.cover_open:
            raise OSError("printer stopped: " + ("cover open" if self.cover_open else "paper out"))
        super()._raw(msg)

    def _read(self) -> bytes:
        if self.unplugged:
            raise OSError("printer unplugged")
        if not self._pending or not self.answers_status:
            self._pending.clear()
            return b""
        n = self._pending.pop(0)
        base = 0x12  # bits 1 and 4 are always set in DLE EOT answers
        if n == 1:
            return bytes([base | (0x08 if self.cover_open or self.paper == "out" else 0)])
        if n == 2:
            return bytes(
                [base | (0x04 if self.cover_open else 0) | (0x20 if self.paper == "out" else 0)]
            )
        paper_bits = {"ok": 0, "near_end": 0x0C, "out": 0x6C}[self.paper]
        return bytes([base | paper_bits])


def simulated_printer(
    name: str = "printer",
    options: RenderOptions | None = None,
    *,
    on_event: DeviceListener | None = None,
    poll_interval: float = 1.0,
) -> tuple[EscposPrinter, SimulatedPrinterConnection]:
    """The real ``EscposPrinter`` over a simulated connection (returned too, to set state)."""
    connection = SimulatedPrinterConnection()
    printer = EscposPrinter(name, lambda: connection, options, on_event=on_event,
                            poll_interval=poll_interval)  # fmt: skip
    return printer, connection
