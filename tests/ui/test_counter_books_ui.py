"""The counter's books desk through the real Kivy UI (under Xvfb, 800x480 and the other
sizes): a shift opened with the float counted on the denomination counter, a sale, a
refund by scanning the receipt's barcode, the blind count with its over/short, X and Z
printed; each screen saved for a look."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.ui.test_kiosk_ui import TEH_600, demo_dir, play, sales, to_docs

pytestmark = pytest.mark.ui
__all__ = ["demo_dir"]  # the module's fixture, used here too
DAY = [
    {"shift_open": {"float": 187_600}},
    {"scan": TEH_600}, {"qty": 4}, {"pay": {"method": "cash", "amount": 20_000}},
    {"refund": {"receipt_no": 1, "lines": [[1, 1]], "restock": False}},
    {"cash_out": {"amount": 10_000, "reason": "Cash pickup to the safe"}},
    {"x": True},
    {"shift_close": {"counted": 200_000}},
    {"z_close": True},
]  # fmt: skip


def test_a_day_at_the_counter_desk(tmp_path: Path, demo_dir: Path) -> None:
    _, shots = play(tmp_path, demo_dir, "counter", DAY)
    (sale,) = sales(tmp_path)
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (refund,) = [json.loads(r[0]) for r in db.execute("SELECT body FROM refunds")]
        shift = db.execute("SELECT float_amount, counted FROM shifts").fetchone()
        closes = db.execute("SELECT z_number FROM day_closes").fetchall()
    assert refund["receipt_no"] == 1 and refund["lines"][0]["restock"] is False
    assert tuple(shift) == (187_600, 200_000) and closes == [(1,)]
    expected = 187_600 + sale["payable"] + refund["total"] - 10_000
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (payload,) = db.execute("SELECT payload FROM journal WHERE kind = 'shift_close'").fetchone()
    assert json.loads(payload)["over_short"] == 200_000 - expected
    names = sorted(p.name for p in shots.iterdir())
    assert any(n.endswith("-refund.png") for n in names)
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        moves = db.execute("SELECT direction, amount, reason FROM cash_moves").fetchall()
    assert moves == [("out", 10_000, "Cash pickup to the safe")]
    to_docs(shots, {"09-shift_close.png": "counter-shift-close.png"})


def test_the_float_counter_and_a_refund_being_chosen(tmp_path: Path, demo_dir: Path) -> None:
    """The screens halfway: notes being counted, a receipt's lines being tapped."""
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"press": "books"}, {"press": "desk_float"}, {"press": "denom_50000"},
        {"press": "desk_3"}, {"press": "denom_1000"}, {"press": "desk_1"}, {"press": "desk_2"},
        {"press": "desk_ok"},
        {"scan": TEH_600}, {"qty": 3}, {"pay": {"method": "cash", "amount": 20_000}},
        {"press": "new_sale"}, {"press": "books"}, {"press": "desk_refund"},
        {"press": "desk_1"}, {"press": "desk_enter"}, {"press": "refund_line_1"},
        {"press": "refund_line_1"},
    ])  # fmt: skip
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        assert db.execute("SELECT float_amount FROM shifts").fetchone()[0] == 162_000
    to_docs(shots, {"08-press.png": "counter-float.png", "19-press.png": "counter-refund.png"})


@pytest.mark.parametrize("size", ["1280x800", "800x1280"])
def test_the_desk_fits_other_sizes(tmp_path: Path, demo_dir: Path, size: str) -> None:
    play(tmp_path, demo_dir, "counter", DAY, size=size)
    assert len(sales(tmp_path)) == 1


def test_after_a_refund_the_screen_says_where_each_share_went(
    tmp_path: Path, demo_dir: Path
) -> None:
    """A sale paid by card, QRIS and cash (the simulated terminal and acquirer) refunded
    whole: the desk lists the card by its last four digits, the QRIS and the cash to
    pay out, each with its amount, in Bahasa Indonesia."""
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"shift_open": {"float": 100_000}},
        {"scan": TEH_600}, {"qty": 4},
        {"pay": {"method": "card", "amount": 5_000}},
        {"pay": {"method": "qris", "amount": 6_000}},
        {"pay": {"method": "cash", "amount": 20_000}},
        {"refund": {"receipt_no": 1, "lines": [[1, 4]]}},
    ])  # fmt: skip
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (refund,) = [json.loads(r[0]) for r in db.execute("SELECT body FROM refunds")]
    ways = [(t["method"], t["paid_as"], t["amount"]) for t in refund["tenders"]]
    assert ways == [("card", "card", -5_000), ("qris", "qris", -6_000), ("cash", "cash", -7_000)]
    # The step's screen passed the layout and language audit (KIOSK_AUDIT) and was saved.
    (shot,) = [p for p in shots.iterdir() if p.name.endswith("-refund.png")]
    assert shot.stat().st_size > 0
    to_docs(shots, {shot.name: "counter-refund-ways.png"})


