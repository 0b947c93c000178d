"""The refusal every screen shows: what it keeps of its words, code and amounts (written
for mutants of kiosk.domain.errors in the third mutation run)."""

from __future__ import annotations

from kiosk.domain.error_codes import english
from kiosk.domain.errors import ShownError


class DrawerError(ShownError):
    """A subclass, as every module's refusal is."""


def test_an_older_refusal_keeps_its_words_msgid_and_a_copy_of_its_amounts() -> None:
    amounts = {"limit": 500_000}
    err = ShownError("over Rp500.000", msgid="over {limit}", amounts=amounts)
    amounts["limit"] = 1
    assert (str(err), err.message, err.msgid, err.amounts) == (
        "over Rp500.000", "over Rp500.000", "over {limit}", {"limit": 500_000},
    )  # fmt: skip
    assert (err.code, err.params) == ("", {})
    bare = ShownError("no")
    assert (bare.msgid, bare.amounts) == ("", {})


def test_a_refusal_by_code_is_worded_in_english_from_its_parameters() -> None:
    err = DrawerError.of("shift.denomination", value=300)
    assert type(err) is DrawerError
    assert (err.code, err.params) == ("shift.denomination", {"value": 300})
    assert str(err) == err.message == english("shift.denomination", {"value": 300})
    assert err.message == "Rp300 is not a rupiah coin or note"
    assert (err.msgid, err.amounts) == ("", {})


def test_a_refusal_by_code_may_say_more_for_the_logs() -> None:
    err = DrawerError.of("shift.denomination", message="count line 3: Rp300", value=300)
    assert (str(err), err.code, err.params) == (
        "count line 3: Rp300", "shift.denomination", {"value": 300},
    )  # fmt: skip
