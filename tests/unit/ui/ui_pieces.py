"""Real pieces for presenter tests: a SQLite ledger in tmp_path, the demo catalog, the
real checkout, staff and self-checkout services. No Kivy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.catalog import Catalog, Product
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CardResult
from kiosk.services.checkout import CheckoutConfig, CheckoutService
from kiosk.services.demo_data import demo_members
from kiosk.services.members import MemberService
from kiosk.services.self_checkout import Limits, SelfCheckoutService
from kiosk.services.staff import StaffService, ensure_demo_staff
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.members_store import MembersStore
from kiosk.storage.staff_store import StaffStore

PRODUCTS = [
    Product("TEH", "Teh Botol 330ml", 5000, barcodes=("8991001000015",), category="Minuman"),
    Product("MIE", "Indomie Goreng", 3500, barcodes=("8991001000022",), category="Mi Instan"),
    Product("BIR", "Bintang 330ml", 23500, barcodes=("8991001000039",), category="Bir",
            age_restricted=21),
    Product("OLD", "Old stock", 1000, barcodes=("8991001000046",), active=False),
    Product("ROTI", "Roti Tawar", 16000, category="Roti"),
]  # fmt: skip


class FixedClock:
    def __init__(self) -> None:
        self.at = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)

    def now(self) -> datetime:
        return self.at


class Lights:
    def __init__(self) -> None:
        self.states: list[str] = []

    def show(self, state: str) -> None:
        self.states.append(state)


class Effects:
    """The devices side as a presenter sees it; records what reached the 'hardware'."""

    def __init__(self) -> None:
        self.cash_available = False
        self.card_requests: list[tuple[int, str]] = []
        self.printed: list[CompletedSale] = []
        self.drawer: list[str] = []
        self.printer_problem = ""

    def start_card(self, amount: int, reference: str) -> None:
        self.card_requests.append((amount, reference))

    def print_receipt(self, sale: CompletedSale) -> str:
        if self.printer_problem:
            return self.printer_problem
        self.printed.append(sale)
        return ""

    def open_drawer(self, reason: str) -> str:
        self.drawer.append(reason)
        return ""


def approved(amount: int) -> CardResult:
    return CardResult("approved", amount, "00", "A1B2C3", "123456789012", "421234******1234",
                      "T1")  # fmt: skip


def ean(code: str) -> str:
    """A valid EAN-13 from the first 12 digits of ``code`` (check digit computed)."""
    from kiosk.domain.gtin import check_digit

    return code[:12] + check_digit(code[:12])


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    led = SqliteLedger(tmp_path / "ledger.sqlite", "kiosk-1")
    yield led
    led.close()


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(
        [
            Product(p.sku, p.name, p.price, barcodes=tuple(ean(b) for b in p.barcodes),
                    category=p.category, age_restricted=p.age_restricted, active=p.active)
            for p in PRODUCTS
        ]
    )  # fmt: skip


@pytest.fixture
def checkout(ledger: SqliteLedger, catalog: Catalog) -> CheckoutService:
    return CheckoutService(catalog=catalog, ledger=ledger, clock=FixedClock(),
                           config=CheckoutConfig("store-1", "kiosk-1", mode="self-checkout"))  # fmt: skip


@pytest.fixture
def staff(ledger: SqliteLedger) -> StaffService:
    svc = StaffService(StaffStore(ledger.conn), monotonic=lambda: 0.0)
    ensure_demo_staff(svc)
    return svc


@pytest.fixture
def lights() -> Lights:
    return Lights()


@pytest.fixture
def lane(checkout: CheckoutService, staff: StaffService, lights: Lights) -> SelfCheckoutService:
    return SelfCheckoutService(checkout, staff, limits=Limits(10, 100_000), lights=lights)


@pytest.fixture
def members(ledger: SqliteLedger) -> MemberService:
    store = MembersStore(ledger.conn)
    store.upsert_many(demo_members())
    return MemberService(store)


@pytest.fixture
def effects() -> Effects:
    return Effects()


def journal(ledger: SqliteLedger, kind: str) -> list[str]:
    rows = ledger.conn.execute("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,))
    return [r[0] for r in rows.fetchall()]
