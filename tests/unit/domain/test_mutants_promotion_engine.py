"""Buy-x-get-y arithmetic with several groups, several units per reward, a percent below
100 and rewards spread over lines (written for mutants of kiosk.domain.promotion_engine
that survived `make mutation`). Each figure is worked out in the comment beside it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, timezone

import pytest

from kiosk.domain.promotion_engine import PromoLine, apply_promotions
from kiosk.domain.promotions import BuyXGetY

AT = datetime(2026, 3, 4, 12, 0, tzinfo=timezone(timedelta(hours=7)))


def line(sku: str, price: int, qty: int = 1) -> PromoLine:
    return PromoLine(sku, "", qty, price * qty)


def offer(buy: set[str], buy_qty: int, get: Iterable[str] = (), get_qty: int = 1,
          percent: str = "100") -> BuyXGetY:  # fmt: skip
    return BuyXGetY(promo_id="P", name="P", buy_skus=frozenset(buy), buy_qty=buy_qty,
                    get_skus=frozenset(get), get_qty=get_qty, percent=percent)  # fmt: skip


@pytest.mark.parametrize(
    ("lines", "promo", "per_line"),
    [
        # buy 2 get 2 at half price, 8 units of 6,000: two groups, 2 x 2 x 3,000 off
        ([line("A", 6000, 8)], offer({"A"}, 2, get_qty=2, percent="50"), (12000,)),
        # buy 1 get 2 at half price over 6,000 + 3,000 + 2,000: the two cheapest, 1,500 + 1,000
        ([line("A", 6000), line("B", 3000), line("C", 2000)],
         offer({"A", "B", "C"}, 1, get_qty=2, percent="50"), (0, 1500, 1000)),
        # buy 2 get 1 free over 6,000 x2 and 3,000 x4: groups (6,6,3) and (3,3,3): 3,000 twice,
        # both rewards from line B, which must count both as used
        ([line("A", 6000, 2), line("B", 3000, 4)], offer({"A", "B"}, 2), (0, 6000)),
        # buy 1 shampoo get 1 conditioner at half price, two shampoos: both conditioners
        ([line("S", 20000, 2), line("C", 10000), line("D", 8000)],
         offer({"S"}, 1, {"C", "D"}, 1, "50"), (0, 5000, 4000)),
    ],
)  # fmt: skip
def test_buy_get_rewards(
    lines: list[PromoLine], promo: BuyXGetY, per_line: tuple[int, ...]
) -> None:
    result = apply_promotions(lines, [promo], AT)
    assert result.per_line == per_line
    assert result.total == sum(per_line)
