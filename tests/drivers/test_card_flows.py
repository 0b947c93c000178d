"""Card payments that go wrong, against the simulated terminal on a real pty pair: the
bank's decline reason reaches the screen in the screen's language; an answer lost in a
timeout is found by the last-transaction inquiry and applied once; a garbled or an
unexpected answer is refused (never taken for a payment) with a clear message and the
basket left as it was; the replay's timeout outcome takes seconds, not the 90 s a real
customer gets to type a PIN; money goes back as a void while the terminal's batch holds
the sale and as a refund after its settlement."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import serial

from drivers.card_terminal import SerialCardTerminal
from drivers.sim.card_peer import SimulatedCardTerminalPeer
from kiosk.domain.sale import TenderRecord
from kiosk.ports import CardResult
from kiosk.services.card_reversal import give_back
from kiosk.services.checkout import CheckoutService
from kiosk.services.staff import StaffService
from kiosk.testing.cli import kiosk, replay
from kiosk.ui.i18n import Language
from kiosk.ui.presenters.counter import CounterPresenter
from kiosk.ui.presenters.refusals import card_refusal
from tests.unit import conftest as unit
from tests.unit.pieces import Effects

# The unit tests' till (its ledger is tests/conftest.py's, opened for unit.device_id).
device_id, catalog, checkout, staff = unit.device_id, unit.catalog, unit.checkout, unit.staff
CATALOG = "sku,barcode,name,price,category\nTEH,8991000000010,Teh,5000,Minuman\n"


@pytest.fixture
def peer() -> Iterator[SimulatedCardTerminalPeer]:
    p = SimulatedCardTerminalPeer()
    yield p
    p.close()


@pytest.fixture
def terminal(peer: SimulatedCardTerminalPeer) -> Iterator[SerialCardTerminal]:
    port = serial.Serial(peer.port_name, 115200, timeout=0.02)
    t = SerialCardTerminal(port, ack_timeout=0.2, response_timeout=0.6, retries=2)
    yield t
    t.close()


def test_a_decline_says_the_banks_reason(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    peer.mode = "decline"
    result = terminal.sale(25000, "K01-000200")
    assert (result.outcome, result.response_code, result.reference) == (
        "declined",
        "51",
        "K01-000200",
    )
    assert result.message == "SALDO TIDAK CUKUP"  # the terminal's own words, kept
    assert card_refusal(result, Language("id")).startswith("Kartu ditolak")
    assert "not enough funds" in card_refusal(result, Language("en"))


def test_a_lost_answer_is_found_by_the_inquiry_and_charged_once(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    peer.mode = "timeout"
    result = terminal.sale(30000, "K01-000201")
    assert (result.outcome, result.reference, result.amount) == ("approved", "K01-000201", 30000)
    assert [m.command for m in peer.received] == ["01", "04"]
    assert len(peer.transactions) == 1


def test_a_garbled_answer_is_refused_with_its_own_message(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    peer.mode = "garbage"
    result = terminal.sale(30000, "K01-000202")
    assert (result.outcome, result.problem) == ("unknown", "garbled")
    assert card_refusal(result, Language("id")) == (
        "Jawaban terminal kartu tidak terbaca; periksa terminalnya sebelum mencoba lagi"
    )


def test_an_answer_to_another_payment_is_refused_and_nothing_is_charged(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    peer.mode = "unexpected"
    result = terminal.sale(30000, "K01-000203")
    assert (result.outcome, result.problem) == ("unknown", "unexpected")
    assert [m.command for m in peer.received] == ["01", "04"]  # it asked before refusing
    assert peer.transactions == []
    assert "another payment" in card_refusal(result, Language("en"))


def test_the_counter_keeps_the_basket_when_the_answer_is_refused(
    terminal: SerialCardTerminal,
    peer: SimulatedCardTerminalPeer,
    checkout: CheckoutService,
    staff: StaffService,
) -> None:
    p = CounterPresenter(checkout, staff, Effects(), lang="id")
    for key in ("1", "1", "1", "1", "enter"):
        p.pin_key(key)
    p.scan(checkout.catalog.by_sku("TEH").barcodes[0])  # type: ignore[union-attr]
    p.pay()
    peer.mode = "garbage"
    p.card_result(terminal.sale(p.due, checkout.basket.basket_id[:12]))
    assert p.screen == "tender" and p.message.level == "error"
    assert p.message.text.startswith("Jawaban terminal kartu tidak terbaca")
    assert p.due == 5000 and p.checkout.tenders is not None and not p.checkout.tenders.records()
    assert len(p.basket.rows) == 1
    peer.mode = "approve"
    p.card_result(terminal.sale(p.due, checkout.basket.basket_id[:12]))
    assert p.screen == "done" and p.last_sale is not None


def test_replay_card_timeout_uses_the_inquiry_in_seconds(tmp_path: Path) -> None:
    (tmp_path / "cat.csv").write_text(CATALOG, encoding="utf-8")
    data = tmp_path / "dev"
    assert kiosk(data, "catalog", "import", str(tmp_path / "cat.csv")).returncode == 0
    started = time.monotonic()
    result = replay(data, [{"sku": "TEH"}, {"pay": {"method": "card", "outcome": "timeout"}}])
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    (sale,) = (json.loads(line) for line in result.stdout.splitlines())
    ((tender),) = sale["tenders"]
    assert tender["method"] == "card" and tender["amount"] == 5000 and tender["reference"]
    assert took < 30, f"the timeout outcome took {took:.1f} s"


def card_tender(result: CardResult) -> TenderRecord:
    return TenderRecord("card", result.amount, reference=result.rrn,
                        approval_code=result.approval_code, masked_pan=result.masked_pan,
                        terminal_id=result.terminal_id)  # fmt: skip


def test_a_void_before_settlement_and_a_refund_after(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    today = card_tender(terminal.sale(5000, "K01-000300"))
    back = give_back(terminal, today, 5000, "RF-1")
    assert (back.kind, back.done) == ("void", True)
    assert peer.received[-1].command == "02" and peer.received[-1].fields["RRN"] == today.reference
    yesterday = card_tender(terminal.sale(7000, "K01-000301"))
    peer.settle()  # the terminal's end of day: the sale left the batch
    back = give_back(terminal, yesterday, 7000, "RF-2")
    assert (back.kind, back.done) == ("refund", True)
    assert [m.command for m in peer.received[-2:]] == ["02", "05"]  # void refused, then refund
    assert peer.received[-1].fields == {"AMT": "000000700000", "RRN": yesterday.reference,
                                        "REF": "RF-2"}  # fmt: skip


def test_a_part_goes_back_as_a_refund_and_an_unknown_void_is_never_refunded(
    terminal: SerialCardTerminal, peer: SimulatedCardTerminalPeer
) -> None:
    tender = card_tender(terminal.sale(5000, "K01-000302"))
    part = give_back(terminal, tender, 2000, "RF-3")
    assert (part.kind, part.done, peer.received[-1].command) == ("refund", True, "05")
    other = card_tender(terminal.sale(4000, "K01-000303"))
    sent = len(peer.received)
    peer.mode = "no_ack"
    lost = give_back(terminal, other, 4000, "RF-4")
    assert (lost.kind, lost.result.outcome, lost.done) == ("void", "unknown", False)
    assert all(m.command != "05" for m in peer.received[sent:])  # no refund on top
    with pytest.raises(ValueError, match="between 1 and 4000"):
        give_back(terminal, other, 4001, "RF-5")
