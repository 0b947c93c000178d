"""Topic names under ``pos/v1/{store}/{device}/`` (see docs/messages.md).

Store and device ids become topic levels, so they must not contain MQTT's special
characters; :func:`check_id` says which id was wrong instead of publishing garbage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ROOT = "pos/v1"
STORE_WIDE = "all"  # the device level that addresses every device of a store
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def check_id(kind: str, value: str) -> str:
    if not isinstance(value, str) or not _ID.match(value) or value == STORE_WIDE:
        raise ValueError(
            f"{kind} {value!r} cannot be a topic level: use 1-64 letters, digits, '.', '_' "
            f"or '-' (not {STORE_WIDE!r})"
        )
    return value


@dataclass(frozen=True)
class DeviceTopics:
    store_id: str
    device_id: str

    def __post_init__(self) -> None:
        check_id("store id", self.store_id)
        check_id("device id", self.device_id)

    @property
    def prefix(self) -> str:
        return f"{ROOT}/{self.store_id}/{self.device_id}"

    def of(self, suffix: str) -> str:
        """Full topic for an outbox row's ``topic`` column (or any suffix)."""
        return f"{self.prefix}/{suffix}"

    @property
    def status(self) -> str:
        return self.of("status")

    @property
    def health(self) -> str:
        return self.of("health")

    @property
    def command_filters(self) -> tuple[str, str]:
        """What a device subscribes to: its own commands and its store's broadcast."""
        return (f"{self.prefix}/cmd/+", f"{ROOT}/{self.store_id}/{STORE_WIDE}/cmd/+")

    def command_result(self, name: str) -> str:
        """Results always go under the device's own prefix, even for store-wide commands."""
        return f"{self.prefix}/cmd/{name}/result"


def command(store_id: str, device_id: str, name: str) -> str:
    """Topic a fleet publishes a command on; ``device_id`` may be ``"all"``."""
    return f"{ROOT}/{store_id}/{device_id}/cmd/{name}"


@dataclass(frozen=True)
class ParsedTopic:
    store_id: str
    device_id: str
    suffix: str  # e.g. "sale", "cmd/prices", "cmd/prices/result"


def parse(topic: str) -> ParsedTopic | None:
    """Split ``pos/v1/{store}/{device}/{suffix}``; None for anything else."""
    parts = topic.split("/", 4)
    if len(parts) != 5 or f"{parts[0]}/{parts[1]}" != ROOT or not parts[4]:
        return None
    return ParsedTopic(parts[2], parts[3], parts[4])


def command_name(topic: str) -> str | None:
    """The ``{name}`` of ``.../cmd/{name}`` or None."""
    parsed = parse(topic)
    if parsed is None:
        return None
    pieces = parsed.suffix.split("/")
    if len(pieces) == 2 and pieces[0] == "cmd" and pieces[1]:
        return pieces[1]
    return None
