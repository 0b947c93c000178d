"""The one place that wires storage, drivers (real or simulated) and services together.

Everything else receives what it needs from here; only this module imports ``drivers``.
Opening is cheap and lazy where it can be: CLI commands open just the settings and the
ledger, the app also builds devices and telemetry.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.domain.catalog import Catalog
from kiosk.domain.receipt import ReceiptDocument
from kiosk.domain.sale import CompletedSale
from kiosk.payments.gateway import GatewayError
from kiosk.ports import (
    Clock,
    DeviceListener,
    DeviceSet,
    DeviceStatus,
    SystemClock,
)
from kiosk.services.admin import AdminServices
from kiosk.services.books import Books, books_services
from kiosk.services.checkout import CheckoutService
from kiosk.services.clock_guard import GuardedClock
from kiosk.services.loyalty import LoyaltyService
from kiosk.services.members import MemberService
from kiosk.services.online_orders import OnlineOrderDesk
from kiosk.services.open_basket import restorable
from kiosk.services.shop_desk import ShopDesk
from kiosk.services.staff import StaffService, ensure_demo_staff
from kiosk.storage.disk_space import MB, measure
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.open_basket import FILE_NAME as OPEN_BASKET_FILE
from kiosk.storage.open_basket import SqliteOpenBaskets
from kiosk.storage.private_files import key_path, load_or_create_key
from kiosk.storage.settings import Settings
from kiosk.storage.staff_store import StaffStore
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.till_config import (
    books_document,
    checkout_config,
    hardware_choice,
    load_catalog,
    receipt_for,
    shop_limits,
)
from kiosk.till_devices import (
    build_devices,
    card_payment,
    device_report,
    key_decoder,
    receipt_bytes,
    report_bytes,
    simulated_card_outcome,
)
from kiosk.till_qris import QrisWiring
from kiosk.till_services import admin, loyalty, report_unusable_settings, staff_admin

# Moved to kiosk/till_config.py, till_devices.py and till_services.py; importable from
# here, as before.
__all__ = [
    "Kiosk",
    "admin",
    "build",
    "build_devices",
    "card_payment",
    "checkout_config",
    "device_report",
    "hardware_choice",
    "key_decoder",
    "load_catalog",
    "loyalty",
    "receipt_bytes",
    "receipt_for",
    "report_bytes",
    "report_unusable_settings",
    "shop_limits",
    "simulated_card_outcome",
    "staff_admin",
]  # fmt: skip

SETTINGS_FILE = "settings.json"
LEDGER_FILE = "ledger.sqlite"


def open_settings(data_dir: Path) -> Settings:
    """The settings file; a stored value its feature cannot use reads as its default
    (``Settings.problems`` says which and why)."""
    return Settings(data_dir / SETTINGS_FILE, checks={"hardware.devices": _check_devices})


def _check_devices(devices: Any) -> None:
    """``hardware.devices`` as the printer and scanner drivers read it."""
    from drivers.receipt_render import RenderOptions
    from drivers.scan_decoder import DecoderConfig

    if not isinstance(devices, dict):
        raise ValueError("expected a JSON object of device settings")
    for kind, parse in (("printer", RenderOptions.from_settings),
                        ("scanner", DecoderConfig.from_settings)):  # fmt: skip
        options = devices.get(kind, {})
        if not isinstance(options, dict):
            raise ValueError(f"{kind}: expected a JSON object")
        try:
            parse(options)
        except (TypeError, ValueError) as err:
            raise ValueError(f"{kind}: {err}") from None


def ledger_path(data_dir: Path) -> Path:
    return data_dir / LEDGER_FILE


def open_ledger(data_dir: Path, settings: Settings) -> SqliteLedger:
    return SqliteLedger(
        ledger_path(data_dir),
        settings.get("device_id"),
        store_id=settings.get("store_id"),
        low_stock_threshold=settings.get("stock.low_threshold"),
    )


@dataclass
class Kiosk(QrisWiring):
    """Everything one device runs on, built by ``build``."""

    data_dir: Path
    settings: Settings
    ledger: SqliteLedger
    catalog: Catalog
    checkout: CheckoutService
    clock: Clock
    hardware: str
    devices: DeviceSet | None = None
    telemetry: Any = None
    closers: list[Callable[[], None]] = field(default_factory=list)
    _staff: StaffService | None = None

    def receipt(self, sale: CompletedSale, *, reprint: bool = False) -> ReceiptDocument:
        return receipt_for(sale, self.settings, reprint=reprint)

    def restore_open_basket(self) -> bool:
        """Carry on with the basket the last run left open (it was stopped, crashed or
        lost power); True when there was one. The till calls it at start; replay not."""
        keeper = self.checkout.keeper
        basket = None if keeper is None else restorable(keeper, self.ledger)
        if basket is None:
            return False
        self.checkout.reopen(basket)
        return True

    @property
    def staff(self) -> StaffService:
        """Staff and their PINs (same SQLite file; the PIN key beside it, see
        private_files); demo staff on simulated hardware."""
        if self._staff is None:
            key = load_or_create_key(key_path(self.data_dir))
            self._staff = StaffService(StaffStore(self.ledger.conn), key=key, now=time.time)
            if self.hardware == "simulated":
                ensure_demo_staff(self._staff)
        return self._staff

    @property
    def admin(self) -> AdminServices:
        """Catalog, stock, settings and member changes (journaled with who made them)."""
        return admin(self.ledger, self.settings, self.clock)

    @property
    def members(self) -> MemberService:
        return MemberService(MembersStore(self.ledger.conn))

    def report_bytes(self, kind: str, figures: dict[str, Any]) -> bytes:
        """The printer bytes of an X, Z ("X", "Z") or shift ("shift") report or a refund
        slip ("refund")."""
        document = books_document(figures, kind, self.settings, self.clock.now())
        return report_bytes(document, self.settings)

    @property
    def books(self) -> Books:
        """Shifts, no-sales, the Z close and refunds (points given back with loyalty; card
        and QRIS shares back through the till's terminal, built when first needed, and
        its acquirer)."""
        books = books_services(SqliteUnitOfWork(self.ledger), self.clock,
                               str(self.settings.get("timezone")), self.loyalty)  # fmt: skip
        books.refunds.terminal = lambda: self.ensure_devices().card_terminal
        books.refunds.recheck_s = int(self.settings.get("payments.qris.refund_recheck_seconds"))
        try:
            books.refunds.gateway = self.qris_service().gateway
        except (GatewayError, KeyError):  # no usable acquirer: QRIS shares need the cash yes
            books.refunds.gateway = None
        return books

    @property
    def desk(self) -> ShopDesk:
        """Reprints from the ledger and stock levels, for the counter."""
        return ShopDesk(self.ledger, self.clock, SqliteUnitOfWork(self.ledger).stock)

    @property
    def online_orders(self) -> OnlineOrderDesk:
        """The till's online orders queue over its ledger (the counter's orders screen)."""
        config = self.checkout.config
        return OnlineOrderDesk(self.ledger.conn, self.clock, store_id=config.store_id,
                               device_id=config.device_id)  # fmt: skip

    @property
    def loyalty(self) -> LoyaltyService:
        """Earning and redeeming points with the sale (the UI and replay complete through it)."""
        return loyalty(self.ledger, self.settings, self.clock)

    def on_idle(self) -> None:
        """The UI calls this when nobody is at the till: a WAL checkpoint off the sale path."""
        self.ledger.checkpoint_soon()

    def sync_open_basket(self, quiet_s: float = 1.0) -> bool:
        """The UI calls this twice a second: once the scans pause for ``quiet_s``, the open
        basket goes to the disk (one fsync off the scan path; storage/open_basket.py)."""
        keeper = self.checkout.keeper
        return isinstance(keeper, SqliteOpenBaskets) and keeper.sync_if_quiet(quiet_s)

    def till_warnings(self) -> list[str]:
        """Conditions the screen should show: ``clock_not_synchronised`` (the system clock
        is behind the last time the till knew) and ``disk_low`` (below ``disk.min_free_mb``);
        the UI turns them into text through its catalogs."""
        found = []
        if isinstance(self.clock, GuardedClock) and not self.clock.synchronised:
            found.append("clock_not_synchronised")
        if measure(self.data_dir, int(self.settings.get("disk.min_free_mb")) * MB).low:
            found.append("disk_low")
        return found

    def reload_catalog(self) -> None:
        """Re-read products and promotions after a fleet command changed them. Main
        thread only: the checkout is not shared across threads."""
        catalog, promotions = load_catalog(self.ledger)
        self.catalog = self.checkout.catalog = catalog
        self.checkout.promotions = promotions

    def device_statuses(self) -> list[DeviceStatus]:
        """A snapshot of every device's status (for health reports; any thread)."""
        return [device.status() for device in self.devices.all()] if self.devices else []

    def start_telemetry(
        self,
        *,
        on_change: Callable[[str], None] | None = None,
        on_lock: Callable[[bool], None] | None = None,
        lane_locked: Callable[[], bool] | None = None,
        device_statuses: Callable[[], list[DeviceStatus]] | None = None,
    ) -> Any:
        """Start the MQTT drain thread (own connection). ``on_change(name)`` runs on that
        thread after a command changed the catalog, prices, promotions or settings: the
        app hands it to its main thread and calls ``reload_catalog`` there. ``on_lock``
        gets True for ``cmd/lock`` and False for ``cmd/unlock`` (also on that thread).
        When ``kiosk agent`` holds this device's link, no second link is opened: a
        follower calls the same callbacks for what the agent applied and hands the agent
        this till's device statuses (``device_statuses``: where the agent reads them)."""
        from kiosk import __version__
        from kiosk.telemetry.link import LinkFollower, LinkHeldError, claim
        from kiosk.telemetry.sync import start_telemetry
        from kiosk.till_commands import till_handlers

        if self.telemetry is None:
            try:
                link = claim(self.data_dir)  # one link per device (kiosk/telemetry/link.py)
            except LinkHeldError:  # `kiosk agent` holds it: follow what it applies
                self.telemetry = LinkFollower(self.data_dir, on_change, on_lock,
                                              self.device_statuses).start()  # fmt: skip
                self.closers.append(self.telemetry.stop)
                return self.telemetry
            self.closers.append(link.release)
            all_handlers = till_handlers(self.data_dir, self.checkout.config, on_lock=on_lock,
                                         update_window=self.settings.get("update.window"),
                                         apply_due_update=self.apply_due_update)  # fmt: skip
            self.telemetry = start_telemetry(
                ledger_path(self.data_dir), self.settings,
                device_statuses or self.device_statuses,
                version=__version__, handlers=all_handlers, lane_locked=lane_locked,
                on_change=on_change,
            )  # fmt: skip
            self.closers.append(self.telemetry.stop)
        return self.telemetry

    def apply_due_update(self) -> bool:
        """Fetch a scheduled fleet update; start applying a ready one when this kiosk's
        update window is open. Files only: any thread may call it."""
        from kiosk.appliance import fleet_update

        return fleet_update.run_due(
            self.data_dir, self.settings.get("update.window"),
            self.settings.get("update.apply_command"), ZoneInfo(self.checkout.config.timezone),
        )  # fmt: skip

    def ensure_devices(self, on_event: DeviceListener | None = None) -> DeviceSet:
        """Build the devices on first need (replay builds them only for a card step)."""
        if self.devices is None:
            self.devices = build_devices(self.settings, self.hardware, on_event)
            self.closers.append(self.devices.close)
        return self.devices

    def close(self) -> None:
        for close in reversed(self.closers):
            close()
        self.closers.clear()
        self.ledger.close()
        self.settings.close()


