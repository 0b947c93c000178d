"""The customer's price check through the real self-checkout UI (``kiosk run --script``
under Xvfb, each scan as a scanner event): from the basket and from the welcome screen,
a scanned or typed barcode shows the name and the price (per kg for the fruit) in the
customer's language, nothing goes in the basket, and Done returns to where they were.
Every step's screen passes the touch and text audit (KIOSK_AUDIT)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_330, TEH_600, demo_dir, play, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui
PISANG = "8991999000015"  # sold by weight: its plain barcode


def typed(code: str) -> list[dict[str, object]]:
    return [{"press": f"price_{digit}"} for digit in code] + [{"press": "price_enter"}]


@pytest.mark.parametrize(
    ("size", "lang", "title"),
    [("800x480", "id", "Cek harga"), ("480x800", "en", "Price check"),
     ("1280x800", "id", "Cek harga")],
)  # fmt: skip
def test_a_customer_checks_prices_without_adding_them(
    tmp_path: Path, demo_dir: Path, size: str, lang: str, title: str
) -> None:
    def money(amount: str) -> str:
        return "Rp" + (amount if lang == "id" else amount.replace(".", ","))

    steps = [
        {"press": "price_check"},  # on the welcome screen, before shopping
        {"scan": TEH_600},
        {"see": "Rp4.500"},  # the welcome screen speaks Indonesian (the shop's default)
        {"press": "price_done"},
        {"see": "Bahasa Indonesia"},  # back on the welcome screen
        {"press": f"start_{lang}"},
        {"scan": TEH_330},
        {"press": "price_check"},
        {"see": title},  # in the customer's language
        *typed(TEH_600),
        {"see": "Teh Botol Sosro 600ml"},
        {"see": money("4.500")},
        {"scan": PISANG},  # weighed: no scale asked, its price per kg
        {"see": money("28.000") + " per kg"},
        {"press": "price_done"},
        {"see": money("5.000")},  # the basket as it was
        {"pay": {"method": "card"}},
    ]
    _, shots = play(tmp_path, demo_dir, "self-checkout", steps, size=size)
    (sale,) = sales(tmp_path)
    assert [(line["sku"], line["qty"]) for line in sale["lines"]] == [("MIN-011", 1)]
    assert sale["total"] == 5000
    assert any(p.name.endswith("-scan.png") for p in shots.iterdir())
