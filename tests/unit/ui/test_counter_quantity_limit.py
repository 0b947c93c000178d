"""The counter refuses a quantity above limits.max_qty where it is typed, in the
cashier's language, and the keypad does not keep it (real services, no Kivy)."""

from __future__ import annotations

import pytest

from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.ui.presenters.counter import CounterPresenter
from tests.unit.pieces import Effects
from tests.unit.services.test_quantity_limit import basket, limited


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("id", "Batas jumlah: 50 per barang"),
        ("en", "Quantity limit: 50 per item"),
    ],
)
def test_the_counter_refuses_99_at_entry_and_clears_the_keypad(
    checkout: CheckoutService, staff: StaffService, lang: str, said: str
) -> None:
    p = CounterPresenter(limited(checkout), staff, Effects(), lang=lang)
    for key in "1111":
        p.pin_key(key)
    p.pin_key("enter")
    p.quick_key("TEH")
    shown: list[str] = []  # the keypad as the screen draws it after each change
    p.listeners.append(lambda: shown.append(p.entry.text))
    p.key("9")
    p.key("9")
    p.set_qty()
    assert (p.message.text, p.message.level) == (said, "error")
    assert shown[-1] == "" and basket(checkout) == [("TEH", 1)]  # the screen drops "99"
    p.key("9")
    p.key("9")
    p.quick_key("MIE")  # 99 typed before an item's key: refused the same way
    assert p.message.text == said and p.entry.text == ""
    assert basket(checkout) == [("TEH", 1)]
