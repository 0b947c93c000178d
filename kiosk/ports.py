"""Ports: the interfaces services talk to. Drivers, storage and telemetry implement them.

Nothing here imports a library with I/O. Every device reports a ``DeviceStatus`` in the
UnifiedPOS spirit (offline, idle, busy, error with a reason) and raises ``DeviceEvent``s
through the listener it is given; the kiosk shows them and reports them to the fleet.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

from kiosk.domain.catalog import Product
from kiosk.domain.loyalty import Member
from kiosk.domain.receipt import ReceiptDocument
from kiosk.domain.sale import CompletedSale


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
    message: str = ""


class PaymentTerminal(Device, Protocol):
    def sale(self, amount: int, reference: str) -> CardResult: ...
    def void(self, rrn: str, amount: int) -> CardResult: ...
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


# -- the unit of work: every change of a till's state outside a sale ----------------------


@dataclass(frozen=True)
class CatalogVersion:
    """The catalog as it was before a change, kept so the change can be undone."""

    version_id: int
    created_at: str
    reason: str  # the change it preceded: "import", "snapshot", "delta", "prices", ...
    by: str  # who made that change: "cli", "fleet:<command id>", a staff name
    products: int


class CatalogRepository(Protocol):
    def get(self, sku: str) -> Product | None: ...
    def upsert(self, products: list[Product]) -> int: ...
    def replace_all(self, products: list[Product]) -> int: ...
    def deactivate(self, skus: list[str]) -> int: ...
    def set_prices(self, prices: Mapping[str, int]) -> int: ...
    def put_promotion(self, promo_id: str, body: Mapping[str, Any]) -> None: ...
    def replace_promotions(self, bodies: Mapping[str, Mapping[str, Any]]) -> int: ...
    def set_promotion_active(self, promo_id: str, active: bool) -> None: ...
    def save_version(self, reason: str, by: str, at: str) -> int:
        """Keep the catalog as it is now; returns the version id."""
        ...

    def restore_latest_version(self, at: str) -> CatalogVersion | None:
        """Put the newest kept version back as the catalog and drop it; None if none."""
        ...

    def skus_on_sale(self) -> set[str]: ...


class StockRepository(Protocol):
    def adjust(
        self, changes: list[tuple[str, int]], reason: str, ref: str, at: str
    ) -> dict[str, int]:
        """Apply the moves and queue the stock change for the fleet; the new levels."""
        ...

    def snapshot(self, at: str) -> int: ...

    def receive(
        self, sku: str, qty: int, unit_cost: int, *, supplier: str, by: str, at: str
    ) -> tuple[int, int]:
        """Book a delivery line (its stock move, the fleet's stock change, the moving
        average cost); returns the new level and the new unit cost."""
        ...

    def levels(self) -> dict[str, int]: ...
    def costs(self) -> dict[str, int]: ...
    def units_sold_since(self, business_date: str) -> dict[str, int]: ...


class MemberRepository(Protocol):
    def upsert_many(self, members: list[Member]) -> int: ...


class UnitOfWork(Protocol):
    """One all-or-nothing change of the till's state. Inside ``with uow.transaction():``
    every repository call, journal record and alert commits together or not at all (a
    transaction already open on the same store, a fleet command's, is joined)."""

    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def stock(self) -> StockRepository: ...
    @property
    def members(self) -> MemberRepository: ...
    def transaction(self) -> AbstractContextManager[object]: ...
    def journal(self, kind: str, ref: str, payload: dict[str, Any], at: str) -> None:
        """A hash-chained journal record of a privileged change (``payload["by"]`` says
        who)."""
        ...

    def raise_alert(
        self, kind: str, message: str, at: str, *, severity: str = "warning",
        detail: dict[str, Any] | None = None,
    ) -> str: ...  # fmt: skip


class BooksRepository(Protocol):
    """Shifts, the day's close and refunds of this till (kiosk.storage.books)."""

    @property
    def device_id(self) -> str: ...
    def open_shift(self) -> dict[str, Any] | None: ...
    def get_shift(self, shift_id: str | None) -> dict[str, Any] | None: ...
    def insert_shift(self, shift_id: str, cashier: str, at: str, float_amount: int) -> None: ...
    def close_shift(self, shift_id: str, at: str, counted: int) -> None: ...
    def add_cash_move(
        self, shift_id: str, direction: str, amount: int, reason: str, at: str
    ) -> None: ...
    def shift_cash(self, shift: dict[str, Any]) -> dict[str, int]: ...
    def last_close(self) -> dict[str, Any] | None: ...
    def open_day(self, calendar_day: str) -> str: ...
    def insert_close(self, day: str, at: str, by: str) -> int: ...
    def sale_by_receipt(self, receipt_no: int) -> CompletedSale | None: ...
    def refunds_of_sale(self, sale_id: str) -> list[dict[str, Any]]: ...
    def insert_refund(self, body: dict[str, Any]) -> None: ...
    def restock(self, sku: str, delta: int, ref: str, at: str) -> None: ...
    def insert_no_sale(
        self, day: str, shift_id: str | None, reason: str, by: str, at: str
    ) -> None: ...
    def publish_event(self, kind: str, ref: str, payload: dict[str, Any], at: str) -> None:
        """Journal ``payload`` and queue it for the fleet in the caller's transaction."""
        ...


class BooksUnitOfWork(UnitOfWork, Protocol):
    @property
    def books(self) -> BooksRepository: ...
