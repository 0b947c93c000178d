"""Indonesian on a narrow portrait screen (480x800), through the real UI under Xvfb:
every screen of both faces a person reaches says its full wording. After each step the
text audit (KIOSK_AUDIT, kiosk/ui/touch.py) fails on a label shortened with an ellipsis,
lines dropped past its ``max_lines``, a word broken in two, or text running past the
window's edge, besides text below the 14 px floor or cut off (a product's name on a tile
alone may end in an ellipsis after two lines)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import PISANG, ROKOK, TEH_330, TEH_600, demo_dir, play, sales

__all__ = ["demo_dir"]
pytestmark = pytest.mark.ui

SELF_CHECKOUT = [
    {"see": "Selamat datang"},  # the welcome screen, in both languages
    {"press": "price_check"},
    {"scan": TEH_600},
    {"press": "price_done"},
    {"press": "start_id"},
    {"scan": TEH_330},
    {"scan": ROKOK},  # the age check stops the lane
    {"attend": {"badge": "STAFF-0002", "pin": "2222"}},  # the attendant's view
    {"press": "approve"},
    {"press": "lock"},
    {"press": "search"},
    {"press": "category_0"},
    {"press": "search_back"},
    {"scan": PISANG},  # the scale's panel
    {"weigh": 1250},
    {"press": "pay"},  # member, then payment, then receipt
    {"press": "member_skip"},
    {"press": "pay_card"},
    {"press": "receipt_none"},
]
ANI = [{"press": f"pin_{key}"} for key in "1111"] + [{"press": "pin_enter"}]
COUNTER = [
    {"press": "logout"},
    {"see": "PIN"},  # the sign-in screen
    *ANI,
    {"scan": TEH_330},
    {"scan": TEH_600},
    {"press": "tab_quick"},
    {"press": "tab_keypad"},
    {"press": "open_search"},
    {"press": "search_back"},
    {"press": "price_check"},
    {"scan": PISANG},
    {"press": "key_1"},
    {"press": "key_0"},
    {"press": "disc_order"},  # a cashier's discount: the supervisor's PIN pad
    {"see": "PIN"},
    {"press": "sup_cancel"},
    {"press": "cancel_sale"},  # the reasons
    {"press": "choice_cancel"},
    {"press": "suspend"},
    {"press": "resume"},  # the parked sales
    {"press": "choice_cancel"},
    {"scan": TEH_330},
    {"press": "pay"},  # the tender screen
    {"press": "tender_back"},
    {"press": "books"},  # the books desk
    {"press": "desk_close"},
    {"press": "reports"},
    {"press": "sup_cancel"},
]


@pytest.mark.parametrize("mode", ["self-checkout", "counter"])
def test_every_indonesian_label_is_whole_at_480x800(
    tmp_path: Path, demo_dir: Path, mode: str
) -> None:
    steps = SELF_CHECKOUT if mode == "self-checkout" else COUNTER
    play(tmp_path, demo_dir, mode, steps, size="480x800")
    assert len(sales(tmp_path)) == (1 if mode == "self-checkout" else 0)
