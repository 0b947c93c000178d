"""The counter's books through the presenter over real services and SQLite (no Kivy):
the drawer opened without a sale is counted in the day's Z."""

from __future__ import annotations

from kiosk.services.books import books_services
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.storage import books as stored
from kiosk.storage.ledger import SqliteLedger
from kiosk.storage.unit_of_work import SqliteUnitOfWork
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects


def login(p: CounterPresenter, pin: str) -> None:
    for key in pin:
        p.pin_key(key)
    p.pin_key("enter")


def test_a_no_sale_at_the_counter_is_counted_in_the_z(
    checkout: CheckoutService, staff: StaffService, effects: Effects, ledger: SqliteLedger
) -> None:
    books = books_services(SqliteUnitOfWork(ledger), checkout.clock, "Asia/Jakarta")
    p = CounterPresenter(checkout, staff, effects, lang="id", books=books)
    login(p, "1111")
    p.no_sale("Change for the float")  # a cashier may not
    assert p.message.level == "error" and not effects.drawer
    p.logout()
    login(p, "2222")
    p.no_sale("Change for the float")
    assert effects.drawer == ["no-sale: Change for the float"]
    (row,) = ledger.conn.execute("SELECT business_date, reason, opened_by FROM no_sales")
    day, reason, by = row
    assert (reason, by) == ("Change for the float", "Budi")
    assert stored.z_report(ledger.conn, day, ledger.device_id)["no_sales"] == 1
