"""The e-receipt address setting (receipt.url): empty by default, a good address kept,
one that leads nowhere refused with the key named and the old value kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.storage.settings import Settings, SettingsError


def test_the_setting_takes_a_good_address_and_refuses_a_bad_one(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    assert settings.get("receipt.url") == ""  # no e-receipt until the shop sets one
    settings.set("receipt.url", "https://fleet.tokoku.id/r/{sale_id}")
    assert settings.get("receipt.url") == "https://fleet.tokoku.id/r/{sale_id}"
    with pytest.raises(SettingsError, match="receipt.url"):
        settings.set("receipt.url", "https://struk.example/r/")
    assert settings.get("receipt.url") == "https://fleet.tokoku.id/r/{sale_id}"
