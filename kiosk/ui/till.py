"""What the app uses of the kiosk that bootstrap built (``kiosk.bootstrap.Kiosk``).

The UI may not import bootstrap (it wires storage and drivers); this Protocol names the
part it relies on, so the app's use of the kiosk, its devices included, is type-checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from kiosk.domain.receipt import ReceiptDocument
from kiosk.domain.sale import CompletedSale
from kiosk.ports import Clock, DeviceSet, StoreLedger
from kiosk.services.books import Books
from kiosk.services.checkout import CheckoutService
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.online_orders import OnlineOrderDesk
from kiosk.services.qris_payment import QrisPaymentService
from kiosk.services.qris_till import Recovered
from kiosk.services.reporting import ReportSource
from kiosk.services.shop_desk import ShopDesk
from kiosk.services.staff import StaffService


class SettingsReader(Protocol):
    def get(self, key: str) -> Any: ...


class TillLedger(StoreLedger, ReportSource, Protocol):
    """The ledger as the till sees it: sales and events in, the day's figures out."""


class Till(Protocol):
    @property
    def settings(self) -> SettingsReader: ...
    @property
    def ledger(self) -> TillLedger: ...
    @property
    def checkout(self) -> CheckoutService: ...
    @property
    def clock(self) -> Clock: ...
    @property
    def hardware(self) -> str: ...
    @property
    def devices(self) -> DeviceSet | None: ...
    @property
    def staff(self) -> StaffService: ...
    @property
    def members(self) -> MemberService: ...
    @property
    def loyalty(self) -> LoyaltyService: ...
    @property
    def books(self) -> Books: ...
    @property
    def desk(self) -> ShopDesk: ...
    @property
    def online_orders(self) -> OnlineOrderDesk: ...

    def qris_service(self, *, own_connection: bool = False) -> QrisPaymentService:
        """QRIS payments over the till's ledger (a fresh connection for a worker thread)."""
        ...

    def recover_payments(self) -> list[Recovered]:
        """Finish or void the QRIS payments the last run left open (after the basket
        was restored)."""
        ...

    def report_bytes(self, kind: str, figures: dict[str, Any]) -> bytes:
        """The printer bytes of an X, Z or shift report."""
        ...

    def receipt(self, sale: CompletedSale, *, reprint: bool = False) -> ReceiptDocument: ...

    def reload_catalog(self) -> None: ...

    def restore_open_basket(self) -> bool:
        """Carry on with the basket the last run left open; True when there was one."""
        ...

    def on_idle(self) -> None:
        """Nobody at the till: a WAL checkpoint off the sale path."""
        ...

    def sync_open_basket(self, quiet_s: float = 1.0) -> bool:
        """Called often: the open basket to the disk once the scans pause."""
        ...

    def till_warnings(self) -> list[str]:
        """``clock_not_synchronised``, ``disk_low``: conditions the screen should show."""
        ...

    def start_telemetry(
        self,
        *,
        on_change: Callable[[str], None] | None = None,
        on_lock: Callable[[bool], None] | None = None,
        lane_locked: Callable[[], bool] | None = None,
    ) -> Any: ...
