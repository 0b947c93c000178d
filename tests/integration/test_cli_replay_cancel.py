"""`kiosk replay`'s ``cancel_sale`` step, as the counter's Cancel sale: the logged-in
staff cancel the open sale with a reason, alone up to ``limits.max_cancel_amount``; above
it only with a supervisor's PIN in the step (none, or a cashier's, stops with exit 3 and
cancels nothing). Real SQLite ledger, through the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from kiosk.testing.cli import kiosk, replay, staffed_till

if TYPE_CHECKING:
    from tests.integration.conftest import Built

CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"
ANI = {"login": {"pin": "1111"}}


def cancel_limit_till(directory: Path) -> Path:
    data = staffed_till(directory, CATALOG)
    assert kiosk(data, "settings", "set", "limits.max_cancel_amount", "7000").returncode == 0
    return data


@pytest.fixture
def data(built: Built, tmp_path: Path) -> Path:
    return built.copy(cancel_limit_till, tmp_path)


def cancelled(data: Path) -> list[dict[str, object]]:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        rows = conn.execute(
            "SELECT payload FROM journal WHERE kind = 'sale_cancelled' ORDER BY seq"
        )
        return [json.loads(row[0]) for row in rows]


def sold(data: Path) -> int:
    with sqlite3.connect(data / "ledger.sqlite") as conn:
        return int(conn.execute("SELECT count(*) FROM sales").fetchone()[0])


def test_a_cashier_cancels_a_sale_within_the_limit_alone(data: Path) -> None:
    done = replay(data, [ANI, {"sku": "TEH"}, {"cancel_sale": {"reason": "customer left"}},
                         {"sku": "TEH"}, {"pay": {"method": "cash", "amount": 5000}}])  # fmt: skip
    assert done.returncode == 0, done.stderr
    (record,) = cancelled(data)
    shown = {key: record.get(key) for key in ("reason", "total", "staff_name", "supervisor_name")}
    assert shown == {"reason": "customer left", "total": 5000, "staff_name": "Ani",
                     "supervisor_name": None}  # fmt: skip
    assert sold(data) == 1  # the till sells on after the cancel: only the second sale
    assert len(done.stdout.splitlines()) == 1


def test_above_the_limit_a_supervisors_pin_approves(data: Path) -> None:
    over = [ANI, {"sku": "TEH", "qty": 2}]  # Rp10.000 > Rp7.000
    alone = replay(data, [*over, {"cancel_sale": {"reason": "customer left"}}])
    assert alone.returncode == 3, alone.stderr
    cashier = replay(data, [*over, {"cancel_sale": {"reason": "customer left",
                                                    "approval": {"pin": "1111"}}}])  # fmt: skip
    assert cashier.returncode == 3, cashier.stderr
    assert cancelled(data) == []
    done = replay(data, [*over, {"cancel_sale": {"reason": "customer left",
                                                 "approval": {"pin": "2222"}}}])  # fmt: skip
    assert done.returncode == 0, done.stderr
    (record,) = cancelled(data)
    assert (record["total"], record["staff_name"], record["supervisor_name"]) == (
        10000,
        "Ani",
        "Budi",
    )
    assert sold(data) == 0
    assert kiosk(data, "journal", "verify").returncode == 0


@pytest.mark.parametrize(
    ("steps", "code", "said"),
    [
        ([{"sku": "TEH"}, {"cancel_sale": {"reason": "x"}}], 3, "login"),  # no one signed in
        ([ANI, {"sku": "TEH"}, {"cancel_sale": {"reason": " "}}], 2, "reason"),
        ([ANI, {"cancel_sale": {"reason": "x"}}], 2, ""),  # nothing to cancel
        ([ANI, {"sku": "TEH"}, {"cancel_sale": "x"}], 2, "cancel_sale needs"),
        (
            [
                ANI,
                {"sku": "TEH"},
                {"pay": {"method": "cash", "amount": 1000}},
                {"cancel_sale": {"reason": "x"}},
            ],
            2,
            "",
        ),  # a tender is taken
    ],
)
def test_a_cancel_that_cannot_be_done_stops_the_script_and_cancels_nothing(
    data: Path, steps: list[dict[str, object]], code: int, said: str
) -> None:
    done = replay(data, steps)
    assert done.returncode == code, done.stderr
    assert said in done.stderr
    assert cancelled(data) == []
