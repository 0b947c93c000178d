"""Plain helpers of the presenter and self-checkout tests: the products, the devices'
side as a presenter sees it, an approved card. Their fixtures are in tests/unit/conftest.py."""

from __future__ import annotations

from kiosk.domain.catalog import Product
from kiosk.domain.sale import CompletedSale
from kiosk.ports import CardResult
from kiosk.storage.ledger import SqliteLedger

PRODUCTS = [
    Product("TEH", "Teh Botol 330ml", 5000, barcodes=("8991001000015",), category="Minuman"),
    Product("MIE", "Indomie Goreng", 3500, barcodes=("8991001000022",), category="Mi Instan"),
    Product("BIR", "Bintang 330ml", 23500, barcodes=("8991001000039",), category="Bir",
            age_restricted=21),
    Product("OLD", "Old stock", 1000, barcodes=("8991001000046",), active=False),
    Product("ROTI", "Roti Tawar", 16000, category="Roti"),
]  # fmt: skip


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
        self.reprints = 0
        self.drawer: list[str] = []
        self.printer_problem = ""
        self.cash_taking: list[int] = []  # amount due each time cash was started
        self.cash_stopped = 0
        self.change_given: list[int] = []
        self.cash_problem = ""

    def start_card(self, amount: int, reference: str) -> None:
        self.card_requests.append((amount, reference))

    def start_cash(self, amount_due: int) -> str:
        if self.cash_problem:
            return self.cash_problem
        self.cash_taking.append(amount_due)
        return ""

    def stop_cash(self) -> None:
        self.cash_stopped += 1

    def give_change(self, amount: int) -> str:
        if self.cash_problem:
            return self.cash_problem
        self.change_given.append(amount)
        return ""

    def print_receipt(self, sale: CompletedSale, *, reprint: bool = False) -> str:
        if self.printer_problem:
            return self.printer_problem
        self.printed.append(sale)
        self.reprints += reprint
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


def journal(ledger: SqliteLedger, kind: str) -> list[str]:
    rows = ledger.conn.execute("SELECT payload FROM journal WHERE kind = ? ORDER BY seq", (kind,))
    return [r[0] for r in rows.fetchall()]
