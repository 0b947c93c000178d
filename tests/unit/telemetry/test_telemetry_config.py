"""Settings -> MQTT options, the password kept out of logs, and the reconnect backoff."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from kiosk.contract.topics import DeviceTopics, command, command_name, parse
from kiosk.storage.settings import Settings
from kiosk.telemetry.backoff import Backoff
from kiosk.telemetry.mqtt_config import ConfigError, MqttConfig, config_from_settings, make_client


def test_settings_become_a_config_without_leaking_the_password(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set_many({"store_id": "S01", "device_id": "D01", "broker.host": "mq.example",
                       "broker.username": "D01", "broker.password": "hunter2-secret",
                       "broker.tls": True})  # fmt: skip
    settings.reset("broker.port")
    config = config_from_settings(settings, version="1.0")
    settings.close()
    assert (config.host, config.port, config.tls) == ("mq.example", 1883, True)
    assert config.effective_client_id == "pos-S01-D01"
    assert "hunter2" not in repr(config) and "hunter2" not in config.describe()
    assert "password=set" in config.describe()


def test_tls_defaults_to_port_8883_when_no_port_is_stored() -> None:
    config = config_from_settings({"store_id": "S01", "device_id": "D01", "broker.tls": "true"})
    assert config.port == 8883 and config.tls


@pytest.mark.parametrize(
    ("changes", "needle"),
    [
        ({"ca_file": "/nonexistent/ca.crt"}, "broker.ca_file: no such file"),
        ({"key_file": __file__}, "broker.key_file is set but broker.cert_file is not"),
        ({"port": 0}, "broker.port must be 1..65535"),
        ({"device_id": "a/b"}, "cannot be a topic level"),
        ({"device_id": "all"}, "cannot be a topic level"),
    ],
)
def test_bad_settings_are_named(changes: dict, needle: str) -> None:
    with pytest.raises(ValueError, match=needle.replace("(", r"\(").replace(".", r"\.")):
        MqttConfig(**{"store_id": "S01", "device_id": "D01", **changes})


def test_missing_identity_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="store_id and device_id"):
        config_from_settings({"broker.host": "x"})
    with pytest.raises(ConfigError, match="broker.tls must be true or false"):
        config_from_settings({"store_id": "S", "device_id": "D", "broker.tls": "maybe"})


def test_make_client_applies_credentials_and_will() -> None:
    config = MqttConfig(store_id="S01", device_id="D01", username="D01", password="pw",
                        max_inflight=50)  # fmt: skip
    client = make_client(config, will=("pos/v1/S01/D01/status", '{"state":"offline"}'))
    assert client.max_inflight_messages == 50
    assert client.username == "D01" and client.password == "pw"
    assert client.will_topic == "pos/v1/S01/D01/status"
    assert client.will_payload == b'{"state":"offline"}'
    # Retain and QoS 1 are shown on a real broker: tests/integration/test_last_will.py
    assert make_client(config).will_topic == ""  # no will unless asked


def test_backoff_grows_with_jitter_up_to_the_cap_and_resets() -> None:
    backoff = Backoff(1.0, 8.0, rng=random.Random(7))
    delays = [backoff.next_delay() for _ in range(6)]
    for delay, ceiling in zip(delays, [1, 2, 4, 8, 8, 8], strict=True):
        assert ceiling / 2 <= delay <= ceiling
    assert len(set(delays)) == 6  # jittered, not lockstep
    backoff.reset()
    assert backoff.next_delay() <= 1.0


def test_topics() -> None:
    topics = DeviceTopics("S01", "D01")
    assert topics.of("sale") == "pos/v1/S01/D01/sale"
    assert topics.command_filters == ("pos/v1/S01/D01/cmd/+", "pos/v1/S01/all/cmd/+")
    assert topics.command_result("prices") == "pos/v1/S01/D01/cmd/prices/result"
    assert command("S01", "all", "lock") == "pos/v1/S01/all/cmd/lock"
    assert command_name("pos/v1/S01/all/cmd/lock") == "lock"
    assert command_name("pos/v1/S01/D01/cmd/lock/result") is None
    assert parse("other/v1/a/b/c") is None


def test_broker_protocol_chooses_mqtt_5_or_3_1_1(tmp_path: Path) -> None:
    base = {"store_id": "s1", "device_id": "d1"}
    assert config_from_settings(base).mqtt5 is True
    assert config_from_settings({**base, "broker.protocol": "3.1.1"}).mqtt5 is False
    with pytest.raises(ConfigError, match="broker.protocol must be 5 or 3.1.1"):
        config_from_settings({**base, "broker.protocol": "4"})
    settings = Settings(tmp_path / "settings.json")
    with pytest.raises(ValueError, match="5 or 3.1.1"):
        settings.set("broker.protocol", "3")
    settings.set("broker.protocol", "3.1.1")
    assert config_from_settings(settings).mqtt5 is False
    settings.close()
