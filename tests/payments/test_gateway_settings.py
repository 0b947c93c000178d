"""The gateway the settings choose; its keys are masked wherever settings are shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.payments.configured import gateway_from_settings
from kiosk.payments.gateway import GatewayError, QrisStatus
from kiosk.payments.midtrans import MidtransGateway
from kiosk.payments.simulated import SimulatedGateway
from kiosk.storage.settings import Settings, SettingsError
from kiosk.testing.fake_acquirers import FakeMidtrans, sample_static_qris

KEY = "SB-Mid-server-SECRET-42"


@pytest.fixture
def fake() -> Iterator[FakeMidtrans]:
    with FakeMidtrans(KEY).serving() as server:
        assert isinstance(server, FakeMidtrans)
        yield server


def test_midtrans_from_settings_uses_the_key_and_never_shows_it(
    tmp_path: Path, fake: FakeMidtrans
) -> None:
    s = Settings(tmp_path / "settings.json")
    s.set("payments.qris.gateway", "midtrans")
    s.set("payments.midtrans.server_key", KEY)
    s.set("payments.midtrans.base_url", fake.url)
    gw = gateway_from_settings(s.all(), fallback_static=sample_static_qris())
    assert isinstance(gw, MidtransGateway)
    charge = gw.create("CFG-1", 2000)
    assert gw.status(charge) is QrisStatus.PENDING  # the fake accepted the key
    shown = json.dumps(s.masked())
    assert KEY not in shown
    assert s.masked()["payments.midtrans.server_key"] == "********"


def test_secret_payment_keys_are_masked_and_the_gateway_name_checked(tmp_path: Path) -> None:
    s = Settings(tmp_path / "settings.json")
    s.set("payments.snap.client_secret", "hmac-secret")
    s.set("payments.snap.private_key", "-----BEGIN PRIVATE KEY-----")
    shown = s.masked()
    assert shown["payments.snap.client_secret"] == shown["payments.snap.private_key"] == "********"
    with pytest.raises(SettingsError, match="simulated, midtrans or snap"):
        s.set("payments.qris.gateway", "paypal")


def test_missing_keys_are_refused_by_name_without_values(tmp_path: Path) -> None:
    s = Settings(tmp_path / "settings.json")
    s.set("payments.qris.gateway", "midtrans")
    with pytest.raises(GatewayError, match="no server key"):
        gateway_from_settings(s.all(), fallback_static="")
    s.set("payments.qris.gateway", "snap")
    s.set("payments.snap.private_key", "not a key")
    with pytest.raises(GatewayError) as err:
        gateway_from_settings(s.all(), fallback_static="")
    assert "not a key" not in str(err.value)


def test_simulated_by_default_with_the_shops_static_qris(tmp_path: Path) -> None:
    s = Settings(tmp_path / "settings.json")
    static = sample_static_qris("WARUNG BUDI")
    s.set("payments.qris.static_payload", static)
    gw = gateway_from_settings(s.all(), fallback_static=sample_static_qris())
    assert isinstance(gw, SimulatedGateway) and gw.static_qris == static


def test_each_charge_names_the_fleet_relay_for_this_kiosk(
    tmp_path: Path, fake: FakeMidtrans
) -> None:
    s = Settings(tmp_path / "settings.json")
    s.set_many({"payments.qris.gateway": "midtrans", "payments.midtrans.server_key": KEY,
                "payments.midtrans.base_url": fake.url, "store_id": "toko", "device_id": "k2",
                "payments.midtrans.notification_url":
                    "https://fleet.example/api/payments/midtrans/{store}/{device}"})  # fmt: skip
    gw = gateway_from_settings(s.all(), fallback_static=sample_static_qris())
    gw.create("CFG-2", 2000)
    (charge,) = [r for r in fake.requests if r.path == "/v2/charge"]
    assert charge.headers["X-Override-Notification"] == (
        "https://fleet.example/api/payments/midtrans/toko/k2"
    )
    s.set("payments.midtrans.notification_url", "")
    gateway_from_settings(s.all(), fallback_static=sample_static_qris()).create("CFG-3", 2000)
    assert "X-Override-Notification" not in fake.requests[-1].headers  # the account's URL then
