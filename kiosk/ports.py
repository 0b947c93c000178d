"""Ports: the interfaces services talk to. Drivers, storage and telemetry implement them.

Nothing here imports a library with I/O. Every device reports a ``DeviceStatus`` in the
UnifiedPOS spirit (offline, idle, busy, error with a reason) and raises ``DeviceEvent``s
through the listener it is given; the kiosk shows them and reports them to the fleet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from kiosk.domain.receipt import ReceiptDocument
from kiosk.domain.sale import CompletedSale

# The unit of work's ports live in kiosk/unit_of_work_ports.py; importable from here too.
from kiosk.unit_of_work_ports import (
    BooksRepository,
    BooksUnitOfWork,
    CatalogRepository,
    CatalogVersion,
    MemberRepository,
    StockRepository,
    UnitOfWork,
)

__all__ = [
    "BooksRepository",
    "BooksUnitOfWork",
    "CardResult",
    "CashAcceptor",
    "CashDrawer",
    "CashListener",
    "CatalogRepository",
    "CatalogVersion",
    "Clock",
    "CustomerDisplay",
    "Device",
    "DeviceError",
    "DeviceEvent",
    "DeviceListener",
    "DeviceSet",
    "DeviceState",
    "DeviceStatus",
    "HandFedCashAcceptor",
    "Indicators",
    "Ledger",
    "MemberRepository",
    "PaymentTerminal",
    "PrintJobInfo",
    "Printer",
    "Scale",
    "Scan",
    "ScanListener",
    "ScanSource",
    "StockRepository",
    "StoreLedger",
    "SystemClock",
    "UnitOfWork",
    "Weighing",
]


class DeviceState(StrEnum):
    OFFLINE = "offline"
    IDLE = "idle"
    BUSY = "busy"
    ERROR = "error"


@dataclass(frozen=True)
class DeviceStatus:
    kind: str  # "scanner", "printer", "drawer", "lights", "display", "card_terminal", ...
    name: str  # configured name, e.g. "scanner-1"
    state: DeviceState
    reason: str = ""  # human-readable, e.g. "paper out", "not connected"
    detail: dict[str, Any] = field(default_factory=dict)  # e.g. {"paper": "near_end"}


@dataclass(frozen=True)
class DeviceEvent:
    """A status change or notable happening of a device (paper out, drawer left open)."""

    kind: str
    name: str
    event: str  # e.g. "status", "paper_out", "drawer_left_open", "scan_timeout"
    status: DeviceStatus
    message: str = ""


DeviceListener = Callable[[DeviceEvent], None]


@dataclass(frozen=True)
class Scan:
    """One decoded barcode read, structured (AIM id and GS1 element strings parsed)."""

    data: str  # the payload without AIM prefix, GS1 separators kept as "\x1d"
    source: str = ""  # device name
    symbology: str = ""  # "ean13", "ean8", "upca", "upce", "gs1-128", "gs1-databar", "qr", ...
    aim_id: str = ""  # e.g. "]E0"
    gtin: str = ""  # from AI 01 or the EAN/UPC itself
    ais: dict[str, str] = field(default_factory=dict)  # GS1 AI -> value, e.g. {"17": "261231"}


ScanListener = Callable[[Scan], None]


class Device(Protocol):
    def status(self) -> DeviceStatus: ...
    def close(self) -> None: ...


class ScanSource(Device, Protocol):
    """A scanner. ``start`` begins delivering scans on a driver thread via ``on_scan``."""

    def start(self, on_scan: ScanListener, on_event: DeviceListener) -> None: ...


class PrintJobInfo(Protocol):
    """What the kiosk may read of a print job (the driver keeps its bytes)."""

    @property
    def id(self) -> int: ...
    @property
    def label(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def error(self) -> str: ...


class Printer(Device, Protocol):
    def print_document(self, document: ReceiptDocument) -> None:
        """Queue a receipt and return at once; a failure arrives as a ``job_failed``
        event and the job is kept for ``reprint``."""
        ...

    def send_raw(self, data: bytes, label: str) -> PrintJobInfo:
        """Queue bytes already laid out (an X, Z or shift report); like a receipt, a
        failure is kept for ``reprint``."""
        ...

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """True when every queued job has finished (done or failed) within ``timeout``."""
        ...

    def failed_jobs(self) -> Sequence[PrintJobInfo]: ...

    def reprint(self, job_id: int) -> PrintJobInfo: ...


class CashDrawer(Device, Protocol):
    def open(self, reason: str) -> None: ...
    def is_open(self) -> bool | None:
        """True/False from the sensor, None when no sensor is wired."""
        ...


class Indicators(Device, Protocol):
    def show(self, state: str) -> None:
        """Set the lights for a kiosk state: ready, busy, help, approval, error, offline."""
        ...


class CustomerDisplay(Device, Protocol):
    def show_lines(self, top: str, bottom: str) -> None: ...


@dataclass(frozen=True)
class CardResult:
    outcome: str  # "approved" | "declined" | "unknown" | "error"
    amount: int = 0
    response_code: str = ""
    approval_code: str = ""
    rrn: str = ""
    masked_pan: str = ""
    terminal_id: str = ""
    message: str = ""  # for a person: the terminal's own text, or why it failed
    reference: str = ""  # the till's reference the terminal echoed (matches an inquiry)
    problem: str = ""  # an unknown outcome's cause: "no_answer", "garbled", "unexpected"


class PaymentTerminal(Device, Protocol):
    def sale(self, amount: int, reference: str) -> CardResult: ...
    def void(self, rrn: str, amount: int) -> CardResult: ...
    def refund(self, rrn: str, amount: int, reference: str) -> CardResult: ...
    def last_transaction(self) -> CardResult: ...


CashListener = Callable[[int], None]


class CashAcceptor(Device, Protocol):
    """A note and coin acceptor with change dispenser (cash at the self-checkout)."""

    def accept(self, amount_due: int, on_inserted: CashListener) -> None:
        """Take notes and coins towards ``amount_due``; each accepted one is reported
        with its value through ``on_inserted``, possibly on a driver thread."""
        ...

    def stop(self) -> None:
        """Take no more money (paid in full, or the customer cancelled)."""
        ...

    def dispense(self, amount: int) -> int:
        """Pay out ``amount`` in change; returns what was actually paid out."""
        ...


@runtime_checkable
class HandFedCashAcceptor(CashAcceptor, Protocol):
    """A cash acceptor a script or a demo feeds by hand: the simulated twin."""

    def insert(self, amount: int) -> bool:
        """Put one note or coin in; False when it is refused (not taking money, or not
        a denomination it knows)."""
        ...

    def note_for(self, amount_due: int) -> int:
        """The note or coin a customer would put in next towards ``amount_due``."""
        ...


@dataclass(frozen=True)
class Weighing:
    grams: int
    stable: bool


class Scale(Device, Protocol):
    """A weighing scale (sell by weight); declared for the scale driver to implement."""

    def weigh(self) -> Weighing: ...
    def tare(self) -> None: ...
    def zero(self) -> None: ...


@dataclass
class DeviceSet:
    """Every device this kiosk has, each by its port; ``None`` where the shop has none.

    A configured device that could not be built is still here (it reports why through
    ``status()``); ``None`` means the shop has no such device at all."""

    scanners: list[ScanSource] = field(default_factory=list)
    printer: Printer | None = None
    drawer: CashDrawer | None = None
    lights: Indicators | None = None
    display: CustomerDisplay | None = None
    card_terminal: PaymentTerminal | None = None
    cash_acceptor: CashAcceptor | None = None
    scale: Scale | None = None
    simulated: bool = False
    # Handles the drivers' tests and demos steer simulated devices with (pins, peers).
    twins: dict[str, object] = field(default_factory=dict)
    closers: list[Callable[[], None]] = field(default_factory=list)

    def all(self) -> list[Device]:
        singles = (self.printer, self.drawer, self.lights, self.display, self.card_terminal,
                   self.cash_acceptor, self.scale)  # fmt: skip
        return [*self.scanners, *(device for device in singles if device is not None)]

    def close(self) -> None:
        for device in self.all():
            with contextlib.suppress(Exception):  # closing one must not leave the rest open
                device.close()
        for close in self.closers:
            close()


class Clock(Protocol):
    def now(self) -> datetime:
        """Timezone-aware current time."""
        ...


class DeviceError(Exception):
    """A device failed. ``code`` (kiosk.domain.error_codes) is what a screen says, in its
    language, naming the device by ``kind``; ``message`` is the English for the logs."""

    def __init__(self, message: str, *, kind: str = "", name: str = "", code: str = "") -> None:
        super().__init__(message)
        self.message, self.kind, self.name = message, kind, name
        self.code = code or "device.failed"


@runtime_checkable
class Ledger(Protocol):
    """The durable store of sales (see kiosk.storage.ledger)."""

    def commit_sale(self, sale: CompletedSale) -> CompletedSale:
        """Write the sale and everything that goes with it in one transaction; return it
        with its receipt number. Nothing is written if it raises."""
        ...


class StoreLedger(Ledger, Protocol):
    """What the checkout needs beyond sales: journaled events and suspended baskets."""

    def record_event(
        self, kind: str, ref: str, payload: dict[str, Any], created_at: str, publish: bool = True
    ) -> None: ...

    def suspend_basket(
        self, basket_id: str, payload: dict[str, Any], label: str, created_at: str
    ) -> None: ...

    def resume_basket(self, basket_id: str) -> dict[str, Any]:
        """Remove the suspended basket and return its payload; KeyError if unknown."""
        ...

    def list_suspended(self) -> list[dict[str, str]]:
        """Parked baskets, oldest first: ``basket_id``, ``created_at``, ``label``."""
        ...

    def raise_alert(
        self,
        kind: str,
        message: str,
        created_at: str,
        *,
        severity: str = "warning",
        detail: dict[str, Any] | None = None,
        cleared: bool = False,
    ) -> str:
        """Queue an alert for the fleet (help requested, paper out, ...); returns its id."""
        ...


class SystemClock:
    """The real clock; tests and replay pass their own ``Clock``."""

    def now(self) -> datetime:
        return datetime.now().astimezone()
