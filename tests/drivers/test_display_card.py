from __future__ import annotations

from collections.abc import Iterator

import pytest
import serial

from drivers.card_protocol import FrameReader, Message, amount_field, frame, lrc
from drivers.card_terminal import SerialCardTerminal, mask_pan
from drivers.pole_display import SerialPoleDisplay, SimulatedPoleDisplay, VfdScreen
from drivers.sim.card_peer import SimulatedCardTerminalPeer

# -- pole display ----------------------------------------------------------------------


@pytest.mark.parametrize("command_set", ["epson", "cd5220"])
def test_display_bytes_over_loop_show_item_and_total(command_set: str) -> None:
    port = serial.serial_for_url("loop://", timeout=0.2)
    display = SerialPoleDisplay(port, command_set=command_set)
    display.show_item("Kopi Kapal Api 165g", 13000, 125250)
    screen = VfdScreen()
    screen.feed(port.read(port.in_waiting))
    assert screen.lines == ("Kopi Kapal  Rp13.000", "TOTAL      Rp125.250")
    display.close()


def test_display_transliterates_and_truncates() -> None:
    display = SimulatedPoleDisplay()
    display.show_lines("Café — Spesial Ünïcode long line", "x")
    assert display.screen.lines == ("Cafe  Spesial Unicod", "x".ljust(20))


def test_display_unknown_command_set() -> None:
    with pytest.raises(ValueError, match="unknown display command set 'vfd9'"):
        SimulatedPoleDisplay(command_set="vfd9")


# -- framing ---------------------------------------------------------------------------


def test_frame_layout_and_checksum() -> None:
    data = Message("01", {"AMT": amount_field(15000), "REF": "S1"}).encode()
    framed = frame(data)
    assert framed[0] == 0x02 and framed[1:5] == f"{len(data):04d}".encode()
    assert framed[-2] == 0x03 and framed[-1] == lrc(framed[1:-1])
    assert b"AMT=000001500000" in framed  # two implied decimals
    reader = FrameReader()
    assert reader.feed(b"\x00junk" + framed[:7]) == [("noise", None)]  # noted, skipped
    assert reader.feed(framed[7:] + b"\x06") == [("frame", data), ("ack", None)]
    broken = framed[:-1] + bytes([framed[-1] ^ 1])
    assert FrameReader().feed(broken)[0][0] == "bad"


def test_mask_pan() -> None:
    assert mask_pan("4212345678901234") == "421234******1234"
    assert mask_pan("421234******1234") == "421234******1234"
    assert mask_pan("1234") == "****"


# -- card terminal against the pty peer ------------------------------------------------


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


def test_approved_sale_keeps_only_masked_data(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    result = terminal.sale(25000, "K01-000123")
    assert result.outcome == "approved"
    assert (result.amount, result.response_code, result.approval_code) == (25000, "00", "000001")
    assert result.masked_pan == "421234******1234"
    assert "4212345678901234" not in repr(result)
    assert (result.rrn, result.terminal_id) == ("000000000001", "T0001")
    assert peer.received[0].fields["AMT"] == "000002500000"
    assert [m.command for m in peer.received] == ["01"]  # answered: no recovery query


def test_declined_sale(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    peer.mode = "decline"
    result = terminal.sale(25000, "K01-000124")
    assert (result.outcome, result.response_code) == ("declined", "51")


def test_timeout_asks_last_transaction_and_finds_the_approval(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    peer.mode = "timeout"  # the terminal approves, but its answer is lost
    result = terminal.sale(30000, "K01-000125")
    assert result.outcome == "approved"
    assert [m.command for m in peer.received] == ["01", "04"]  # sale, then last transaction
    assert len(peer.transactions) == 1  # never charged twice


def test_garbage_reply_is_unknown_never_declined(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    peer.transactions.append({"RC": "00", "REF": "an older sale", "AMT": "000000100000"})
    peer.mode = "garbage"
    result = terminal.sale(30000, "K01-000126")
    assert result.outcome == "unknown"
    assert terminal.status().reason == "payment outcome unknown"
    assert [m.command for m in peer.received] == ["01", "04"]


def test_nak_is_retried_and_corrupt_reply_is_nakked(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    peer.mode = "nak_once"
    assert terminal.sale(1000, "R1").outcome == "approved"
    peer.mode = "corrupt_once"
    assert terminal.sale(2000, "R2").outcome == "approved"


def test_no_ack_is_unknown_and_echo_reports_offline(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    peer.mode = "no_ack"
    assert terminal.sale(1000, "R3").outcome == "unknown"
    assert terminal.echo() is False
    assert terminal.status().state.value == "offline"
    peer.mode = "approve"
    assert terminal.echo() is True
    assert terminal.status().state.value == "idle"


def test_void_and_last_transaction(terminal, peer) -> None:  # type: ignore[no-untyped-def]
    sale = terminal.sale(5000, "R4")
    void = terminal.void(sale.rrn, 5000)
    assert void.outcome == "approved"
    assert terminal.last_transaction().rrn == void.rrn
