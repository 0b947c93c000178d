"""The till's warnings in words: short and addressed to staff at the self-checkout, a
full sentence at the counter, in Bahasa Indonesia and English; nothing when all is well
and never an internal condition name."""

from __future__ import annotations

from kiosk.ui.i18n import Language
from kiosk.ui.presenters.till_warnings import counter_banner, staff_note

BOTH = ["clock_not_synchronised", "disk_low"]


def test_the_self_checkout_note_is_short_and_for_staff() -> None:
    assert staff_note(BOTH, Language("id")) == (
        "Untuk petugas: jam belum sinkron · memori penyimpanan hampir penuh"
    )
    assert staff_note(["disk_low"], Language("en")) == "For staff: storage almost full"


def test_the_counter_banner_says_what_to_do() -> None:
    assert counter_banner(["disk_low"], Language("id")) == (
        "Memori penyimpanan hampir penuh: beri tahu manajer sebelum penjualan terhenti."
    )
    english = counter_banner(BOTH, Language("en"))
    assert english.startswith("The clock is not synchronised: sales keep the last known time.")
    assert english.endswith("Storage almost full: tell the manager before sales stop.")


def test_nothing_to_show_and_unknown_conditions_stay_off_the_screen() -> None:
    for lang in ("id", "en"):
        assert staff_note([], Language(lang)) == "" == counter_banner([], Language(lang))
        assert staff_note(["fan_stopped"], Language(lang)) == ""
        assert "fan_stopped" not in counter_banner(["fan_stopped", "disk_low"], Language(lang))
