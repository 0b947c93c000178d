from __future__ import annotations

import pytest
from evdev import ecodes

from drivers import keymaps
from drivers.scan_decoder import DecoderConfig, ScanDecoder, decode_steps, replay_keys
from drivers.symbology import parse_scan
from tests.drivers.keyevents import key, typed


def feed_all(decoder: ScanDecoder, events: list) -> list:
    reads = []
    for event in events:
        reads += decoder.feed_event(event)
    return reads


def test_key_codes_match_the_kernel_names_in_evdev() -> None:
    for name, code in keymaps.KEY_CODES.items():
        assert ecodes.ecodes[name] == code, name


def test_ean13_burst_is_a_scan() -> None:
    events, _ = typed("4006381333931")
    reads = feed_all(ScanDecoder(), events)
    assert [(r.kind, r.text) for r in reads] == [("scan", "4006381333931")]
    assert reads[0].keys == 14  # 13 digits + Enter
    assert reads[0].median_gap_ms == pytest.approx(2.0, abs=0.1)


def test_shifted_characters_and_caps() -> None:
    events, _ = typed('Ab-C_1!"~{}')
    reads = feed_all(ScanDecoder(), events)
    assert [r.text for r in reads] == ['Ab-C_1!"~{}']


def test_gs1_string_with_ctrl_bracket_separator() -> None:
    text = "]C10109501101530003\x1d10LOT7\x1d3103001250"
    events, _ = typed(text)
    reads = feed_all(ScanDecoder(), events)
    assert reads[0].text == text
    scan = parse_scan(reads[0].text, source="s1")
    assert scan.symbology == "gs1-128"
    assert scan.aim_id == "]C1"
    assert scan.ais == {"01": "09501101530003", "10": "LOT7", "3103": "001250"}


def test_gs_as_alt_keypad_029_and_as_configured_key() -> None:
    alt, kp0, kp2, kp9 = 56, 82, 80, 73
    steps = [["KEY_1", 1], ["KEY_1", 0]]
    steps += [["KEY_LEFTALT", 1], ["KEY_KP0", 1], ["KEY_KP0", 0], ["KEY_KP2", 1], ["KEY_KP2", 0]]
    steps += [["KEY_KP9", 1], ["KEY_KP9", 0], ["KEY_LEFTALT", 0], ["KEY_2", 1], ["KEY_F8", 1]]
    steps += [["KEY_3", 1], ["KEY_ENTER", 1]]
    assert (alt, kp0, kp2, kp9) == tuple(
        keymaps.KEY_CODES[n] for n in ("KEY_LEFTALT", "KEY_KP0", "KEY_KP2", "KEY_KP9")
    )
    reads = decode_steps(steps, DecoderConfig(gs_key="KEY_F8"))
    assert reads[0].text == "1\x1d2\x1d3"


def test_two_scans_back_to_back() -> None:
    first, t = typed("4006381333931")
    second, _ = typed("96385074", start=t + 0.004)
    reads = feed_all(ScanDecoder(), first + second)
    assert [(r.kind, r.text) for r in reads] == [("scan", "4006381333931"), ("scan", "96385074")]


def test_keyboard_typing_slowly_is_not_a_scan() -> None:
    events, _ = typed("12345", gap_ms=180)
    reads = feed_all(ScanDecoder(), events)
    assert [r.kind for r in reads] == ["human"]
    assert reads[0].text == "12345"


def test_very_slow_typing_times_out_key_by_key() -> None:
    events, _ = typed("12", gap_ms=900)
    reads = feed_all(ScanDecoder(), events)
    assert [(r.kind, r.text) for r in reads] == [("timeout", "1"), ("timeout", "2")]


def test_half_read_is_dropped_on_poll_timeout() -> None:
    events, t = typed("400638", suffix="")
    decoder = ScanDecoder(DecoderConfig(timeout_ms=100))
    assert feed_all(decoder, events) == []
    assert decoder.pending == "400638"
    assert decoder.poll(t + 0.05) == []
    dropped = decoder.poll(t + 0.2)
    assert [(r.kind, r.text) for r in dropped] == [("timeout", "400638")]
    assert decoder.pending == ""


def test_tab_suffix_and_autorepeat_ignored() -> None:
    events, _ = typed("ABC", suffix="KEY_TAB")
    events += key(2000.0, keymaps.KEY_CODES["KEY_A"], 2)
    reads = feed_all(ScanDecoder(DecoderConfig(suffix="tab")), events)
    assert [r.text for r in reads] == ["ABC"]


def test_german_layout_swaps_y_and_z_and_uses_altgr() -> None:
    events, _ = typed("Zy-@", layout="de")
    reads = feed_all(ScanDecoder(DecoderConfig(layout="de")), events)
    assert [r.text for r in reads] == ["Zy-@"]
    # the same keys read with the US map give the US characters
    reads_us = feed_all(ScanDecoder(DecoderConfig(layout="us")), events)
    assert reads_us[0].text.startswith("Yz/")


def test_replay_keys_goes_through_decoder_and_symbology() -> None:
    steps = [["KEY_RIGHTBRACE", 1], ["KEY_RIGHTBRACE", 0, 1]]
    steps += [["KEY_LEFTSHIFT", 1, 1], ["KEY_E", 1, 1], ["KEY_E", 0, 1], ["KEY_LEFTSHIFT", 0, 1]]
    for digit in "04006381333931":
        steps += [[f"KEY_{digit}", 1, 2], [f"KEY_{digit}", 0, 1]]
    steps += [["KEY_ENTER", 1, 2], ["KEY_ENTER", 0, 1]]
    scans = replay_keys(steps)
    assert len(scans) == 1
    assert (scans[0].aim_id, scans[0].symbology, scans[0].data) == ("]E0", "ean13", "4006381333931")
    assert scans[0].gtin == "4006381333931"
    assert scans[0].source == "replay"


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([["KEY_NOPE", 1]], r"keys\[0\]: unknown key name 'KEY_NOPE'"),
        ([["KEY_A", 1], ["KEY_A", 5]], r"keys\[1\]: value must be 0"),
        ([["KEY_A", 1, -3]], r"keys\[0\]: milliseconds must be a number >= 0"),
        (["KEY_A"], r"keys\[0\]: expected \[name, value\]"),
    ],
)
def test_replay_rejects_bad_steps_by_index(steps: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        replay_keys(steps)


def test_bad_config_is_named() -> None:
    with pytest.raises(ValueError, match="unknown keyboard layout 'fr'"):
        DecoderConfig(layout="fr")
    with pytest.raises(ValueError, match="unknown scan suffix"):
        DecoderConfig(suffix="space")
