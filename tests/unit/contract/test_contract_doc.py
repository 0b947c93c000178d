"""docs/messages.md is generated from the contract's models and must not drift."""

from __future__ import annotations

import pytest

from kiosk.contract import doc, documents
from kiosk.contract.schemas import COMMANDS, MESSAGES


def test_the_page_is_what_the_models_say() -> None:
    page = doc.PAGE.read_text(encoding="utf-8")
    assert doc.update(page) == page, "run: python -m kiosk.contract.doc"
    assert doc.main(["--check"]) == 0


def test_every_message_kind_and_command_has_its_section() -> None:
    page = doc.PAGE.read_text(encoding="utf-8")
    for kind, versions in MESSAGES.items():
        for version in versions:
            assert f"### {kind} (schema {version})" in page
    for name in COMMANDS:
        assert f"### cmd/{name}: body" in page


def test_a_changed_model_makes_the_page_stale(monkeypatch: pytest.MonkeyPatch) -> None:
    page = doc.PAGE.read_text(encoding="utf-8")

    class Bigger(documents.Alert):
        """An alert that learnt a new field."""

        room: str = ""

    monkeypatch.setitem(MESSAGES, "alert", {1: Bigger})
    fresh = doc.update(page)
    assert fresh != page
    assert "| `room` | string | no |" in fresh and "An alert that learnt a new field." in fresh


def test_the_tables_carry_the_bounds_and_choices() -> None:
    text = doc.render_messages() + doc.render_commands()
    assert "| `lines` | list of `SaleLine` | yes | 1-1000 items |" in text
    assert "| `method` | `cash` \\| `card` \\| `qris` \\| `points` \\| `online` | yes |  |" in text
    assert "| `price` | integer | yes | 0..1000000000000; tax-inclusive rupiah |" in text
    assert "| `oldest_age_s` | integer or null | yes | >= 0 |" in text
    assert "| ... | any | no | further fields are allowed |" in text  # event


def test_a_page_without_its_regions_is_refused() -> None:
    with pytest.raises(ValueError, match="contract:messages"):
        doc.update("# Messages\n")
