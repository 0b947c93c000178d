"""Settings -> a configured paho client (credentials, TLS, client id, will).

The password lives only in ``MqttConfig.password`` (excluded from ``repr``) and in the
paho client; :meth:`MqttConfig.describe` is what goes into logs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from kiosk.contract.topics import DeviceTopics
from kiosk.telemetry.config_error import ConfigError

DEFAULT_SESSION_EXPIRY_S = 7 * 24 * 3600  # commands queued for a week of outage
# ``broker.protocol``: MQTT 5 by default; 3.1.1 for brokers that speak only that
# (nats-server's MQTT gateway refuses MQTT 5).
PROTOCOLS = ("5", "3.1.1")


class SettingsLike(Protocol):
    def get(self, key: str) -> Any: ...


@dataclass(frozen=True)
class MqttConfig:
    store_id: str
    device_id: str
    host: str = "127.0.0.1"
    port: int = 1883
    username: str = ""
    password: str = field(default="", repr=False)
    tls: bool = False
    ca_file: str = ""
    cert_file: str = ""
    key_file: str = ""
    client_id: str = ""
    keepalive: int = 30
    mqtt5: bool = True
    max_inflight: int = 100  # clamped to the broker's Receive Maximum on connect
    session_expiry_s: int = DEFAULT_SESSION_EXPIRY_S
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 60.0
    health_interval_s: float = 60.0
    command_max_bytes: int = 8 * 1024 * 1024
    version: str = ""  # software version reported in status and health

    def __post_init__(self) -> None:
        DeviceTopics(self.store_id, self.device_id)  # raises on ids unfit for topics
        if not 0 < self.port < 65536:
            raise ConfigError(f"broker.port must be 1..65535, got {self.port}")
        if self.key_file and not self.cert_file:
            raise ConfigError("broker.key_file is set but broker.cert_file is not")
        for key, path in (("ca_file", self.ca_file), ("cert_file", self.cert_file),
                          ("key_file", self.key_file)):  # fmt: skip
            if path and not os.path.isfile(path):
                raise ConfigError(f"broker.{key}: no such file {path!r}")

    @property
    def topics(self) -> DeviceTopics:
        return DeviceTopics(self.store_id, self.device_id)

    @property
    def effective_client_id(self) -> str:
        return self.client_id or f"pos-{self.store_id}-{self.device_id}"

    def describe(self) -> str:
        """One log line; never contains the password."""
        secret = "set" if self.password else "none"
        scheme = "mqtts" if self.tls else "mqtt"
        return (
            f"{scheme}://{self.host}:{self.port} client_id={self.effective_client_id} "
            f"user={self.username or '-'} password={secret}"
        )

    def with_changes(self, **changes: Any) -> MqttConfig:
        return replace(self, **changes)


def _get(settings: SettingsLike | dict[str, Any], key: str, default: Any) -> Any:
    try:
        value = settings.get(key)
    except (KeyError, ValueError):  # kiosk.storage.settings raises SettingsError (ValueError)
        return default
    return default if value is None or value == "" else value


def _as_bool(key: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"{key} must be true or false, got {value!r}")


def _as_number(key: str, value: Any, kind: type[int] | type[float]) -> Any:
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{key} must be a number, got {value!r}") from None


def config_from_settings(settings: SettingsLike | dict[str, Any], version: str = "") -> MqttConfig:
    """Read ``store_id``, ``device_id``, ``broker.*`` and optional ``telemetry.*`` keys."""
    store_id = _get(settings, "store_id", "")
    device_id = _get(settings, "device_id", "")
    if not store_id or not device_id:
        raise ConfigError("settings store_id and device_id are required for telemetry")
    tls = _as_bool("broker.tls", _get(settings, "broker.tls", False))
    protocol = str(_get(settings, "broker.protocol", "5"))
    if protocol not in PROTOCOLS:
        raise ConfigError(f"broker.protocol must be 5 or 3.1.1, got {protocol!r}")
    number = _as_number
    return MqttConfig(
        store_id=str(store_id),
        device_id=str(device_id),
        host=str(_get(settings, "broker.host", "127.0.0.1")),
        port=number("broker.port", _get(settings, "broker.port", 8883 if tls else 1883), int),
        username=str(_get(settings, "broker.username", "")),
        password=str(_get(settings, "broker.password", "")),
        tls=tls,
        ca_file=str(_get(settings, "broker.ca_file", "")),
        cert_file=str(_get(settings, "broker.cert_file", "")),
        key_file=str(_get(settings, "broker.key_file", "")),
        client_id=str(_get(settings, "broker.client_id", "")),
        mqtt5=protocol == "5",
        max_inflight=number("telemetry.max_inflight",
                            _get(settings, "telemetry.max_inflight", 100), int),
        health_interval_s=number("telemetry.health_interval_s",
                                 _get(settings, "telemetry.health_interval_s", 60.0), float),
        version=version,
    )  # fmt: skip


def make_client(
    config: MqttConfig,
    *,
    client_id: str | None = None,
    will: tuple[str, str] | None = None,
    persistent_session: bool = True,
) -> mqtt.Client:
    """A paho client (callback API v2) with credentials, TLS and an optional retained
    QoS 1 last will ``(topic, payload)``. Not connected yet: see :func:`connect`."""
    client = mqtt.Client(
        CallbackAPIVersion.VERSION2,
        client_id=client_id if client_id is not None else config.effective_client_id,
        protocol=mqtt.MQTTv5 if config.mqtt5 else mqtt.MQTTv311,
        # MQTT 3.1.1 fixes the session kind here; v5 says it at connect (clean_start).
        clean_session=None if config.mqtt5 else not persistent_session,
        reconnect_on_failure=False,  # the drain owns reconnecting (backoff with jitter)
    )
    if config.username:
        client.username_pw_set(config.username, config.password or None)
    if config.tls:
        client.tls_set(
            ca_certs=config.ca_file or None,
            certfile=config.cert_file or None,
            keyfile=config.key_file or None,
        )
    if will is not None:
        client.will_set(will[0], will[1], qos=1, retain=True)
    client.max_inflight_messages_set(config.max_inflight)
    return client


def connect(client: mqtt.Client, config: MqttConfig, *, persistent_session: bool) -> None:
    """Blocking TCP/TLS connect and CONNECT; raises OSError when the broker is away.
    ``persistent_session`` must match the one given to :func:`make_client`.

    A persistent session keeps the device's command subscriptions (and commands queued
    for it) while it is offline; a one-shot sync uses a clean, expiring session.
    """
    if config.mqtt5:
        props = Properties(PacketTypes.CONNECT)  # type: ignore[no-untyped-call]
        props.SessionExpiryInterval = config.session_expiry_s if persistent_session else 0
        client.connect(
            config.host, config.port, config.keepalive,
            clean_start=not persistent_session, properties=props,
        )  # fmt: skip
    else:
        client.connect(config.host, config.port, config.keepalive)
