"""The serial scale driver against its twin on a real pty pair, in both dialects."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import serial

from drivers.scale import BELOW_ZERO, GARBLED, NOT_ANSWERING, OVER_MAXIMUM, SerialScale
from drivers.scale_protocol import (
    ProtocolError,
    Reading,
    cas_decode,
    cas_frame,
    toledo_answer,
    toledo_decode,
)
from drivers.sim.scale_peer import SimulatedScalePeer
from kiosk.domain.error_codes import ERROR_TEXTS
from kiosk.ports import DeviceError, DeviceState, Weighing


@pytest.fixture(params=["cas", "toledo"])
def rig(request: pytest.FixtureRequest) -> Iterator[tuple[SimulatedScalePeer, SerialScale]]:
    peer = SimulatedScalePeer(dialect=request.param, max_g=6_000)
    port = serial.serial_for_url(peer.port_name, baudrate=9600, timeout=0.05)
    scale = SerialScale(port, dialect=request.param, timeout_s=0.5)
    yield peer, scale
    scale.close()
    peer.close()


def test_a_steady_load_is_weighed_in_grams(rig: tuple[SimulatedScalePeer, SerialScale]) -> None:
    peer, scale = rig
    peer.place(1_250)
    assert scale.weigh() == Weighing(1_250, True)
    peer.place(505)
    assert scale.weigh() == Weighing(505, True)
    assert scale.status().state == DeviceState.IDLE


def test_a_moving_load_is_not_stable(rig: tuple[SimulatedScalePeer, SerialScale]) -> None:
    peer, scale = rig
    peer.place(800, stable=False)
    assert scale.weigh().stable is False


@pytest.mark.parametrize(("grams", "message"), [(7_000, OVER_MAXIMUM), (-1, BELOW_ZERO)])
def test_over_maximum_and_below_zero_are_refused(
    rig: tuple[SimulatedScalePeer, SerialScale], grams: int, message: str
) -> None:
    peer, scale = rig
    if grams < 0:
        peer.offset_g = 200  # zeroed with something on it, then emptied
        grams = 0
    peer.place(grams)
    with pytest.raises(DeviceError) as caught:
        scale.weigh()
    assert caught.value.code == message and caught.value.kind == "scale"
    assert caught.value.message == ERROR_TEXTS[message]
    assert scale.status().state == DeviceState.IDLE  # the load was wrong, not the scale


@pytest.mark.parametrize(("mode", "message"), [("silent", NOT_ANSWERING), ("garbled", GARBLED)])
def test_a_silent_or_garbled_scale_is_an_error_until_it_answers(
    rig: tuple[SimulatedScalePeer, SerialScale], mode: str, message: str
) -> None:
    peer, scale = rig
    peer.place(300)
    peer.mode = mode
    with pytest.raises(DeviceError, match=ERROR_TEXTS[message].split(";", maxsplit=1)[0]) as caught:
        scale.weigh()
    assert caught.value.code == message
    assert scale.status().state == DeviceState.ERROR
    peer.mode = "ok"
    assert scale.weigh().grams == 300
    assert scale.status().state == DeviceState.IDLE


def test_toledo_zero_and_tare_take_off_what_is_on_the_scale() -> None:
    peer = SimulatedScalePeer(dialect="toledo")
    port = serial.serial_for_url(peer.port_name, baudrate=9600, timeout=0.05)
    scale = SerialScale(port, dialect="toledo")
    try:
        peer.place(150)  # the bowl
        scale.tare()
        deadline = time.monotonic() + 2
        while b"T" not in peer.received and time.monotonic() < deadline:
            time.sleep(0.01)  # no answer to wait for: the peer takes it in its own time
        peer.place(1_150)
        assert scale.weigh().grams == 1_000
    finally:
        scale.close()
        peer.close()


def test_cas_has_no_remote_zero() -> None:
    scale = SerialScale(serial.serial_for_url("loop://", timeout=0.05), dialect="cas")
    with pytest.raises(DeviceError, match="scale's own"):
        scale.zero()


def test_frames_round_trip_and_bad_frames_are_refused() -> None:
    for reading in (Reading(1_250, True), Reading(40, False), Reading(0, False, over=True)):
        assert cas_decode(cas_frame(reading)) == reading
    assert toledo_decode(toledo_answer(Reading(2_345, True))) == Reading(2_345, True)
    assert toledo_decode(toledo_answer(Reading(0, False))).stable is False
    broken = bytearray(cas_frame(Reading(500, True)))
    broken[5] ^= 0x01
    with pytest.raises(ProtocolError):
        cas_decode(bytes(broken))
    with pytest.raises(ProtocolError):
        toledo_decode(b"\x0201.2x0\r")


def test_loop_url_echo_is_not_taken_for_an_answer() -> None:
    # loop:// hands back what was sent (ENQ, not ACK): the driver must not hang or guess.
    scale = SerialScale(serial.serial_for_url("loop://", timeout=0.05), dialect="cas",
                        timeout_s=0.2)  # fmt: skip
    with pytest.raises(DeviceError):
        scale.weigh()