def test_a_blocked_refund_share_is_checked_from_the_desk(tmp_path: Path, demo_dir: Path) -> None:
    """A QRIS refund share whose outcome the acquirer never gave: the desk's menu offers
    "Refunds to check", lists it by receipt and amount, and asking again says what it
    means (here the acquirer cannot say: a manager settles it)."""
    play(tmp_path, demo_dir, "counter", [
        {"scan": TEH_600}, {"pay": {"method": "cash", "amount": 5_000}}])  # fmt: skip
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        sale_id, receipt_no = db.execute("SELECT sale_id, receipt_no FROM sales LIMIT 1").fetchone()
        db.execute(
            "INSERT INTO provider_refunds(call_id, sale_id, tender_index, method, amount, state,"
            " detail, created_at, updated_at) VALUES ('c0ffee00', ?, 0, 'qris', 5000, 'unknown',"
            ' \'{"order_id": "Q-DEMO", "refund_id": "r-1"}\', \'2026-11-20T03:00:00Z\','
            " '2026-11-20T03:00:00Z')",
            (sale_id,),
        )
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"press": "books"}, {"press": "desk_checks"}, {"press": "check_c0ffee00"},
    ])  # fmt: skip
    names = {p.name for p in shots.iterdir()}
    assert {"02-press.png", "03-press.png", "04-press.png"} <= names, names  # each step's look
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (state,) = db.execute("SELECT state FROM provider_refunds").fetchone()
    assert state == "unknown" and receipt_no > 0  # still blocked: nothing paid on top
    to_docs(shots, {"03-press.png": "counter-refunds-to-check.png"})


def test_a_qris_share_the_acquirer_does_not_list_yet_says_to_check_again(
    tmp_path: Path, demo_dir: Path
) -> None:
    """A QRIS refund call that got no answer moments ago: the acquirer (the demo's
    simulated one) has no such refund yet, which may mean still in process, so the desk
    says to check again shortly and the share stays blocked."""
    play(tmp_path, demo_dir, "counter", [
        {"scan": TEH_600}, {"pay": {"method": "cash", "amount": 5_000}}])  # fmt: skip
    soon = "2099-01-01T00:00:00.000000Z"  # the uncertain call, as the till's clock will see it
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (sale_id,) = db.execute("SELECT sale_id FROM sales LIMIT 1").fetchone()
        db.execute(
            "INSERT INTO qris_payments(order_id, gateway, amount, reference, state, sale_id,"
            " created_at, updated_at) VALUES ('Q-DEMO', 'simulated', 5000, 'R-1', 'applied',"
            " ?, ?, ?)",
            (sale_id, soon, soon),
        )
        detail = json.dumps({"order_id": "Q-DEMO", "refund_id": "r-1", "unsure_at": soon})
        db.execute(
            "INSERT INTO provider_refunds(call_id, sale_id, tender_index, method, amount, state,"
            " detail, created_at, updated_at) VALUES ('c0ffee01', ?, 0, 'qris', 5000, 'unknown',"
            " ?, ?, ?)",
            (sale_id, detail, soon, soon),
        )
    _, shots = play(tmp_path, demo_dir, "counter", [
        {"press": "books"}, {"press": "desk_checks"}, {"press": "check_c0ffee01"},
    ])  # fmt: skip
    assert "04-press.png" in {p.name for p in shots.iterdir()}
    with sqlite3.connect(tmp_path / "data" / "ledger.sqlite") as db:
        (state, raw) = db.execute("SELECT state, detail FROM provider_refunds").fetchone()
    assert state == "unknown" and json.loads(raw)["asked"] == "the acquirer has no such refund yet"
    to_docs(shots, {"04-press.png": "counter-refund-check-again.png"})