def build(
    data_dir: Path,
    *,
    hardware: str | None = None,
    mode: str | None = None,
    clock: Clock | None = None,
    with_devices: bool = True,
    on_device_event: DeviceListener | None = None,
    guard_clock: bool = True,
) -> Kiosk:
    """``guard_clock``: the till's clock never goes back past the last time it knew
    (``GuardedClock``); only demo data, which rings up past days on purpose, turns it off."""
    settings = open_settings(data_dir)
    ledger = open_ledger(data_dir, settings)
    catalog, promotions = load_catalog(ledger)
    clock = clock or SystemClock()
    if guard_clock:
        clock = GuardedClock(clock, ledger)
    open_baskets = SqliteOpenBaskets(data_dir / OPEN_BASKET_FILE)
    report_unusable_settings(settings, ledger, clock)
    checkout = CheckoutService(
        catalog=catalog,
        ledger=ledger,
        clock=clock,
        config=checkout_config(settings, mode),
        promotions=promotions,
        keeper=open_baskets,
    )
    kiosk = Kiosk(data_dir, settings, ledger, catalog, checkout, clock,
                  hardware_choice(settings, hardware))  # fmt: skip
    kiosk.closers.append(open_baskets.close)
    if with_devices:
        kiosk.ensure_devices(on_device_event)
    return kiosk
